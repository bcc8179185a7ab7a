"""Every admin page an editor uses renders, and its query count does not grow with the data."""

import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provisions.models import EditorialState, Provision
from tests.admin_forms import form_data
from tests.builders import drafts as make

pytestmark = pytest.mark.django_db

MODELS = sorted(
    (m for m in admin.site._registry if m._meta.app_label in ("provisions", "comparisons")),
    key=lambda m: m._meta.label,
)


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def pages(model):
    """The changelist, the add form and the change form of the first record."""
    first = model._default_manager.order_by("pk").first()
    assert first is not None, f"no {model._meta.label} in the test data"
    return {
        "changelist": admin_url(model, "changelist"),
        "add": admin_url(model, "add"),
        "change": admin_url(model, "change", first.pk),
        "history": admin_url(model, "history", first.pk),
    }


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def test_every_curated_model_is_in_the_admin():
    from django.apps import apps

    curated = {
        m
        for app in ("provisions", "comparisons")
        for m in apps.get_app_config(app).get_models()
        if not m._meta.label.split(".")[1].startswith("Historical") and not m._meta.auto_created
    }
    inline_only = {
        "provisions.InstrumentEvent",
        "provisions.ArgumentProvision",
        "provisions.ArgumentTopic",
        "provisions.ArgumentComponent",
        "comparisons.ComparisonColumn",
        "provisions.ModelSource",
    }
    registered = {
        m._meta.label
        for m in admin.site._registry
        if m._meta.app_label in ("provisions", "comparisons")
    }
    # Review comments are written and read on the records' own forms, not edited as records.
    on_forms = {"provisions.ReviewComment"}
    assert {m._meta.label for m in curated} - inline_only - on_forms == registered
    inlines = {i.model._meta.label for ma in admin.site._registry.values() for i in ma.inlines}
    assert inline_only <= inlines


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_admin_pages_render_with_queries_that_do_not_grow_with_rows(admin_client, model):
    make.whole_world(rows=2)
    for url in pages(model).values():
        admin_client.get(url)  # warm the caches (content types, permissions) first
    small = {view: count_queries(admin_client, url) for view, url in pages(model).items()}
    rows = model._default_manager.count()
    make.whole_world(rows=6)
    assert model._default_manager.count() >= 2 * rows
    for view, url in pages(model).items():
        assert count_queries(admin_client, url) == small[view], (view, url, small[view])


def search_term(model_admin, obj) -> str:
    """A word of ``obj`` that the changelist search looks in (its first plain search field)."""
    for field in model_admin.search_fields:
        value = obj
        for part in field.lstrip("^=@").split("__"):
            value = getattr(value, part, None)
        if isinstance(value, str) and value.split():
            return max(value.split(), key=len)
    raise AssertionError(f"{type(obj).__name__}: no searchable text")


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m._meta.label)
def test_changelist_search_and_filters_answer(admin_client, model):
    make.whole_world(rows=2)
    model_admin = admin.site._registry[model]
    url = admin_url(model, "changelist")
    first = model._default_manager.order_by("pk").first()
    change = admin_url(model, "change", first.pk)
    found = admin_client.get(url, {"q": search_term(model_admin, first)})
    assert found.status_code == 200
    assert f'href="{change}' in found.content.decode()
    missed = admin_client.get(url, {"q": "zqnothingmatchesthis"}).content.decode()
    assert f'href="{change}' not in missed
    assert "0 results" in missed
    # A hostile filter value is a message, not a traceback: Django's admin sends it back to
    # the changelist with ?e=1 ("invalid lookup"), which renders.
    response = admin_client.get(url, {"state__exact": "<script>", "nonsense": "1"}, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("?e=1")
    assert "Traceback" not in response.content.decode()


def test_view_on_site_points_at_the_public_page(admin_client):
    """A published record's "View on site" leads to its public page; a draft's to its preview
    (a draft has no public page yet, so the link used to end in a public 404)."""
    published = make.provision(
        instrument=make.instrument(state=EditorialState.PUBLISHED, **make.SOURCED),
        state=EditorialState.PUBLISHED,
        **make.SOURCED,
    )
    draft = make.provision()
    for provision in (published, draft):
        response = admin_client.get(admin_url(type(provision), "change", provision.pk))
        assert response.status_code == 200
        link = re.search(
            r'<a href="([^"]+)" class="viewsitelink">View on site</a>', response.content.decode()
        )
        assert link, "no View on site link"
        followed = admin_client.get(link.group(1), follow=True)
        assert followed.status_code == 200
        if provision is published:
            landed = followed.redirect_chain[-1][0] if followed.redirect_chain else link.group(1)
            assert landed.endswith(provision.get_absolute_url())
            assert "Preview — not published" not in followed.content.decode()
        else:
            assert "Preview — not published" in followed.content.decode()
            assert provision.summary in followed.content.decode()


def test_deleting_a_protected_record_explains_instead_of_failing(admin_client):
    provision = make.provision()
    instrument = provision.instrument
    response = admin_client.post(
        admin_url(type(instrument), "delete", instrument.pk), {"post": "yes"}
    )
    assert response.status_code == 200
    assert b"protected related objects" in response.content
    assert type(instrument).objects.filter(pk=instrument.pk).exists()


def test_deleting_a_topic_in_use_is_refused_with_the_provisions_in_the_way(admin_client):
    provision = make.provision()
    topic = make.topic()
    provision.topics.add(topic)
    response = admin_client.post(admin_url(type(topic), "delete", topic.pk), {"post": "yes"})
    assert response.status_code == 200
    assert b"protected related objects" in response.content
    assert provision.citation.encode() in response.content
    assert type(topic).objects.filter(pk=topic.pk).exists()
    # Unused, it goes.
    unused = make.topic()
    response = admin_client.post(admin_url(type(unused), "delete", unused.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not type(unused).objects.filter(pk=unused.pk).exists()


def test_bulk_delete_of_protected_records_explains_too(admin_client):
    provision = make.provision()
    instrument = provision.instrument
    response = admin_client.post(
        admin_url(type(instrument), "changelist"),
        {"action": "delete_selected", "_selected_action": [instrument.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert b"protected related objects" in response.content
    assert type(instrument).objects.filter(pk=instrument.pk).exists()


def dataset_loaded() -> bool:
    from django.conf import settings

    return any(p.stat().st_size > 10 for d in settings.FIXTURE_DIRS for p in d.glob("*.json"))


# The most queries an admin page of the full dataset may take: the largest today is the
# provision change form (inlines of earlier labels and argument links, autocomplete widgets).
MOST_ADMIN_QUERIES = 40


@pytest.mark.skipif(not dataset_loaded(), reason="no dataset in fixtures/ yet")
def test_every_admin_page_renders_with_the_full_dataset(admin_client):
    call_command("load_atlas", verbosity=0)
    counts = {}
    for model in MODELS:
        if not model._default_manager.exists():
            continue
        for view, url in pages(model).items():
            counts[f"{model._meta.label} {view}"] = count_queries(admin_client, url)
    # Every page of every curated model that has data rendered (count_queries asserts 200).
    assert {name.rsplit(" ", 1)[0] for name in counts} >= {
        "provisions.Provision",
        "provisions.Instrument",
        "provisions.Jurisdiction",
        "provisions.Argument",
        "comparisons.Comparison",
    }
    heavy = {name: n for name, n in counts.items() if n > MOST_ADMIN_QUERIES}
    assert not heavy, heavy


@pytest.mark.parametrize("group", ["Editors", "Reviewers"])
def test_editors_and_reviewers_reach_every_page_they_are_given(client, group):
    make.whole_world(rows=2)
    client.force_login(make.staff(group))
    for model in MODELS:
        for view, url in pages(model).items():
            response = client.get(url)
            # Editors only view the axes (jurisdictions, topics …) and the moved pages.
            expected = (
                403
                if (group, view) == ("Editors", "add")
                and model._meta.model_name
                in {
                    "jurisdiction",
                    "topic",
                    "component",
                    "condition",
                    "movedpath",
                    "linkcheck",  # written by check_links; editors read it
                }
                else 200
            )
            assert response.status_code == expected, (group, model._meta.label, view)


def autocomplete_fields():
    for model, model_admin in admin.site._registry.items():
        if model not in MODELS:
            continue
        for owner in [model_admin, *model_admin.inlines]:
            for field in owner.autocomplete_fields:
                yield pytest.param(owner.model, field, id=f"{owner.model.__name__}.{field}")


@pytest.mark.parametrize(("model", "field"), list(autocomplete_fields()))
def test_every_autocomplete_answers_in_order(admin_client, model, field):
    make.whole_world(rows=2)
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": model._meta.app_label,
            "model_name": model._meta.model_name,
            "field_name": field,
            "term": "",
        },
    )
    assert response.status_code == 200
    results = [r["id"] for r in response.json()["results"]]
    assert results
    # In the order of the target's admin (its ordering), as the editor browses it.
    remote = model._meta.get_field(field).remote_field.model
    remote_admin = admin.site._registry[remote]
    request = RequestFactory().get("/")
    request.user = User.objects.get(username="admin")
    expected = [
        str(pk)
        for pk in remote_admin.get_queryset(request)
        .complex_filter(model._meta.get_field(field).get_limit_choices_to())
        .values_list("pk", flat=True)[: len(results)]
    ]
    assert results == expected


def add_provision_with_labels(client, instrument, slug, labels):
    page = client.get(admin_url(Provision, "add"))
    data = form_data(
        page,
        instrument=instrument.pk,
        kind="article",
        label=slug,
        slug=slug,
        order=1,
        summary="In our words.",
        treatment="exempts",
        state="draft",
        verification="unverified",
    )
    data["earlier_labels-TOTAL_FORMS"] = len(labels)
    for i, label in enumerate(labels):
        data |= {
            f"earlier_labels-{i}-label": label,
            f"earlier_labels-{i}-slug": label,
            f"earlier_labels-{i}-text_version": "Draft, 2 Feb 2024",
            f"earlier_labels-{i}-verification": "unverified",
        }
    return client.post(admin_url(Provision, "add"), data)


def inline_errors(response) -> str:
    return " ".join(
        str(error)
        for formset in response.context["inline_admin_formsets"]
        for error in [*formset.formset.errors, formset.formset.non_form_errors()]
    )


@pytest.mark.parametrize(
    ("labels", "message"),
    [
        (["art-2-12"], "is the current label of another provision"),
        (["art-2-5g"], "already had this earlier label"),
        (["art-4", "art-4"], "listed twice"),
        (["art-9"], "current label"),
    ],
)
def test_new_provision_with_colliding_earlier_labels_gets_an_error_not_a_500(
    admin_client, labels, message
):
    instrument = make.instrument()
    taken = make.provision(instrument=instrument, slug="art-2-12")
    make.earlier_label(provision=taken, slug="art-2-5g")
    response = add_provision_with_labels(admin_client, instrument, "art-9", labels)
    assert response.status_code == 200
    assert message in inline_errors(response)
    assert Provision.objects.count() == 1


def test_new_provision_with_fresh_earlier_labels_is_saved(admin_client):
    instrument = make.instrument()
    response = add_provision_with_labels(admin_client, instrument, "art-9", ["art-7", "art-8a"])
    assert response.status_code == 302, inline_errors(response)
    added = Provision.objects.get(slug="art-9")
    assert sorted(added.earlier_labels.values_list("slug", flat=True)) == ["art-7", "art-8a"]
    assert set(added.earlier_labels.values_list("instrument", flat=True)) == {instrument.pk}
