"""Search costs at most five queries whatever the data size, and editors' synonyms are data.

Issue #15: the lexicon (synonym groups, jurisdictions, the "did you mean" words) is one query,
then one per kind of record. On a page the page cache reads the data version first; the lexicon
is memoised on it, so a page costs five queries too once the lexicon has been read.
"""

import pytest

from comparisons.search import search
from provisions.models import SearchSynonym
from tests.builders import published as make

pytestmark = pytest.mark.django_db

QUERIES = ["open source", "Art. 53(2)", "52c(-2)", "EO 14110 Sec. 4.6", "第二条", "开源", "licnese"]


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


@pytest.mark.parametrize("size", [2, 20])
def test_a_search_costs_at_most_five_queries(django_assert_max_num_queries, size):
    grow(size)
    for query in QUERIES:
        with django_assert_max_num_queries(5):
            search(query)


@pytest.mark.parametrize("size", [2, 20])
def test_a_search_page_costs_at_most_five_queries_once_the_lexicon_is_read(
    client, django_assert_max_num_queries, size
):
    grow(size)
    client.get("/search/", {"q": "first"})
    for query in QUERIES:
        with django_assert_max_num_queries(5):
            assert client.get("/search/", {"q": query}).status_code == 200
        with django_assert_max_num_queries(5):
            assert client.get("/api/search", {"q": query}).status_code == 200


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
