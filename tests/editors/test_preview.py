"""Draft preview: editors see a draft as its public page would show it; nobody else sees it."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from provisions.models import EditorialState
from tests.builders import drafts as staff_data
from tests.builders import published as make
from tests.public_urls import public_urls

pytestmark = pytest.mark.django_db

MARKER = "zqpreviewmarker"
BANNER = "Preview — not published"


@pytest.fixture
def world():
    eu = make.jurisdiction(code="eu", name="European Union")
    topic, weights = make.topic(), make.component()
    act = make.instrument(jurisdiction=eu, slug="ai-act", short_title="AI Act")
    make.provision(instrument=act, topics=[topic], components=[weights])
    make.comparison(jurisdictions=[eu], topics=[topic], is_home=True)
    draft = make.provision(
        instrument=act,
        state=EditorialState.DRAFT,
        label="Art. 99",
        slug="art-99",
        heading=f"Heading {MARKER}",
        summary=f"Draft summary {MARKER}.",
        topics=[topic],
        components=[weights],
    )
    draft_instrument = make.instrument(
        jurisdiction=eu, state=EditorialState.IN_REVIEW, title=f"Instrument {MARKER}"
    )
    return {"draft": draft, "instrument": draft_instrument, "topic": topic}


def preview_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_preview", args=[record.pk])


def test_an_editor_previews_a_draft_as_the_public_page_would_show_it(client, world):
    client.force_login(staff_data.staff("Editors", "edith"))
    draft = world["draft"]
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert BANNER in html
    assert f"Draft summary {MARKER}." in html
    assert "AI Act Art. 99" in html  # the provision page's own heading
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    # The instrument in review too.
    response = client.get(preview_url(world["instrument"]))
    assert response.status_code == 200
    assert BANNER in response.content.decode()
    # "View on site" on the draft's admin page leads to the preview, not a public 404.
    change = client.get(reverse("admin:provisions_provision_change", args=[draft.pk]))
    assert preview_url(draft) in change.content.decode()


def test_nobody_else_finds_the_preview(world):
    draft = world["draft"]
    anonymous = Client()
    assert anonymous.get(preview_url(draft)).status_code == 404
    assert anonymous.get(preview_url(world["instrument"])).status_code == 404
    visitor = Client()
    visitor.force_login(User.objects.create_user("visitor"))  # logged in, not staff
    assert visitor.get(preview_url(draft)).status_code == 404
    bare_staff = Client()
    bare_staff.force_login(User.objects.create_user("bare", is_staff=True))  # no permission
    assert bare_staff.get(preview_url(draft)).status_code == 404
    editor = Client()
    editor.force_login(staff_data.staff("Editors", "edith"))
    assert (
        editor.get(reverse("admin:provisions_provision_preview", args=["nonsense"])).status_code
        == 404
    )
    assert editor.post(preview_url(draft)).status_code == 404


@pytest.mark.parametrize("object_id", ["%C2%B2", "%D9%A3", "99999999999999999999", "-1"])
@pytest.mark.parametrize("model", ["provision", "instrument"])
def test_a_preview_address_that_is_no_id_is_a_404(client, world, model, object_id):
    # "²" and "٣" are digits to str.isdigit() but no number PostgreSQL takes; nor is 10^20.
    client.force_login(staff_data.staff("Editors", "edith"))
    url = reverse(f"admin:provisions_{model}_preview", args=["ID"]).replace("ID", object_id)
    assert client.get(url).status_code == 404


def test_the_draft_appears_in_no_public_page_feed_sitemap_export_search_or_api(world):
    # An editor previews first: nothing of the preview may leak into a cached public page.
    editor = Client()
    editor.force_login(staff_data.staff("Editors", "edith"))
    assert editor.get(preview_url(world["draft"])).status_code == 200
    assert editor.get(preview_url(world["instrument"])).status_code == 200

    client = Client()
    urls = public_urls()
    assert {"/sitemap.xml", "/feeds/changes.atom", "/export/atlas.json", "/api/provisions/"} <= set(
        urls
    )
    urls += [f"/search/?q={word}" for word in ("Draft", "Heading", "Instrument", "summary")]
    urls += ["/api/provisions/?q=Draft", "/api/instruments/?q=Instrument", "/?q=Draft"]
    urls += [f"/feeds/topics/{world['topic'].slug}.atom", "/feeds/eu.atom"]
    for url in urls:
        for headers in ({}, {"HX-Request": "true"}):
            response = client.get(url, headers=headers, follow=True)
            body = response.content.decode(errors="replace")
            assert MARKER not in body, f"the draft shows on {url}"
            assert BANNER not in body, f"a preview leaked into {url}"
    assert client.get(world["draft"].get_absolute_url()).status_code == 404
    assert client.get(f"/api/provisions/{world['draft'].pk}/").status_code == 404
    assert client.get(world["instrument"].get_absolute_url()).status_code == 404


def test_the_preview_shows_the_drafts_own_texts_relations_and_checking_as_entered(client):
    eu = make.jurisdiction(code="eu", name="European Union")
    act = make.instrument(jurisdiction=eu, slug="ai-act", short_title="AI Act")
    draft = staff_data.provision(
        instrument=act,
        label="Art. 98",
        slug="art-98",
        summary="Draft summary.",
        verification="secondary",
        source_url="https://example.org/where-we-read-it",
    )
    staff_data.text(
        provision=draft,
        language="de",
        body="1. Anbieter von Modellen mit mehr als 10^25 FLOP:\n(a) legen offen;\n(b) prüfen:\n"
        "(i) erstens;\n(ii) <b>zweitens</b>.",
    )
    draft_child = staff_data.provision(instrument=act, parent=draft, label="Art. 98(1)")
    draft_argument = staff_data.argument(provisions=[draft], title="A draft argument on it")
    public_before = Client().get(f"/eu/ai-act/{draft.slug}/")

    client.force_login(staff_data.staff("Editors", "edith"))
    html = client.get(preview_url(draft)).content.decode()

    assert BANNER in html
    # The text as it will print: points with their own anchors, a superscript, the language.
    assert 'id="point-a"' in html and 'href="#point-a"' in html
    assert 'id="point-b-ii"' in html
    assert "10<sup>25</sup>" in html
    assert "&lt;b&gt;zweitens&lt;/b&gt;" in html  # typed markup stays text
    assert "(German)" in html
    assert "holds no checked copy" not in html
    # Its draft relations: a draft part, a draft argument.
    assert draft_child.label in html
    assert draft_argument.title in html
    # Verification as entered; no check date yet, said in words, not an empty "()".
    assert "From a secondary source" in html
    assert "not yet checked against its source" in html
    assert "checked on ()" not in html.replace(" ", "").replace("\n", "")
    assert "https://example.org/where-we-read-it" in html

    # The public page stays a 404, and the same 404 as before.
    public_after = Client().get(f"/eu/ai-act/{draft.slug}/")
    assert public_before.status_code == public_after.status_code == 404
    assert public_after.content == public_before.content
