"""Search: web-search syntax, ranking, highlighted snippets, published only, hostile queries."""

import re

import pytest

from provisions import vocabulary
from provisions.models import EditorialState
from tests.builders import published as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def records():
    act = make.ai_act(make.place("eu"), summary="Rules for AI systems.")
    strong = make.provision(
        instrument=act,
        label="Art. 53(2)",
        slug="art-53-2",
        heading="Open-source exemption",
        summary="Open-source models with public weights are exempt from documentation duties.",
    )
    weak = make.provision(
        instrument=act,
        label="Art. 54",
        slug="art-54",
        summary="Authorised representatives; an exemption applies to some providers.",
    )
    make.provision(
        instrument=act,
        label="Art. 99",
        slug="art-99",
        state=EditorialState.DRAFT,
        summary="A draft about the open-source exemption.",
    )
    argument = make.argument(
        title="Open weights enable independent safety research",
        summary="Researchers need weights to audit <b>models</b> & data sets (n < 5).",
    )
    return {"act": act, "strong": strong, "weak": weak, "argument": argument}


def hit_titles(html: str, section: str) -> list[str]:
    part = re.search(rf'<section aria-labelledby="results-{section}">(.*?)</section>', html, re.S)
    return re.findall(r'<li><a href="[^"]+">([^<]+)</a>', part.group(1))


def test_search_ranks_and_highlights(client, records):
    response = client.get("/search/", {"q": "open-source exemption"})
    assert response.status_code == 200
    html = response.content.decode()
    assert hit_titles(html, "provisions")[0] == "AI Act Art. 53(2)"
    assert "<mark>" in html
    assert "A draft about" not in html


def test_web_search_syntax(client, records):
    html = client.get("/search/", {"q": '"public weights" -representatives'}).content.decode()
    assert hit_titles(html, "provisions") == ["AI Act Art. 53(2)"]
    html = client.get("/search/", {"q": "representatives OR documentation"}).content.decode()
    assert set(hit_titles(html, "provisions")) == {"AI Act Art. 53(2)", "AI Act Art. 54"}
    html = client.get("/search/", {"q": "exemption -weights"}).content.decode()
    assert hit_titles(html, "provisions") == ["AI Act Art. 54"]


def test_finds_instruments_and_arguments(client, records):
    html = client.get("/search/", {"q": "artificial intelligence"}).content.decode()
    assert "Artificial Intelligence Act" in hit_titles(html, "instruments")
    html = client.get("/search/", {"q": "safety research"}).content.decode()
    assert hit_titles(html, "arguments") == ["Open weights enable independent safety research"]


def test_editor_text_is_escaped_and_only_mark_passes(client, records):
    html = client.get("/search/", {"q": "audit models"}).content.decode()
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
    assert "&amp;" in snippet
    assert "<b>" not in snippet
    assert set(re.findall(r"</?(\w+)", snippet)) <= {"mark"}


@pytest.mark.parametrize(
    "q", ["", "   ", "the", "'\"!):&|<->*", "a" * 5000, "x\x00y", "OR OR -", "<script>", "((("]
)
def test_empty_and_garbage_queries(client, records, q):
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode().split("<main", 1)[1]


def test_over_long_query_says_why(client, records):
    html = client.get("/search/", {"q": "a" * 500}).content.decode()
    assert "at most 200 characters" in html


@pytest.mark.parametrize("size", [1, 5])
def test_search_query_count_is_constant(
    client, django_assert_num_queries, django_assert_max_num_queries, records, size
):
    for _ in range(size):
        make.provision(instrument=records["act"], summary="Another exemption for open models.")
        make.instrument(title="Exemption order", summary="An exemption.")
        make.argument(summary="An exemption argues for open models.")
    vocabulary.refresh()  # as the commit of these records would
    # Each count: the page cache's data-version read, search's lexicon (synonyms,
    # jurisdictions), then provisions, instruments, and arguments with model profiles
    # together: five, whatever the data size.
    with django_assert_num_queries(5):
        first = client.get("/search/", {"q": "exemption open"})
    assert first.status_code == 200
    with django_assert_num_queries(5):
        response = client.get("/search/", {"q": "exemption"})
    assert response.status_code == 200
    # A query that finds little also asks the vocabulary for a corrected spelling (one query)
    # and, when a word changes, searches again (three): nine at most, whatever the size.
    with django_assert_max_num_queries(9):
        response = client.get("/search/", {"q": "exemptoin"})
    assert "Showing results for <strong>exemption</strong>" in response.content.decode()
