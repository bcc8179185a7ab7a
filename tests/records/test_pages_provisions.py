"""Provision, instrument and jurisdiction pages; earlier-label redirects; drafts and 404s."""

import datetime
import re

import pytest

from provisions.models import EditorialState, InstrumentRelation, LegalStatus, Stance, Treatment
from tests.builders import published as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def ai_act():
    eu = make.place("eu")
    exemptions = make.exemptions()
    weights = make.weights()
    act = make.ai_act(eu)
    art_2 = make.provision(
        instrument=act,
        label="Art. 2",
        slug="art-2",
        kind="article",
        summary="Scope.",
        heading="Scope",
    )
    art_2_12 = make.provision(
        instrument=act,
        parent=art_2,
        label="Art. 2(12)",
        slug="art-2-12",
        kind="paragraph",
        summary="Open-source AI systems are outside the Act unless high-risk.",
        openness_note="A broad exemption with exceptions.",
        treatment=Treatment.EXEMPTS_CONDITIONALLY,
        topics=[exemptions],
        components=[weights],
        conditions=[make.condition(name="Not high-risk")],
    )
    make.text(
        provision=art_2_12,
        body="This Regulation does not apply to AI systems released under free and open-source "
        "licences…",
        state=EditorialState.PUBLISHED,
        **make.SOURCED | {"source_url": "https://eur-lex.europa.eu/eli/reg/2024/1689/oj"},
    )
    make.earlier_label(art_2_12, label="Art. 2(5g)", slug="art-2-5g")
    return {
        "eu": eu,
        "act": act,
        "art_2": art_2,
        "art_2_12": art_2_12,
        "exemptions": exemptions,
        "weights": weights,
    }


def test_provision_page_shows_everything_a_reader_needs(client, ai_act):
    for_ = make.argument(
        provisions=[ai_act["art_2_12"]], title="Openness helps research", stance=Stance.FOR
    )
    against = make.argument(
        provisions=[ai_act["art_2_12"]], title="Open weights spread risk", stance=Stance.AGAINST
    )
    make.argument(
        provisions=[ai_act["art_2_12"]], title="Hidden draft claim", state=EditorialState.DRAFT
    )
    response = client.get("/eu/ai-act/art-2-12/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<nav aria-label="Breadcrumbs"' in html
    assert 'href="/eu/"' in html and 'href="/eu/ai-act/"' in html
    assert 'cite="https://eur-lex.europa.eu/eli/reg/2024/1689/oj">' in html
    assert "free and open-source licences" in html
    assert "Open-source AI systems are outside the Act unless high-risk." in html
    assert "A broad exemption with exceptions." in html
    assert "Exempts, with conditions" in html
    assert "Not high-risk" in html
    assert "Model weights" in html
    assert "Checked against the official text. Checked on 1 November 2026" in html
    assert 'href="/eu/ai-act/art-2/"' in html  # parent
    assert html.index("For openness") < html.index(for_.title)
    assert html.index("Against openness") < html.index(against.title)
    assert "Hidden draft claim" not in html
    assert 'href="/?topic=exemptions#cell-exemptions-eu"' in html
    assert 'href="/components/?component=weights#cell-weights-eu"' in html
    assert "Art. 2(5g)" in html  # earlier labels
    today = datetime.date.today().isoformat()
    assert f"http://testserver/eu/ai-act/art-2-12/ (accessed {today})" in html
    assert "@misc{atlas-eu-ai-act-art-2-12," in html
    assert "Regulation (EU) 2024/1689" in html
    assert 'data-copy-target="cite-bibtex"' in html


def test_provision_without_official_text_points_to_the_source(client, ai_act):
    html = client.get("/eu/ai-act/art-2/").content.decode()
    # No text and no quotation: the page says so plainly and links the source.
    assert "The atlas holds no checked copy of this provision’s text yet" in html
    assert "<blockquote" not in html
    assert 'href="/eu/ai-act/art-2-12/"' in html  # child


def test_earlier_label_redirects_permanently(client, ai_act):
    response = client.get("/eu/ai-act/art-2-5g/")
    assert response.status_code == 301
    assert response["Location"] == "/eu/ai-act/art-2-12/"


@pytest.mark.parametrize(
    "url",
    [
        "/eu/ai-act/art-999/",
        "/eu/no-act/art-2/",
        "/xx/ai-act/art-2-12/",
        "/us/ai-act/art-2-12/",
        "/eu/ai-act/art-2-12-/",
    ],
)
def test_unknown_provisions_are_404(client, ai_act, url):
    assert client.get(url).status_code == 404


def test_draft_provision_and_draft_instrument_are_404(client, ai_act):
    make.provision(instrument=ai_act["act"], slug="art-3", state=EditorialState.IN_REVIEW)
    assert client.get("/eu/ai-act/art-3/").status_code == 404
    ai_act["act"].state = EditorialState.WITHDRAWN
    ai_act["act"].save()
    # Withdrawn after publication: gone, not unknown (410 with a page; records/test_withdrawals.py).
    assert client.get("/eu/ai-act/art-2-12/").status_code == 410
    assert client.get("/eu/ai-act/art-2-5g/").status_code == 410
    assert client.get("/eu/ai-act/").status_code == 410


def test_instrument_page_nests_provisions_and_shows_its_life(client, ai_act):
    make.event(ai_act["act"], date=datetime.date(2025, 8, 2), description="GPAI obligations apply.")
    old = make.instrument(
        jurisdiction=ai_act["eu"],
        slug="old-guidance",
        title="Old guidance",
        status=LegalStatus.SUPERSEDED,
        ended_on=datetime.date(2024, 7, 1),
    )
    make.relation(ai_act["act"], InstrumentRelation.Kind.SUPERSEDES, old)
    html = client.get("/eu/ai-act/").content.decode()
    assert "<h1>Artificial Intelligence Act</h1>" in html
    toc = re.search(r'<ol class="toc">(.*?)</ol>\s*</section>', html, re.S).group(1)
    assert toc.index("/eu/ai-act/art-2/") < toc.index("<ol>") < toc.index("/eu/ai-act/art-2-12/")
    timeline = re.search(r'<ol class="timeline">(.*?)</ol>', html, re.S).group(1)
    assert (
        timeline.index("13 Jun 2024") < timeline.index("1 Aug 2024") < timeline.index("2 Aug 2025")
    )
    assert "GPAI obligations apply." in timeline
    assert "This instrument supersedes" in html and "Old guidance" in html
    old_html = client.get("/eu/old-guidance/").content.decode()
    assert "Artificial Intelligence Act</a> supersedes this instrument" in old_html


def test_provision_page_lists_its_conditions_in_order_or_none(client, ai_act):
    art = ai_act["art_2_12"]
    art.conditions.add(
        make.condition(name="Published weights", order=0),
        make.condition(name="A licence allowing use", order=0),
    )
    html = client.get("/eu/ai-act/art-2-12/").content.decode()
    conditions = re.search(r"<dt>Conditions</dt><dd>(.*?)</dd>", html).group(1)
    # By the conditions' order, then name: the fixture's "Not high-risk" has a later order.
    assert conditions == "A licence allowing use; Published weights; Not high-risk"
    html = client.get("/eu/ai-act/art-2/").content.decode()
    assert re.search(r"<dt>Conditions</dt><dd>(.*?)</dd>", html).group(1) == "None"


def test_jurisdiction_page_lists_instruments_silences_and_parts(client, ai_act):
    make.jurisdiction(code="eu-fr", name="France", parent=ai_act["eu"])
    make.silence(jurisdiction=ai_act["eu"], statement="Nothing on training data before 2021.")
    html = client.get("/eu/").content.decode()
    assert "<h1>European Union</h1>" in html
    assert 'href="/eu/ai-act/"' in html
    assert "Nothing on training data before 2021." in html
    assert 'href="/eu-fr/"' in html
    assert client.get("/nowhere/").status_code == 404


@pytest.mark.parametrize("size", [1, 5])
def test_record_pages_query_counts_are_constant(client, django_assert_num_queries, ai_act, size):
    art = ai_act["art_2_12"]
    for n in range(size):
        child = make.provision(instrument=ai_act["act"], parent=art, kind="point")
        make.argument(provisions=[art], stance=Stance.AGAINST if n % 2 else Stance.FOR)
        make.earlier_label(child)
        make.event(ai_act["act"])
        other = make.instrument(jurisdiction=ai_act["eu"])
        kind = InstrumentRelation.Kind.AMENDS if n % 2 else InstrumentRelation.Kind.IMPLEMENTS
        make.relation(other, kind, ai_act["act"])
        make.silence(jurisdiction=ai_act["eu"], topics=[ai_act["exemptions"]])
        make.jurisdiction(parent=ai_act["eu"])
        art.topics.add(make.topic())
        art.components.add(make.component())
        art.conditions.add(make.condition())
    # Each count includes the data-version lookup of the page cache (pagecache.py); the
    # provision page also reads its texts (one query) and the conditions it sets
    # ("Which models does this reach?"), the acts amending its instrument (one query, for the
    # JSON-LD) and the instrument's contents (previous and next); its conditions' names come
    # with the provision.
    with django_assert_num_queries(11):
        assert client.get("/eu/ai-act/art-2-12/").status_code == 200
    with django_assert_num_queries(6):
        assert client.get("/eu/ai-act/").status_code == 200
    # The profile also reads the provisions, the questions, the arguments and the
    # instruments' events, so that it answers every question on one page.
    with django_assert_num_queries(10):
        assert client.get("/eu/").status_code == 200


def test_timeline_event_replaces_the_bare_date_of_the_same_day(client, ai_act):
    make.event(ai_act["act"], date=datetime.date(2024, 6, 13), description="Signed by both.")
    html = client.get("/eu/ai-act/").content.decode()
    timeline = re.search(r'<ol class="timeline">(.*?)</ol>', html, re.S).group(1)
    assert "Signed by both." in timeline
    assert "Adopted or issued" not in timeline
    assert "In force" in timeline
