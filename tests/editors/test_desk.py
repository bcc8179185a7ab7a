"""The editors' desk: what needs work, counted on the admin index, each count a filtered list."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from provisions.models import (
    Argument,
    EditorialState,
    Instrument,
    LinkCheck,
    Provision,
    ProvisionText,
    Silence,
    Source,
    Verification,
)
from tests.builders import drafts as make

pytestmark = pytest.mark.django_db

DRAFT, IN_REVIEW = EditorialState.DRAFT, EditorialState.IN_REVIEW
PUBLISHED, WITHDRAWN = EditorialState.PUBLISHED, EditorialState.WITHDRAWN
TODAY = timezone.localdate()
LONG_AGO = TODAY - datetime.timedelta(days=400)
RECENTLY = TODAY - datetime.timedelta(days=30)


def with_text(provision):
    """The provision, quoting its authentic text (the desk does not list it as missing)."""
    make.text(provision=provision)
    return provision


def saved_by(user, obj):
    """Save ``obj`` as ``user`` would in the admin: the history records who."""
    obj._history_user = user
    obj.save()
    return obj


def desk_cell(html: str, key: str, model) -> tuple[int, str] | None:
    """(count, link) in the desk's row ``key`` for ``model``'s column, None for "—"."""
    row = re.search(rf'<tr id="desk-{key}">(.*?)</tr>', html, re.S)
    assert row, f"no row {key}"
    cells = re.findall(r'<td class="atlas-desk-count">(.*?)</td>', row.group(1), re.S)
    columns = re.findall(r'<th scope="col" class="atlas-desk-count"[^>]*>(.*?)</th>', html)
    short = {"Findings of silence": "Findings"}
    name = str(model._meta.verbose_name_plural).capitalize()
    cell = cells[columns.index(short.get(name, name))]
    link = re.search(r'<a href="([^"]+)"[^>]*>(\d+)</a>', cell)
    return (int(link.group(2)), link.group(1).replace("&amp;", "&")) if link else None


@pytest.fixture
def world():
    edith = make.staff("Editors", "edith")
    other = make.staff("Editors", "otto")
    sourced_old = make.SOURCED | {"checked_on": LONG_AGO}
    sourced_new = make.SOURCED | {"checked_on": RECENTLY}
    public_instrument = make.instrument(
        state=PUBLISHED, official_url="https://example.org/act", **sourced_new
    )
    records = {
        # Edith's drafts: two provisions and an argument; Otto's draft is not hers.
        "edith_drafts": [
            saved_by(edith, make.provision(instrument=public_instrument)),
            saved_by(edith, make.provision(instrument=public_instrument)),
            saved_by(edith, make.argument()),
        ],
        "otto_draft": saved_by(other, make.provision(instrument=public_instrument)),
        # Awaiting review: a provision and a finding of silence.
        "in_review": [
            make.provision(instrument=public_instrument, state=IN_REVIEW, **sourced_new),
            make.silence(state=IN_REVIEW, **sourced_new),
        ],
        # Published, checked long ago: a provision (official text) and an instrument.
        "stale": [
            with_text(make.provision(instrument=public_instrument, state=PUBLISHED, **sourced_old)),
            make.instrument(state=PUBLISHED, official_url="https://example.org/oj", **sourced_old),
        ],
        # Published from a secondary source (on a public page), checked recently.
        "secondary": with_text(
            make.provision(
                instrument=public_instrument,
                state=PUBLISHED,
                **(sourced_new | {"verification": Verification.SECONDARY}),
            )
        ),
        # An instrument without its official URL (a withdrawn one does not count).
        "no_url": make.instrument(state=IN_REVIEW, **sourced_new),
        "withdrawn_no_url": make.instrument(state=WITHDRAWN, **sourced_new),
        # A withdrawn provision checked long ago: neither stale nor missing its text.
        "withdrawn": make.provision(instrument=public_instrument, state=WITHDRAWN, **sourced_old),
    }
    dead = make.source(url="https://example.org/dead")
    alive = make.source(url="https://example.org/alive")
    for _ in range(2):  # two public arguments from one source: the source is listed once
        make.argument(source=dead, state=PUBLISHED, **(make.SOURCED | {"checked_on": RECENTLY}))
    LinkCheck.objects.create(url=dead.url, checked_at=timezone.now(), status=404, ok=False)
    LinkCheck.objects.create(url=alive.url, checked_at=timezone.now(), status=200, ok=True)
    records["dead_source"] = dead
    return {"edith": edith, "otto": other, **records}


def test_an_editor_sees_her_own_drafts_and_no_review_queue(client, world):
    client.force_login(world["edith"])
    html = client.get(reverse("admin:index")).content.decode()
    assert "The editors’ desk: what needs work" in html
    assert desk_cell(html, "mine", Provision)[0] == 2
    assert desk_cell(html, "mine", Argument)[0] == 1
    assert desk_cell(html, "mine", Instrument)[0] == 0
    assert 'id="desk-review"' not in html  # only reviewers publish, so only they see the queue
    # The count's link opens the admin list with exactly those records.
    count, url = desk_cell(html, "mine", Provision)
    listed = client.get(url)
    assert listed.status_code == 200
    shown = set(listed.context["cl"].queryset.values_list("pk", flat=True))
    assert shown == {p.pk for p in world["edith_drafts"][:2]}
    # Otto sees his draft, not hers.
    client.force_login(world["otto"])
    html = client.get(reverse("admin:index")).content.decode()
    assert desk_cell(html, "mine", Provision)[0] == 1


def test_a_reviewer_sees_the_review_queue(client, world):
    client.force_login(make.staff("Reviewers", "rita"))
    html = client.get(reverse("admin:index")).content.decode()
    assert desk_cell(html, "review", Provision)[0] == 1
    assert desk_cell(html, "review", Silence)[0] == 1
    assert desk_cell(html, "review", Instrument)[0] == 1  # the one without its URL
    assert desk_cell(html, "review", Argument)[0] == 0
    count, url = desk_cell(html, "review", Silence)
    shown = client.get(url).context["cl"].queryset
    assert list(shown) == [world["in_review"][1]]


def test_desk_counts_and_links_for_every_list(admin_client, world):
    html = admin_client.get(reverse("admin:index")).content.decode()
    expected = {
        ("stale", Provision): {world["stale"][0].pk},
        ("stale", Instrument): {world["stale"][1].pk},
        ("weak", Provision): {world["secondary"].pk},
        ("link-failed", Source): {world["dead_source"].pk},
        ("link-failed", Instrument): set(),
        ("weak", Source): {world["dead_source"].pk},  # unverified, behind a published argument
    }
    for (key, model), pks in expected.items():
        count, url = desk_cell(html, key, model)
        assert count == len(pks), (key, model)
        listed = admin_client.get(url)
        assert listed.status_code == 200, url
        assert set(listed.context["cl"].queryset.values_list("pk", flat=True)) == pks, key
    # A list that does not apply to a kind of record shows a dash, not a zero.
    assert desk_cell(html, "no-text", Instrument) is None


def test_the_threshold_is_a_setting(admin_client, world, settings):
    settings.DESK_STALE_AFTER_DAYS = 10
    html = admin_client.get(reverse("admin:index")).content.decode()
    # Now the records checked 30 days ago are due too: the one in review and the secondary
    # one, beside the old one (the withdrawn one never counts).
    assert desk_cell(html, "stale", Provision)[0] == 3
    assert "checked more than 10 days ago" in html


def test_the_desk_costs_a_fixed_number_of_queries(admin_client, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(reverse("admin:index")).status_code == 200
        return len(captured)

    make.whole_world(rows=2)
    queries()
    small = queries()
    make.whole_world(rows=6)
    assert queries() == small


def test_mark_checked_today_records_who_and_against_what(client, world):
    rita = make.staff("Reviewers", "rita")
    client.force_login(rita)
    stale = world["stale"][0]
    asked = {"action": "mark_checked_today", "_selected_action": [stale.pk]}
    # First the question: which copy was read, and how well it vouches; nothing changes yet.
    page = client.post(reverse("admin:provisions_provision_changelist"), asked)
    assert "Copy that was read" in page.content.decode()
    stale.refresh_from_db()
    assert stale.checked_on == LONG_AGO
    # No copy named: asked again, still nothing changed.
    page = client.post(
        reverse("admin:provisions_provision_changelist"),
        asked | {"apply": "1", "copy": "", "grade": "secondary"},
    )
    assert "This field is required" in page.content.decode()
    stale.refresh_from_db()
    assert stale.checked_on == LONG_AGO
    mirror = "EUR-Lex HTML of OJ L, 2024/1689, in the CSA dataset"
    response = client.post(
        reverse("admin:provisions_provision_changelist"),
        asked | {"apply": "1", "copy": mirror, "grade": Verification.SECONDARY},
        follow=True,
    )
    assert "1 record marked as checked today." in response.content.decode()
    stale.refresh_from_db()
    assert (stale.checked_on, stale.verification) == (TODAY, Verification.SECONDARY)
    latest = stale.history.latest()
    assert latest.history_user == rita
    assert latest.history_change_reason == f"Checked today against {mirror} (secondary)"


def test_mark_checked_keeps_the_copy_on_a_text(client, world):
    client.force_login(make.staff("Reviewers", "rita"))
    text = make.text(provision=world["edith_drafts"][0], copy_read="")
    client.post(
        reverse("admin:provisions_provisiontext_changelist"),
        {
            "action": "mark_checked_today",
            "_selected_action": [text.pk],
            "apply": "1",
            "copy": "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
            "grade": Verification.OFFICIAL,
        },
    )
    text.refresh_from_db()
    assert (text.checked_on, text.verification, text.copy_read) == (
        TODAY,
        Verification.OFFICIAL,
        "https://eur-lex.europa.eu/eli/reg/2024/1689/oj",
    )


def test_editors_cannot_mark_published_records_checked(client, world):
    client.force_login(world["edith"])
    stale = world["stale"][0]
    draft = world["edith_drafts"][0]
    response = client.post(
        reverse("admin:provisions_provision_changelist"),
        {
            "action": "mark_checked_today",
            "_selected_action": [stale.pk, draft.pk],
            "apply": "1",
            "copy": "https://example.org/source",
            "grade": Verification.OFFICIAL,
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Only reviewers can change published records" in html
    stale.refresh_from_db()
    draft.refresh_from_db()
    assert stale.checked_on == LONG_AGO
    assert draft.checked_on == TODAY


def test_history_shows_what_changed_never_none(client, world):
    client.force_login(world["edith"])
    draft = world["edith_drafts"][0]
    from tests.admin_forms import form_data

    page = client.get(reverse("admin:provisions_provision_change", args=[draft.pk]))
    response = client.post(
        reverse("admin:provisions_provision_change", args=[draft.pk]),
        form_data(page, summary="A better summary."),
    )
    assert response.status_code == 302
    assert draft.history.latest().history_change_reason.startswith("Changed ")
    assert "Summary (our words)" in draft.history.latest().history_change_reason.title() or (
        "summary" in draft.history.latest().history_change_reason.lower()
    )
    history = client.get(reverse("admin:provisions_provision_history", args=[draft.pk]))
    html = history.content.decode()
    reasons = re.findall(r"<td>\s*(None|—)\s*</td>", html)
    assert "None" not in reasons


def test_the_index_has_no_typo_and_plural_names_read_well(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "instrumentss" not in html
    assert "Links between instruments" in html
    from provisions.models import ArgumentProvision

    assert ArgumentProvision._meta.verbose_name_plural == "arguments on provisions"
    assert "Openness Atlas" in html and "provisions/admin.css" in html


def test_objects_not_in_the_desk_lists_are_untouched_by_its_filter(admin_client, world):
    url = reverse("admin:provisions_provision_changelist")
    everything = admin_client.get(url).context["cl"].queryset.count()
    assert admin_client.get(url, {"desk": "nonsense"}).status_code in (200, 302)
    assert everything == Provision.objects.count()
    assert Argument.objects.count() >= 1


def expected_on_the_dataset(today) -> dict:
    """Each list's count worked out record by record in Python, apart from the desk's queries."""
    cutoff = today - datetime.timedelta(days=183)
    failed = set(LinkCheck.objects.filter(ok=False).values_list("url", flat=True))
    public_sources = set(
        Argument.objects.filter(state=PUBLISHED).values_list("source_id", flat=True)
    )
    expected = {}
    for model in (Provision, Instrument, Argument, Silence):
        records = list(model.objects.all())
        live = [r for r in records if r.state != WITHDRAWN]
        expected[("mine", model)] = 0  # the loaded history names no user
        expected[("review", model)] = sum(r.state == IN_REVIEW for r in records)
        expected[("stale", model)] = sum(bool(r.checked_on and r.checked_on < cutoff) for r in live)
        expected[("weak", model)] = sum(
            r.state == PUBLISHED and r.verification != Verification.OFFICIAL for r in records
        )
    provisions = [p for p in Provision.objects.all() if p.state != WITHDRAWN]
    expected[("no-text", Provision)] = sum(
        not any(t.kind == ProvisionText.Kind.AUTHENTIC for t in p.texts.all()) for p in provisions
    )
    instruments = list(Instrument.objects.all())
    expected[("no-url", Instrument)] = sum(
        not i.official_url for i in instruments if i.state != WITHDRAWN
    )
    expected[("link-failed", Instrument)] = sum(i.official_url in failed for i in instruments)
    sources = list(Source.objects.all())
    expected[("link-failed", Source)] = sum(s.url in failed for s in sources)
    expected[("weak", Source)] = sum(
        s.verification != Verification.OFFICIAL and s.pk in public_sources for s in sources
    )
    return expected


def test_desk_counts_on_the_shipped_dataset(admin_client):
    from django.core.management import call_command

    call_command("load_atlas", verbosity=0)
    # Two of the dataset's links failed their last check, one answered.
    instrument = Instrument.objects.exclude(official_url="").order_by("pk").first()
    source = Source.objects.order_by("pk").first()
    now = timezone.now()
    LinkCheck.objects.create(url=instrument.official_url, checked_at=now, status=404)
    LinkCheck.objects.create(url=source.url, checked_at=now, error="timed out")
    LinkCheck.objects.create(
        url=Source.objects.order_by("-pk").first().url, checked_at=now, status=200, ok=True
    )
    expected = expected_on_the_dataset(TODAY)
    assert expected[("no-text", Provision)] > 0 and expected[("weak", Provision)] > 0
    assert expected[("link-failed", Instrument)] >= 1 and expected[("link-failed", Source)] >= 1
    html = admin_client.get(reverse("admin:index")).content.decode()
    for (key, model), count in expected.items():
        shown, url = desk_cell(html, key, model)
        assert shown == count, (key, model)
        listed = admin_client.get(url + "&all=")
        assert listed.status_code == 200, url
        assert listed.context["cl"].result_count == count, (key, model)
