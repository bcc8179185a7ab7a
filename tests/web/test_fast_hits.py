"""Issue #19: a cache hit asks PostgreSQL nothing; a publish reaches every process within a
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
def product_memory(monkeypatch):
    """The product's one second (tests otherwise read the version per request: conftest.py)."""
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
def test_a_hit_answered_early_carries_every_header_the_render_did(client, atlas):  # noqa: F811
    """Hits leave from PageCacheMiddleware, before CommonMiddleware and the per-user middleware:
    they must still carry the security headers of the middleware above it and a right
    Content-Length (CommonMiddleware's, on a render). Planted and caught: the hit without its
    Content-Length."""
    for headers in ({}, {"Accept-Encoding": "gzip"}, {"HX-Request": "true"}):
        rendered = client.get("/", headers=headers)
        hit = client.get("/", headers=headers)
        assert hit.content == rendered.content
        assert dict(hit.headers) == dict(rendered.headers)
        assert int(hit["Content-Length"]) == len(hit.content)
        for header in ("Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options"):
            assert hit.has_header(header), header
        assert not hit.cookies, "a cached page never sets a cookie"


@pytest.mark.django_db
def test_near_copies_stay_within_their_byte_bound(client, atlas, settings):  # noqa: F811
    """Each process keeps its own copies of the pages it served last (in front of Redis), no
    more than PAGE_CACHE_NEAR_BYTES of them: the oldest go first, and the page still comes from
    the shared cache. Planted and caught: no eviction (the near copies grew past the bound)."""
    from comparisons.web import pagecache

    gzip_only = {"Accept-Encoding": "gzip"}
    home = client.get("/", headers=gzip_only)
    settings.PAGE_CACHE_NEAR_BYTES = len(home.content) + 100  # room for one page only
    assert client.get("/", headers=gzip_only).content == home.content
    provision = client.get(atlas["shown"].get_absolute_url(), headers=gzip_only)
    assert provision.status_code == 200
    assert pagecache.near._bytes <= settings.PAGE_CACHE_NEAR_BYTES
    assert list(pagecache.near._entries.values()) == [
        (200, provision["Content-Type"], provision.content)
    ]
    # The home page left the near copies but not the shared cache: served again, unchanged.
    assert client.get("/", headers=gzip_only).content == home.content
