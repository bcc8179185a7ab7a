"""Slugs follow the citation convention: one function, in the admin's pre-fill and on save."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from provisions.models import EarlierLabel, Provision
from provisions.slugs import citation_slug
from tests.admin_forms import form_data
from tests.builders import drafts as make

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"
# A label that cites a numbered part; other labels ("Whole act", "Pillar I: …") are headings
# whose slugs editors chose by hand, shorter than the heading.
CITATION = re.compile(r"^(Art|Arts|Sec|Secs|Recital|Para|Annex|§|ECCN)\b")
# Citation-style labels whose slugs editors chose by hand, shorter than the convention gives.
# These addresses are already public: they stay as they are, and only these labels may differ.
HAND_CHOSEN = {
    # A pinpoint inside the paragraph: the page is the paragraph's.
    "Art. 25(4), first subpara., second sentence": "art-25-4",
    # Several points added together by one amendment: the address names the first range.
    "Art. 5(1)(ba)–(bb), (1a), (1b)": "art-5-1-ba-bb",
    # In Brazilian law "§" is a paragraph (parágrafo), not the section it is in US codes.
    "Art. 30, § 1": "art-30-para-1",
    "Art. 1, § 2, I": "art-1-para-2-i",
}


def fixture_labels() -> list[tuple[str, str, str]]:
    found = []
    for path in sorted(FIXTURES.glob("*.json")):
        for record in json.loads(path.read_text()):
            fields = record["fields"]
            if record["model"] in ("provisions.provision", "provisions.earlierlabel"):
                found.append((record["model"], fields["label"], fields["slug"]))
    return found


@pytest.mark.parametrize(
    ("label", "slug"),
    [
        ("Art. 53(2)", "art-53-2"),
        ("Sec. 4.6(a)(i)", "sec-4-6-a-i"),
        ("Recital 102", "recital-102"),
        ("Art. 2, para. 3", "art-2-para-3"),
        ("Art. 52c(-2)", "art-52c-minus-2"),
        ("Recital 60i+1", "recital-60i-plus-1"),
        ("Secs. 4–5", "secs-4-5"),
        ("§ 22602", "sec-22602"),
        ("第十条", ""),  # no arabic number: the editor writes the slug
        ("第10条第2款", "art-10-para-2"),
        ("Annex XI", "annex-xi"),
    ],
)
def test_labels_give_the_citation_convention(label, slug):
    assert citation_slug(label) == slug


def test_every_citation_label_in_the_dataset_gives_its_slug():
    labels = fixture_labels()
    citations = [(m, label, slug) for m, label, slug in labels if CITATION.match(label)]
    assert len(citations) >= 30, "the dataset's labels were not found"
    hand_chosen = {label: slug for _, label, slug in citations if label in HAND_CHOSEN}
    assert hand_chosen == HAND_CHOSEN, "a hand-chosen slug changed or its label is gone"
    citations = [c for c in citations if c[1] not in HAND_CHOSEN]
    wrong = [(label, slug, citation_slug(label)) for _, label, slug in citations]
    wrong = [w for w in wrong if w[1] != w[2]]
    assert not wrong, wrong
    # Every other label still gives a valid slug (editors may choose a shorter one).
    for _, label, _ in labels:
        made = citation_slug(label)
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", made), (label, made)
        assert len(made) <= 80


def test_a_long_label_is_cut_at_a_hyphen():
    slug = citation_slug("Art. 1 " + "very long heading words " * 10)
    assert len(slug) <= 80 and not slug.endswith("-")
    assert citation_slug("x" * 200) == "x" * 80


@pytest.mark.django_db
def test_an_empty_slug_is_made_from_the_label_on_save():
    provision = make.provision(label="Art. 53(2)", slug="")
    assert provision.slug == "art-53-2"
    earlier = EarlierLabel.objects.create(
        provision=provision, label="Art. 52c(-2)", slug="", text_version="Council text"
    )
    assert earlier.slug == "art-52c-minus-2"


@pytest.fixture
def editor(client):
    user = make.staff("Editors", "edith")
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_the_admin_asks_the_same_function_for_its_pre_fill(client, editor):
    add = client.get(reverse("admin:provisions_provision_add"))
    html = add.content.decode()
    endpoint = reverse("admin:provisions_provision_citation_slug")
    assert f'data-citation-slug-url="{endpoint}"' in html
    assert "provisions/citation-slug.js" in html
    assert "URLify" not in html and "prepopulated_fields" not in html
    response = client.get(endpoint, {"label": "Sec. 4.6(a)(i)"})
    assert response.json() == {"slug": "sec-4-6-a-i"}


@pytest.mark.django_db
def test_the_slug_endpoint_is_for_editors_only(client):
    endpoint = reverse("admin:provisions_provision_citation_slug")
    response = client.get(endpoint, {"label": "Art. 1"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login") + "?next=")  # to the login page


def add_provision_in_admin(client, instrument, label: str):
    """Post the admin's add-provision form with the slug left empty."""
    page = client.get(reverse("admin:provisions_provision_add"))
    data = form_data(
        page,
        instrument=str(instrument.pk),
        kind="article",
        label=label,
        slug="",
        summary="What it says.",
        treatment="exempts",
        state="draft",
    )
    return client.post(reverse("admin:provisions_provision_add"), data)


@pytest.mark.django_db
def test_an_admin_form_with_an_empty_slug_saves_the_convention(client, editor):
    instrument = make.instrument()
    response = add_provision_in_admin(client, instrument, label="Art. 53(2)")
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Provision.objects.get(instrument=instrument).slug == "art-53-2"


@pytest.mark.django_db
def test_a_slug_clash_is_a_form_error_naming_the_other_provision(client, editor):
    instrument = make.instrument()
    make.provision(instrument=instrument, label="Art. 53(2)", slug="art-53-2")
    response = add_provision_in_admin(client, instrument, label="Art. 53(2)")
    assert response.status_code == 200
    html = response.content.decode()
    assert "is already the address of Art. 53(2) in this instrument" in html
    assert Provision.objects.filter(instrument=instrument).count() == 1


@pytest.mark.django_db
def test_autocomplete_puts_exact_and_prefix_matches_first(admin_client):
    eu = make.jurisdiction(code="eu")
    us = make.jurisdiction(code="us", order=0)
    import datetime

    # The Action Plan is newer and its jurisdiction comes first: the default order puts it first.
    make.instrument(
        jurisdiction=us,
        short_title="AI Action Plan",
        title="America's AI Action Plan",
        adopted_on=datetime.date(2025, 7, 23),
        in_force_on=None,
    )
    act = make.instrument(
        jurisdiction=eu, short_title="AI Act", title="Artificial Intelligence Act"
    )
    eu.order = 5
    eu.save()
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "provisions",
            "model_name": "provision",
            "field_name": "instrument",
            "term": "AI Act",
        },
    )
    results = response.json()["results"]
    assert [r["text"] for r in results][:2] == [str(act), "AI Action Plan (US)"]

    art = make.provision(instrument=act, label="Art. 53(2)", slug="art-53-2", order=9)
    make.provision(instrument=act, label="Art. 153", slug="art-153", order=1)
    make.provision(instrument=act, label="Recital 53", slug="recital-53", order=0)
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "provisions",
            "model_name": "argumentprovision",
            "field_name": "provision",
            "term": "Art. 53(2)",
        },
    )
    assert response.json()["results"][0]["id"] == str(art.pk)
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "provisions",
            "model_name": "argumentprovision",
            "field_name": "provision",
            "term": "Art. 15",
        },
    )
    texts = [r["text"] for r in response.json()["results"]]
    assert texts[0].endswith("Art. 153"), texts


@pytest.mark.django_db
def test_a_label_without_latin_letters_or_digits_asks_for_a_slug():
    from django.core.exceptions import ValidationError

    provision = Provision(
        instrument=make.instrument(),
        kind="article",
        label="第十条",
        summary="S",
        treatment="exempts",
    )
    with pytest.raises(ValidationError) as raised:
        provision.full_clean()
    assert "no Latin letters or digits" in str(raised.value.message_dict["slug"])
