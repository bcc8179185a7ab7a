"""What changed: the page and the Atom feeds, built from the edit history."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from provisions.models import EditorialState
from tests.builders import published as f

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
LONG_AGO = timezone.now() - datetime.timedelta(days=30)


def at(record, when):
    """Save ``record`` as if at ``when`` (its history row gets that date)."""
    record._history_date = when
    record.save()
    return record


def later(minutes: int) -> datetime.datetime:
    return LONG_AGO + datetime.timedelta(minutes=minutes)


@pytest.fixture
def atlas():
    eu = f.jurisdiction(code="eu", name="European Union")
    us = f.jurisdiction(code="us", name="United States")
    exemptions = f.topic(slug="exemptions", name="Exemptions")
    export = f.topic(slug="export-controls", name="Export controls")
    act = f.instrument(jurisdiction=eu, slug="ai-act", short_title="AI Act")
    order = f.instrument(jurisdiction=us, slug="eo-1", short_title="EO 1")
    # Drafted long ago, not yet public.
    art = f.provision(
        instrument=act,
        slug="art-53-2",
        label="Art. 53(2)",
        state=EditorialState.DRAFT,
        topics=[exemptions],
    )
    sec = f.provision(instrument=order, slug="sec-4", label="Sec. 4", topics=[export])
    # Their creation is old news: move every history row so far back in time.
    for model in (type(act), type(art)):
        model.history.update(history_date=LONG_AGO - datetime.timedelta(days=1))
    return {"eu": eu, "us": us, "exemptions": exemptions, "export": export, "art": art, "sec": sec}


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entries(root) -> list[dict]:
    return [
        {
            "id": e.findtext(f"{ATOM}id"),
            "title": e.findtext(f"{ATOM}title"),
            "updated": e.findtext(f"{ATOM}updated"),
            "link": e.find(f"{ATOM}link").get("href"),
            "summary": e.findtext(f"{ATOM}summary"),
        }
        for e in root.findall(f"{ATOM}entry")
    ]


def titles(client, url) -> list[str]:
    return [e["title"] for e in entries(feed(client, url))]


def test_publishing_a_provision_adds_an_entry_to_the_right_feeds_only(client, atlas):
    art = atlas["art"]
    assert "Published: Instr" not in " ".join(titles(client, "/feeds/changes.atom"))
    before = {
        url: titles(client, url) for url in ["/feeds/us.atom", "/feeds/topics/export-controls.atom"]
    }
    art.state = EditorialState.PUBLISHED
    at(art, later(0))

    headline = f"Published: {art.citation}"
    for url in ["/feeds/changes.atom", "/feeds/eu.atom", "/feeds/topics/exemptions.atom"]:
        assert headline in titles(client, url), url
    # Unrelated feeds are unchanged.
    for url, was in before.items():
        assert titles(client, url) == was, url


def test_an_edit_of_a_published_provision_says_which_fields_changed(client, atlas):
    art = atlas["art"]
    art.state = EditorialState.PUBLISHED
    at(art, later(0))
    art.summary = "A better summary."
    art.treatment = "exempts_conditionally"
    at(art, later(60))

    newest = entries(feed(client, "/feeds/eu.atom"))[0]
    assert newest["title"] == f"Updated: {art.citation}"
    assert newest["summary"].startswith(
        "Changed: summary (our words), treatment of openness. A better summary."
    )
    assert newest["link"] == f"http://testserver{art.get_absolute_url()}"


def test_a_change_of_topics_is_reported_and_moves_the_entry_to_the_new_topic(client, atlas):
    art = atlas["art"]
    art.state = EditorialState.PUBLISHED
    at(art, later(0))
    art._history_date = later(90)
    art.topics.add(atlas["export"])  # history records m2m changes as their own rows

    export_feed = entries(feed(client, "/feeds/topics/export-controls.atom"))
    mine = [e for e in export_feed if art.citation in e["title"]]
    assert [e["title"] for e in mine][0] == f"Updated: {art.citation}"
    assert "topics (policy questions)" in mine[0]["summary"]


def test_saves_of_one_sitting_make_one_entry(client, atlas):
    art = atlas["art"]
    art.state = EditorialState.PUBLISHED
    at(art, later(0))
    art.summary = "First wording."
    at(art, later(61))
    art.openness_note = "What it means."
    at(art, later(63))  # two minutes later: the same sitting

    mine = [e for e in entries(feed(client, "/feeds/eu.atom")) if art.citation in e["title"]]
    assert [e["title"].split(":")[0] for e in mine] == ["Updated", "Published"]
    assert "openness" in mine[0]["summary"] and "summary (our words)" in mine[0]["summary"]


def test_drafts_never_appear_in_feeds_or_on_the_page(client, atlas):
    art = atlas["art"]
    art.summary = "Secret draft wording."
    at(art, later(5))  # still a draft
    for url in ["/feeds/changes.atom", "/feeds/eu.atom", "/feeds/topics/exemptions.atom"]:
        assert art.citation not in " ".join(titles(client, url))
    assert art.citation not in client.get("/changes/").content.decode()

    # Published, then taken back to draft and edited there: nothing of it shows.
    art.state = EditorialState.PUBLISHED
    at(art, later(10))
    art.state = EditorialState.DRAFT
    art.summary = "Reworked in draft."
    at(art, later(100))
    assert art.citation not in " ".join(titles(client, "/feeds/changes.atom"))
    assert "Reworked in draft." not in client.get("/feeds/changes.atom").content.decode()


def test_a_provision_of_a_draft_instrument_never_appears(client, atlas):
    hidden = f.instrument(jurisdiction=atlas["eu"], slug="draft-law", state=EditorialState.DRAFT)
    p = f.provision(instrument=hidden, slug="art-1", label="Art. 1", topics=[atlas["exemptions"]])
    assert p.citation not in " ".join(titles(client, "/feeds/changes.atom"))
    assert "Published: Instr" not in client.get("/feeds/eu.atom").content.decode()


def test_instruments_and_arguments_have_entries_too(client, atlas):
    act = atlas["art"].instrument
    act.summary = "Updated instrument summary."
    at(act, later(200))
    argument = f.argument(slug="claim", title="A claim", topics=[atlas["exemptions"]])
    everything = titles(client, "/feeds/changes.atom")
    assert f"Updated: {act.short_title}: {act.title}" in everything
    assert "Published: A claim" in everything
    assert "Published: A claim" in titles(client, "/feeds/topics/exemptions.atom")
    assert "Published: A claim" not in titles(client, "/feeds/topics/export-controls.atom")
    assert argument.get_absolute_url() in client.get("/changes/").content.decode()


def test_feeds_are_valid_atom(client, atlas):
    atlas["art"].state = EditorialState.PUBLISHED
    at(atlas["art"], later(0))
    for url in [
        "/feeds/changes.atom",
        "/feeds/eu.atom",
        "/feeds/us.atom",
        "/feeds/topics/exemptions.atom",
    ]:
        root = feed(client, url)
        assert root.tag == f"{ATOM}feed"
        # RFC 4287 4.1.1: a feed has exactly one id, title and updated, and an author.
        for name in ("id", "title", "updated"):
            assert len(root.findall(f"{ATOM}{name}")) == 1, (url, name)
        assert root.find(f"{ATOM}author/{ATOM}name").text == "Openness Atlas editors"
        assert datetime.datetime.fromisoformat(root.findtext(f"{ATOM}updated"))
        ids = []
        for entry in root.findall(f"{ATOM}entry"):
            for name in ("id", "title", "updated"):
                assert len(entry.findall(f"{ATOM}{name}")) == 1, (url, name)
            assert entry.findtext(f"{ATOM}id").startswith("tag:testserver,2026:change:")
            assert datetime.datetime.fromisoformat(entry.findtext(f"{ATOM}updated"))
            link = entry.find(f"{ATOM}link[@rel='alternate']")
            assert link.get("href").startswith("http://testserver/")
            ids.append(entry.findtext(f"{ATOM}id"))
        assert root.findall(f"{ATOM}entry"), url
        assert len(ids) == len(set(ids)), "entry ids are unique"


def test_entry_links_answer_200(client, atlas):
    atlas["art"].state = EditorialState.PUBLISHED
    at(atlas["art"], later(0))
    for entry in entries(feed(client, "/feeds/changes.atom")):
        assert client.get(entry["link"]).status_code == 200, entry["link"]


@pytest.mark.parametrize("url", ["/feeds/atlantis.atom", "/feeds/topics/nothing.atom"])
def test_a_feed_for_something_that_does_not_exist_is_404(client, url):
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("query", ["topic=%00", "topic=a%00b", "j=%00&topic=x%00"])
def test_a_hostile_filter_of_the_legal_developments_feed_is_ignored(client, atlas, query):
    response = client.get(f"/feeds/legal-developments.atom?{query}")
    assert response.status_code == 200
    assert response.content == client.get("/feeds/legal-developments.atom").content


def test_changes_page_lists_changes_with_links_and_feeds(client, atlas):
    art = atlas["art"]
    art.state = EditorialState.PUBLISHED
    at(art, later(0))
    art.summary = "Edited."
    at(art, later(120))
    html = client.get("/changes/").content.decode()
    assert "<h1>What changed</h1>" in html
    assert f'<a href="{art.get_absolute_url()}">{art.citation}</a>' in html
    assert "Changed: summary (our words)." in html
    assert 'href="/feeds/changes.atom"' in html
    assert 'href="/feeds/eu.atom"' in html
    assert 'href="/feeds/topics/exemptions.atom"' in html
    assert 'rel="alternate" type="application/atom+xml"' in html


@pytest.mark.parametrize("size", [1, 4])
def test_feed_query_count_does_not_grow_with_history(client, django_assert_num_queries, size):
    place = f.jurisdiction(code="eu")
    topic = f.topic(slug="exemptions")
    for n in range(size):
        law = f.instrument(jurisdiction=place)
        for _ in range(size):
            p = f.provision(instrument=law, topics=[topic])
            p.summary = f"Edit {n}"
            at(p, timezone.now() + datetime.timedelta(hours=n + 1))
        f.argument(topics=[topic])
    for url, queries in [
        ("/feeds/changes.atom", 9),
        ("/feeds/eu.atom", 8),
        ("/feeds/topics/exemptions.atom", 8),
    ]:
        with django_assert_num_queries(queries):
            assert client.get(url).status_code == 200
