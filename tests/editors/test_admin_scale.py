"""The provision changelist costs the same queries at any size, never counts the
whole table twice, and counts a big unfiltered table from PostgreSQL's estimate."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from provisions.admin.scale import ESTIMATE_ABOVE, EstimatedCountPaginator
from provisions.models import Provision
from tests.builders import published as make

pytestmark = pytest.mark.django_db

URL = reverse("admin:provisions_provision_changelist")


def changelist_queries(client, **query) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, query)
    assert response.status_code == 200
    return [q["sql"] for q in queries.captured_queries]


def add_provisions(count: int) -> None:
    act = make.instrument()
    for _ in range(count):
        make.provision(instrument=act, topics=[make.topic()], components=[make.component()])


def test_the_changelist_costs_the_same_queries_at_two_sizes(admin_client):
    add_provisions(3)
    admin_client.get(URL)  # content types and permissions cached first
    small = changelist_queries(admin_client)
    filtered_small = changelist_queries(admin_client, state__exact="published")
    add_provisions(30)
    assert Provision.objects.count() >= 30
    assert len(changelist_queries(admin_client)) == len(small)
    assert len(changelist_queries(admin_client, state__exact="published")) == len(filtered_small)


def test_a_filtered_changelist_counts_once_not_also_the_whole_table(admin_client):
    add_provisions(3)
    queries = changelist_queries(admin_client, state__exact="published")
    counts = [sql for sql in queries if "COUNT(" in sql.upper() and "provisions_provision" in sql]
    assert len(counts) == 1, counts  # the filtered count; no "of N total" beside it
    assert admin.site._registry[Provision].show_full_result_count is False


def test_a_big_unfiltered_table_is_counted_from_the_estimate(monkeypatch):
    add_provisions(3)
    with connection.cursor() as cursor:  # what ANALYZE would record for a big table
        cursor.execute(
            "UPDATE pg_class SET reltuples = %s WHERE oid = 'provisions_provision'::regclass",
            [ESTIMATE_ABOVE * 2],
        )
    assert EstimatedCountPaginator(Provision.objects.all(), 100).count == ESTIMATE_ABOVE * 2
    # Filtered: exact, whatever the estimate.
    exact = Provision.objects.filter(state="published")
    assert EstimatedCountPaginator(exact, 100).count == exact.count()
