"""A cache hit asks PostgreSQL nothing; a publish reaches every process within a
second, never before its transaction commits; proxies get strong ETags and cheap 304s.

The publishing "other process" here is a second PostgreSQL connection of its own (psycopg,
outside Django), which is all another server process is to this one: it shares no memory.
"""

import gzip
import time

import psycopg
import pytest
from django.db import connection

from config import dataversion
from provisions.models import EditorialState
from tests.web.test_pagecache import atlas, citations  # noqa: F401 (a fixture)

OLD = {"AI Act Art. 53(2)"}
NEW = {"AI Act Art. 53(2)", "AI Act Art. 54"}


def other_process_connection():
    return psycopg.connect(**connection.get_connection_params(), autocommit=False)


@pytest.fixture
def product_memory(monkeypatch, version_read_per_request):
    """The product's one second (tests otherwise read the version per request: conftest.py)."""
    from django.core.signals import request_started

    from tests.conftest import PER_REQUEST

    request_started.disconnect(dispatch_uid=PER_REQUEST)
    monkeypatch.setattr(dataversion, "MAX_AGE", 1.0)


@pytest.mark.django_db(transaction=True)
def test_a_publish_elsewhere_shows_within_a_second_and_never_before_its_commit(
    client,
    atlas,  # noqa: F811
    product_memory,
):
    """Planted and caught: the version remembered without a time limit (the page stayed old)."""
    assert citations(client.get("/")) == OLD
    with other_process_connection() as publisher:
        publisher.execute(
            "UPDATE provisions_provision SET state = %s WHERE id = %s",
            [EditorialState.PUBLISHED.value, atlas["draft"].pk],
        )
        # Uncommitted for longer than the one-second memory: this process must keep the old page.
        until = time.monotonic() + dataversion.MAX_AGE + 0.3
        while time.monotonic() < until:
            assert citations(client.get("/")) == OLD
            time.sleep(0.05)
        publisher.commit()
        committed = time.monotonic()
    seen = None
    while time.monotonic() < committed + 1.5:  # the product bound is 1 s; 0.5 s for the client
        if citations(client.get("/")) == NEW:
            seen = time.monotonic() - committed
            break
        time.sleep(0.05)
    assert seen is not None, "the publish did not show within 1.5 s of its commit"


@pytest.mark.django_db
def test_this_process_sees_its_own_raw_sql_write_at_once(
    client,
    atlas,  # noqa: F811
    django_assert_num_queries,
    version_held,
):
    """Writes that send no signal (raw SQL on Django's cursor) still forget the remembered
    version in the process that made them."""
    assert citations(client.get("/")) == OLD
    with django_assert_num_queries(0):
        assert citations(client.get("/")) == OLD
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE provisions_provision SET state = %s WHERE id = %s",
            [EditorialState.PUBLISHED.value, atlas["draft"].pk],
        )
    assert citations(client.get("/")) == NEW


@pytest.mark.django_db
def test_public_pages_tell_proxies_how_to_cache_them(client, atlas):  # noqa: F811
    plain = client.get("/")
    zipped = client.get("/", headers={"Accept-Encoding": "gzip"})
    for response in (plain, zipped):
        control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=0", "s-maxage=1", "stale-while-revalidate=30"} <= control
        assert not response["ETag"].startswith("W/")
        vary = {part.strip() for part in response["Vary"].split(",")}
        assert vary == {"Accept-Encoding", "HX-Request", "HX-History-Restore-Request"}
    # gzip bytes and plain bytes are two representations: a strong ETag each.
    assert plain["ETag"] != zipped["ETag"]
    assert gzip.decompress(zipped.content) == plain.content
    # A miss and a hit answer the same headers.
    again = client.get("/")
    for header in ("ETag", "Vary", "Cache-Control"):
        assert again[header] == plain[header]


@pytest.mark.django_db
def test_a_conditional_request_answers_304_without_body_or_sql(
    client,
    atlas,  # noqa: F811
    django_assert_num_queries,
    version_held,
):
    first = client.get("/", headers={"Accept-Encoding": "gzip"})
    with django_assert_num_queries(0):
        again = client.get("/", headers={"Accept-Encoding": "gzip", "If-None-Match": first["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    assert "s-maxage=1" in again["Cache-Control"]
    # The plain representation's ETag does not match a gzip request's.
    plain = client.get("/")
    other = client.get("/", headers={"Accept-Encoding": "gzip", "If-None-Match": plain["ETag"]})
    assert other.status_code == 200


@pytest.mark.django_db
def test_a_hit_carries_every_header_the_render_did(client, atlas):  # noqa: F811
    """A hit carries the security headers and a right Content-Length, and sets no cookie.
    Planted and caught: the hit without its Content-Length."""
    for headers in ({}, {"Accept-Encoding": "gzip"}, {"HX-Request": "true"}):
        rendered = client.get("/", headers=headers)
        hit = client.get("/", headers=headers)
        assert hit.content == rendered.content
        assert dict(hit.headers) == dict(rendered.headers)
        assert int(hit["Content-Length"]) == len(hit.content)
        for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
            assert hit.has_header(header), header
        assert not hit.cookies, "a cached page never sets a cookie"
