"""Search costs a bounded number of queries whatever the data size, and editors' synonyms are
data.

The lexicon (synonym groups, jurisdictions) is one query, then provisions, instruments, and
arguments with model profiles (one UNION ALL): four. A Chinese query with English equivalents
adds one (the equivalents' provisions); a misspelt query that finds little adds the vocabulary
lookup and, once corrected, the three again: eight. On a page the page cache reads the data
version first: one more.
"""

import pytest

from comparisons.search.engine import search
from provisions import vocabulary
from provisions.models import SearchSynonym
from tests.builders import published as make

pytestmark = pytest.mark.django_db

# Each query and the queries search() may cost for it.
QUERIES = {
    "open source": 4,
    "Art. 53(2)": 4,
    "52c(-2)": 4,
    "EO 14110 Sec. 4.6": 4,
    "第二条": 4,
    "开源": 5,  # and its English equivalent "open source", apart
    "represntatives": 8,  # corrected to "representatives", searched again
}


def grow(size: int) -> None:
    eu = make.jurisdiction(code=f"eu{size}")
    act = make.instrument(jurisdiction=eu, short_title="AI Act", slug=f"ai-act-{size}")
    for n in range(size):
        provision = make.provision(
            instrument=act,
            label=f"Art. {53 + n}(2)",
            summary="Open-source models under a free licence are exempt (开源).",
        )
        make.earlier_label(provision, label=f"Art. 52c(-{n + 2})")
        make.argument(summary="Open source licences, authorised representatives.")
        make.instrument(jurisdiction=eu, title=f"Order {n}", summary="An open-source order.")
    SearchSynonym.objects.create(terms="open weights\nwidely available model weights")
    SearchSynonym.objects.create(terms="open source\n开源")
    vocabulary.refresh()  # as the commit of these records would


@pytest.mark.parametrize("size", [2, 20])
def test_a_search_costs_a_bounded_number_of_queries(django_assert_max_num_queries, size):
    grow(size)
    for query, most in QUERIES.items():
        with django_assert_max_num_queries(most):
            search(query)
    assert search("represntatives").searched == "representatives"


@pytest.mark.parametrize("size", [2, 20])
def test_a_search_page_costs_one_more_than_the_search(client, django_assert_max_num_queries, size):
    """A page costs the data version and search's own queries."""
    grow(size)
    client.get("/search/", {"q": "first"})
    for query, most in QUERIES.items():
        with django_assert_max_num_queries(most + 1):
            assert client.get("/search/", {"q": query}).status_code == 200
        with django_assert_max_num_queries(most + 1):
            assert client.get("/api/search", {"q": query}).status_code == 200


@pytest.mark.parametrize("size", [2, 20])
def test_a_search_page_costs_as_much_right_after_a_data_change(
    client, django_assert_max_num_queries, size
):
    """Right after a change, the same: nothing is memoised on the data version."""
    grow(size)
    for n, (query, most) in enumerate(QUERIES.items()):
        SearchSynonym.objects.create(terms=f"change {n}\nanother {n}")  # a new data version
        with django_assert_max_num_queries(most + 1):
            page = client.get("/search/", {"q": query})
        assert page.status_code == 200
        SearchSynonym.objects.create(terms=f"api {n}\nchange api {n}")
        with django_assert_max_num_queries(most + 1):
            assert client.get("/api/search", {"q": query}).status_code == 200


def test_arguments_found_in_the_shared_statement_keep_their_order_link_and_source():
    paper = make.source(title="Weights and research", authors="A. Author")
    for n in range(3):
        make.argument(
            title=f"Argument {n}",
            summary="Open weights help research. " * (n + 1),
            stance="against",
            source=paper,
        )
    found = search("open weights")
    assert [hit.title for hit in found.arguments] == ["Argument 2", "Argument 1", "Argument 0"]
    assert all(hit.url.startswith("/arguments/argument-") for hit in found.arguments)
    assert found.arguments[0].context == "Against openness; Weights and research (A. Author)"
    assert "<mark>" in found.arguments[0].snippet


def test_a_synonym_added_by_an_editor_widens_the_next_search(client):
    eu = make.jurisdiction(code="eu")
    act = make.instrument(jurisdiction=eu)
    provision = make.provision(instrument=act, summary="Dual-use foundation models are studied.")
    assert client.get("/api/search", {"q": "frontier model"}).json()["total"] == 0
    SearchSynonym.objects.create(terms="frontier model\ndual-use foundation model")
    found = client.get("/api/search", {"q": "frontier model"}).json()
    assert [hit["url"] for hit in found["provisions"]] == [provision.get_absolute_url()]


def test_a_synonym_group_needs_two_terms():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        SearchSynonym(terms="lonely").full_clean()
    SearchSynonym(terms="open weights\nopen-weight").full_clean()
