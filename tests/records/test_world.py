"""Beyond three: more jurisdictions, the world comparison, one timeline of legal
developments with its Atom feed, jurisdiction profiles and instrument pages, on the shipped data.
"""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET
from collections import Counter
from html import escape as html_escape

import pytest
from django.utils import timezone

from comparisons.models import Comparison, ComparisonColumn
from comparisons.opendata.downloads import EXPORT_STATES
from provisions.models import (
    EditorialState,
    Instrument,
    LegalStatus,
    Provision,
    Silence,
    Topic,
    Verification,
)
from tests.builders import published as make

PUBLISHED = EditorialState.PUBLISHED
ATOM = "{http://www.w3.org/2005/Atom}"
WORLD = ["us", "us-ca", "us-ny", "eu", "cn", "kr", "uk", "jp", "br", "in", "ca", "sg"]


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]


# ------------------------------------------------------------------ acceptance 1: the data


def test_ten_or_more_jurisdictions_have_published_instruments():
    codes = set(Instrument.objects.published().values_list("jurisdiction__code", flat=True))
    assert set(WORLD) <= codes
    assert len(codes - {"reference"}) >= 10


def test_korea_silence_is_published_verified_and_names_the_articles_and_terms(client):
    finding = Silence.objects.get(jurisdiction__code="kr", instruments__slug="ai-basic-act")
    assert finding.state == PUBLISHED
    assert finding.verification == Verification.OFFICIAL
    for named in ("Arts 1–43", "supplementary provisions", "오픈소스", "가중치", "소스코드"):
        assert named in finding.scope, named
    assert finding.reviewed_on == datetime.date(2026, 11, 30)
    page = client.get("/kr/").content.decode()
    assert "The AI Basic Act says nothing about open-source or open-weight models" in page
    assert "Arts 1–43" in page


def test_unverified_facts_beyond_three_stay_drafts(client):
    for model in (Instrument, Provision, Silence):
        bad = model.objects.filter(
            pk__gte=4000, pk__lt=5000, state=PUBLISHED, verification=Verification.UNVERIFIED
        )
        assert not bad.exists(), model
    # Brazil's reported open-format exclusion, once a draft nobody had read, is now the article
    # as read on 7 Dec 2026: a simplified regime, not an exclusion.
    read = Provision.objects.get(instrument__slug="pl-2338-2023", slug="art-1-para-2-i")
    assert read.state == EditorialState.PUBLISHED
    assert client.get(read.get_absolute_url()).status_code == 200


def test_a_bill_that_died_is_lapsed_not_in_force(client):
    aida = Instrument.objects.get(jurisdiction__code="ca", slug="aida")
    assert aida.status == LegalStatus.LAPSED and aida.ended_on and aida.adopted_on is None
    assert "Lapsed, never enacted" in client.get("/ca/aida/").content.decode()


# ------------------------------------------------------- acceptance 2: the world comparison


def cells_of(html: str) -> dict[str, str]:
    return dict(re.findall(r'<td id="cell-([^"]+)"[^>]*>(.*?)</td>', html, re.S))


def test_world_comparison_has_every_jurisdiction_as_a_column(client):
    response = client.get("/compare/world/")
    assert response.status_code == 200
    html = response.content.decode()
    cells = cells_of(html)
    topics = list(Topic.objects.values_list("slug", flat=True))
    for code in WORLD:
        for slug in topics:
            assert f"{slug}-{code}" in cells, (slug, code)
    assert len(cells) == len(topics) * len(WORLD)
    # Read at a glance: the summary grid, and Korea's checked answers in it.
    assert 'class="glance-grid glance-compact"' in html
    assert "AI Basic Act Art. 32(1)" in cells["frontier-safety-kr"]
    assert "Not yet reviewed" in cells["scope-exemption-in"]
    # Japan's AI Promotion Act was read in full on 7 Dec 2026: it says nothing.
    assert "Silent" in cells["scope-exemption-jp"]
    assert "Silent" in cells["scope-exemption-kr"]


@pytest.mark.parametrize("extra_columns", [0, 8])
def test_world_comparison_query_count_stays_flat(
    client, django_assert_max_num_queries, extra_columns
):
    world = Comparison.objects.get(slug="world")
    topics = list(Topic.objects.all()[:3])
    added = []
    for n in range(extra_columns):
        j = make.jurisdiction()
        ComparisonColumn.objects.create(comparison=world, jurisdiction=j, order=100 + n)
        instrument = make.instrument(jurisdiction=j)
        for _ in range(3):
            make.provision(instrument=instrument, topics=topics, components=[])
        make.silence(jurisdiction=j, topics=topics[:1])
        added.append(j.code)
    # The matrix's 8 (comparisons/matrix/build.py, headline.py) and the data version.
    with django_assert_max_num_queries(9):
        response = client.get("/compare/world/")
    html = response.content.decode()
    assert response.status_code == 200
    for code in WORLD + added:
        assert f'id="cell-{topics[0].slug}-{code}"' in html
    with django_assert_max_num_queries(9):
        fragment = client.get(
            "/compare/world/?topic=frontier-safety", headers={"HX-Request": "true"}
        )
    assert fragment.status_code == 200 and "<html" not in fragment.content.decode()


def test_world_csv_and_json_hold_what_the_page_shows(client):
    html = client.get("/compare/world/").content.decode()
    page = {}
    for cell_id, body in cells_of(html).items():
        links = re.findall(r'<a class="citation" href="([^"]+)">', body)
        more = re.search(r">and (\d+) more<", body)
        state = "provisions" if links else re.search(r'class="empty (\w+)"', body).group(1)
        page[cell_id] = (set(links), len(links) + (int(more.group(1)) if more else 0), state)

    rows = list(
        csv.DictReader(
            io.StringIO(client.get("/export/compare/world.csv").content.decode("utf-8-sig"))
        )
    )
    in_csv: dict[str, list[str]] = {}
    states = {}
    for row in rows:
        key = f"{row['row']}-{row['jurisdiction']}"
        states[key] = row["cell"]
        if row["url"]:
            in_csv.setdefault(key, []).append(re.sub(r"^https?://[^/]+", "", row["url"]))
    assert set(states) == set(page)
    for key, (links, count, state) in page.items():
        assert links <= set(in_csv.get(key, [])), key
        assert count == len(in_csv.get(key, [])), key
        if state != "provisions":
            assert states[key] == EXPORT_STATES.get(state, state), (key, state, states[key])

    body = client.get("/export/compare/world.json").json()
    assert [c["code"] for c in body["columns"]] == WORLD
    for row in body["rows"]:
        for cell in row["cells"]:
            key = f"{row['slug']}-{cell['jurisdiction']}"
            assert len(cell["provisions"]) == page[key][1], key
            assert {p["url"].split("://", 1)[1].split("/", 1)[1] for p in cell["provisions"]} >= {
                link.lstrip("/") for link in page[key][0]
            }, key
            if not page[key][0]:
                assert cell["state"] == EXPORT_STATES.get(page[key][2], page[key][2]), key


# --------------------------------------------------------------- acceptance 3: the timeline


def development_dates(html: str) -> list[str]:
    dates = re.findall(r'<li class="development"><time datetime="([0-9-]+)"', html)
    return [d if len(d) == 10 else (d + "-01-01")[:10] for d in dates]


def test_timeline_lists_every_jurisdiction_in_date_order(client, monkeypatch):
    # On the fact bases' day: dates still ahead then (2 Aug 2027, 2 Aug 2028) are "scheduled",
    # whatever day the suite runs on.
    today = datetime.datetime(2026, 12, 7, 12, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: today)
    html = client.get("/timeline/").content.decode()
    dates = development_dates(html)
    assert len(dates) > 40
    assert dates == sorted(dates)
    for code in ("us", "us-ca", "us-ny", "eu", "cn", "kr", "uk", "jp", "br", "in", "ca", "sg"):
        assert f'<a href="/{code}/">' in html, code
    assert 'id="as-of"' in html
    # A date already set in the law but still to come is marked as scheduled, after the marker.
    assert html.index('id="as-of"') < html.index("scheduled</span>")
    assert "Lapsed, never enacted" in html or "Dies on the order paper" in html


def test_timeline_filters_by_jurisdiction_and_topic_without_javascript(client):
    korea = client.get("/timeline/", {"j": "kr"}).content.decode()
    assert "AI Basic Act" in korea and "/eu/" not in re.sub(
        r"<form.*?</form>", "", korea, flags=re.S
    )
    assert 'value="kr" id="tl-j-kr" checked' in korea  # the form shows its state
    safety = client.get("/timeline/", {"topic": "frontier-safety"}).content.decode()
    assert "AI Basic Act" in safety and "AIDA" not in safety
    assert 'value="frontier-safety" selected' in safety
    # The US includes its states.
    us = client.get("/timeline/", {"j": "us"}).content.decode()
    assert "RAISE Act" in us and "SB 53" in us
    both = client.get("/timeline/?j=kr&j=ca").content.decode()
    assert "AIDA" in both and "AI Basic Act" in both and "SB 53" not in both


def test_timeline_ignores_unknown_filters_and_says_so(client):
    response = client.get("/timeline/", {"j": "atlantis", "topic": "<script>"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "No jurisdiction has the code “atlantis”; ignored." in html
    assert "No policy question is called" in html and "<script>" not in html.split("<main")[1]


def test_timeline_htmx_request_gets_the_fragment(client):
    response = client.get("/timeline/?j=kr", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'class="development"' in html and "AI Basic Act" in html
    assert 'data-hx-push-url="true"' in client.get("/timeline/").content.decode()


def parse_atom(content: bytes) -> ET.Element:
    feed = ET.fromstring(content)
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), required
        assert entry.find(f"{ATOM}link").get("href")
        datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
    return feed


def test_legal_developments_feed_validates_and_is_named_apart_from_what_changed(client):
    response = client.get("/feeds/legal-developments.atom")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = parse_atom(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) >= 20
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(ids) == len(set(ids))
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)  # newest first
    assert max(updated)[:10] <= datetime.date.today().isoformat()  # nothing still to come
    title = feed.findtext(f"{ATOM}title")
    assert "legal developments" in title

    changes = client.get("/feeds/changes.atom")
    assert changes.status_code == 200
    changes_title = parse_atom(changes.content).findtext(f"{ATOM}title")
    assert changes_title != title and "what changed" in changes_title

    korea = parse_atom(client.get("/feeds/legal-developments.atom?j=kr").content)
    titles = [e.findtext(f"{ATOM}title") for e in korea.findall(f"{ATOM}entry")]
    assert titles and all(t.startswith("S. Korea, AI Basic Act") for t in titles)


# ----------------------------------------------- acceptance 4: profiles and instrument pages


def answers(html: str) -> dict[str, str]:
    return dict(
        re.findall(
            r'id="q-([a-z0-9-]+)" data-answer="(\w+)"',
            html,
            re.S,
        )
    )


@pytest.mark.parametrize("code", WORLD)
def test_profile_answers_every_policy_question(client, code):
    html = client.get(f"/{code}/").content.decode()
    found = answers(html)
    assert set(found) == set(Topic.objects.values_list("slug", flat=True))
    assert set(found.values()) <= {"provisions", "silent", "unreviewed"}
    assert "Findings of silence" not in html
    assert 'class="lede approach"' in html  # the two-sentence approach


def test_korea_profile_answers_every_question_from_what_was_read(client):
    found = answers(client.get("/kr/").content.decode())
    assert found["frontier-safety"] == "provisions"
    assert found["authorised-representative"] == "provisions"
    assert Counter(found.values())["unreviewed"] == 0
    assert answers(client.get("/in/").content.decode())["scope-exemption"] == "unreviewed"


def test_profile_lists_instruments_with_status_and_latest_developments(client):
    html = client.get("/kr/").content.decode()
    assert "In force</strong>" in html and "in force 22 Jan 2026" in html
    latest = html.split('id="latest"')[1]
    assert "Amended by Act No. 21311" in latest


def test_every_instrument_page_lists_its_provisions_with_treatment_and_status(client):
    walked = 0
    for instrument in (
        Instrument.objects.published().filter(pk__gte=4000).select_related("jurisdiction")
    ):
        html = client.get(instrument.get_absolute_url()).content.decode()
        for provision in instrument.provisions.published():
            item = html.split(f'href="{provision.get_absolute_url()}"')[1].split("</li>")[0]
            assert provision.get_treatment_display() in item, provision
            assert 'class="badge badge-' in item, provision
            walked += 1
    assert walked >= 5
    page = client.get("/kr/ai-basic-act/").content.decode()
    assert "Covers open models, no exemption" in page and "In force" in page


@pytest.mark.parametrize("extra", [0, 10])
def test_timeline_and_its_feed_cost_the_same_queries_as_data_grows(
    client, django_assert_max_num_queries, extra
):
    topic = Topic.objects.get(slug="frontier-safety")
    for _ in range(extra):
        instrument = make.instrument(jurisdiction=make.jurisdiction())
        make.provision(instrument=instrument, topics=[topic], components=[])
        for _ in range(3):
            make.event(instrument)
    # The data version (page cache), the jurisdictions, the questions, the instruments, events,
    # and the provisions' own dates still ahead (the calendar's other events).
    with django_assert_max_num_queries(6):
        page = client.get("/timeline/?topic=frontier-safety")
    assert len(development_dates(page.content.decode())) >= 4 * extra + 2
    with django_assert_max_num_queries(5):
        assert client.get("/feeds/legal-developments.atom").status_code == 200


def test_a_profile_says_the_questions_its_texts_are_silent_on_in_one_line(client):
    html = client.get("/kr/").content.decode()
    silent = [slug for slug, state in answers(html).items() if state == "silent"]
    assert len(silent) >= 2
    group = re.findall(r'<dd class="answer answer-silent">(.*?)</dd>', html, re.S)
    assert len(group) == 1  # one line names them all
    for slug in silent:
        assert f'id="q-{slug}" data-answer="silent"' in group[0]
    assert "Says nothing on this." not in html
    # Each finding's statement is said once, where the texts read are listed.
    for statement in Silence.objects.filter(jurisdiction__code="kr").values_list(
        "statement", flat=True
    ):
        assert html.count(html_escape(statement)) <= 1, statement


@pytest.mark.parametrize(
    ("typed", "code"), [("gb", "uk"), ("gbr", "uk"), ("GB", "uk"), ("usa", "us")]
)
def test_iso_codes_lead_to_the_jurisdiction_by_a_permanent_redirect(client, typed, code):
    response = client.get(f"/{typed}/")
    assert response.status_code == 301
    assert response["Location"] == f"/{code}/"


def test_a_code_that_is_no_alias_is_still_not_found(client):
    assert client.get("/zz/").status_code == 404
