"""A search's cost is bounded whatever is typed: repeated words count once, alternatives and
words are capped, and a visitor is told what was left out (never a 500, never a stall)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comparisons.search.engine import search

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]

WORST = [
    " ".join(["opensource"] * 18),
    " ".join(["open source"] * 16),
    "licence authorised monetised organisation behaviour programme catalogue modelling "
    "labelling judgement defence offence favour centre analyse open weights GPAI",
    "开源" * 100,
    " OR ".join(f"word{n}" for n in range(20)),
]
# A tsquery written out in a statement: websearch_to_tsquery('english', '…') or '…'::tsquery.
WRITTEN = re.compile(
    r"websearch_to_tsquery\('english'::regconfig, ('(?:[^']|'')*')\)|('(?:[^']|'')*')::tsquery"
)
MAX_NODES = 80  # operands and operators of all of one statement's distinct tsqueries


def tsquery_nodes(sql: str) -> int:
    """How many terms and operators the statement's tsqueries hold, counted by PostgreSQL."""
    found = set()
    for web, raw in WRITTEN.findall(sql):
        found.add(f"websearch_to_tsquery('english', {web})" if web else f"{raw}::tsquery")
    if not found:
        return 0
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + " + ".join(f"numnode({q})" for q in found))
        return cursor.fetchone()[0]


@pytest.mark.parametrize("text", WORST)
def test_the_worst_queries_hold_a_bounded_number_of_tsquery_terms(text):
    assert len(text) <= 200
    with CaptureQueriesContext(connection) as statements:
        search(text)
    nodes = [tsquery_nodes(statement["sql"]) for statement in statements.captured_queries]
    assert max(nodes) <= MAX_NODES, nodes


def test_repeated_words_find_what_the_words_once_find():
    once = search("open source")
    again = search(" ".join(["open source"] * 16))
    assert [h.url for h in again.provisions] == [h.url for h in once.provisions]


def test_words_beyond_the_cap_are_left_out_with_a_message(client):
    text = "open source weights licence training data code documentation safety research"
    html = client.get("/search/", {"q": text}).content.decode()
    assert "Searched for the first 8 different words only; left out: safety research." in html
    body = client.get("/api/search", {"q": text}).json()
    assert any("left out: safety research" in m for m in body["messages"])
