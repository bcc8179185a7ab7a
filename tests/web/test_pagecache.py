"""Cached public pages: never stale after a publish or a withdrawal; ETag/304; cheap hits.

Run with local memory (the default) and with Redis (127.0.0.1:6379, a database and key prefix
of their own). The page cache keys on the data version that PostgreSQL triggers bump
(config/dataversion.py), so these tests change data the ways editors and scripts do: a model
save, a queryset update (no signals), a many-to-many change and a delete.
"""

import datetime
import gzip
import re
import time
import uuid

import pytest
import redis
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config import dataversion
from provisions.models import EditorialState, Provision
from tests.builders import published as make

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/7"


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    if request.param == "locmem":
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"pagecache-test-{uuid.uuid4()}",
            }
        }
        yield "locmem"
        return
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.RedisError:
        pytest.fail(f"Redis must run at {REDIS_URL} for this test (see docs/performance.md)")
    prefix = f"atlas-test-{uuid.uuid4().hex[:12]}"
    # Django's own Redis backend, not the tolerant one: an outage must fail this test loudly.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": prefix,
        }
    }
    yield "redis"
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture
def atlas():
    eu = make.place("eu")
    us = make.place("us")
    exemptions = make.topic(slug="exemptions", name="Exemptions", question="Exempt?")
    act = make.instrument(
        jurisdiction=eu,
        slug="ai-act",
        short_title="AI Act",
        adopted_on=datetime.date(2024, 6, 13),
        in_force_on=datetime.date(2024, 8, 1),
    )
    shown = make.provision(instrument=act, label="Art. 53(2)", slug="art-53-2", topics=[exemptions])
    draft = make.provision(
        instrument=act,
        label="Art. 54",
        slug="art-54",
        topics=[exemptions],
        state=EditorialState.DRAFT,
    )
    make.comparison(jurisdictions=[eu, us], topics=[exemptions], is_home=True)
    return {"act": act, "shown": shown, "draft": draft, "exemptions": exemptions}


def citations(response) -> set[str]:
    html = response.content.decode()
    return set(re.findall(r'<a class="citation" href="[^"]+">([^<]+)</a>', html))


def test_a_cache_hit_costs_no_query_and_serves_the_same_page(
    client, page_cache, atlas, django_assert_num_queries, version_held
):
    first = client.get("/")
    assert citations(first) == {"AI Act Art. 53(2)"}
    with django_assert_num_queries(0):  # the data version is remembered for up to a second
        second = client.get("/")
    assert second.content == first.content
    if page_cache == "redis":
        keys = redis.Redis.from_url(REDIS_URL).keys(f"{cache.key_prefix}:*")
        assert keys, "the page was not stored in Redis"


def test_publishing_shows_on_the_next_request(client, page_cache, atlas):
    assert citations(client.get("/")) == {"AI Act Art. 53(2)"}
    assert citations(client.get("/")) == {"AI Act Art. 53(2)"}  # now cached
    atlas["draft"].state = EditorialState.PUBLISHED
    atlas["draft"].save()
    assert citations(client.get("/")) == {"AI Act Art. 53(2)", "AI Act Art. 54"}


def test_a_withdrawal_by_queryset_update_shows_on_the_next_request(client, page_cache, atlas):
    # queryset.update() sends no signals and skips auto_now: the database trigger still sees it.
    provision_url = atlas["shown"].get_absolute_url()
    assert client.get(provision_url).status_code == 200
    assert citations(client.get("/")) == {"AI Act Art. 53(2)"}
    Provision.objects.filter(pk=atlas["shown"].pk).update(state=EditorialState.WITHDRAWN)
    assert citations(client.get("/")) == set()
    assert client.get(provision_url).status_code == 410  # withdrawn: Gone


def test_retagging_and_deleting_show_on_the_next_request(client, page_cache, atlas):
    assert citations(client.get("/")) == {"AI Act Art. 53(2)"}
    atlas["shown"].topics.remove(atlas["exemptions"])  # a many-to-many change only
    assert citations(client.get("/")) == set()
    atlas["shown"].topics.add(atlas["exemptions"])
    assert citations(client.get("/")) == {"AI Act Art. 53(2)"}
    atlas["shown"].delete()
    assert citations(client.get("/")) == set()


def test_etag_and_last_modified_round_trip_to_304_until_data_changes(client, atlas):
    first = client.get("/")
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag.startswith('"')  # strong: proxies may use it for range and conditional requests
    assert "s-maxage=" in first["Cache-Control"]
    again = client.get("/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    by_date = client.get("/", headers={"If-Modified-Since": modified})
    assert by_date.status_code == 304
    # A fragment is another representation: its own ETag.
    fragment = client.get("/", headers={"HX-Request": "true"})
    assert fragment["ETag"] != etag
    assert "HX-Request" in fragment["Vary"]
    atlas["draft"].state = EditorialState.PUBLISHED
    atlas["draft"].save()
    changed = client.get("/", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "AI Act Art. 54" in citations(changed)


def test_pages_are_stored_compressed_and_served_as_asked(client, atlas):
    plain = client.get("/")
    zipped = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert zipped["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in zipped["Vary"]
    assert gzip.decompress(zipped.content) == plain.content
    assert len(zipped.content) < len(plain.content) / 3


def test_the_version_moves_with_every_kind_of_write(atlas):
    before = dataversion.current()[0]
    Provision.objects.filter(pk=atlas["shown"].pk).update(summary="Changed.")
    after_update = dataversion.current()[0]
    assert after_update > before
    atlas["shown"].components.add(make.component())
    assert dataversion.current()[0] > after_update
    assert set(dataversion.watched_tables()) >= {
        "provisions_provision",
        "provisions_provision_topics",
        "comparisons_comparisoncolumn",
    }
    assert not [t for t in dataversion.watched_tables() if "historical" in t]


def test_hostile_query_strings_are_cached_safely(
    client, atlas, django_assert_num_queries, version_held
):
    """Each query string is its own cache entry, hostile ones included.

    Planted and caught: the query string left out of ``_key`` (every query got the page first
    cached for its path); before this test could fail, all the page-cache tests passed so."""
    pages, stored = {}, {}
    hostile = ["?j=%00", "?as_of=9999-99-99", "?q=" + "x" * 500, "?j=eu&j=eu&j=us"]
    for query in [*hostile, "?j=us", "?j=eu"]:
        first = client.get("/" + query)
        assert first.status_code == 200
        with CaptureQueriesContext(connection) as queries:
            again = client.get("/" + query)
        assert again.content == first.content
        pages[query] = first.content.decode()
        stored[query] = not queries.captured_queries
    # A query the view did not take whole (an ignored value, a bad date, a repeated column) is
    # never stored, so junk cannot fill the cache; a clean one is served from the cache with no
    # query at all (the version remembered).
    assert stored == {query: query not in hostile for query in stored}, stored
    assert "Unknown value ignored" in pages["?j=%00"]
    assert "Enter a valid date" in pages["?as_of=9999-99-99"]
    assert "at most 200 characters" in pages["?q=" + "x" * 500]
    assert len(set(pages.values())) == len(pages)


def test_the_order_of_repeated_values_keys_its_own_page(client, atlas):
    """``?j=us&j=eu`` orders the columns US first: not the page cached for ``?j=eu&j=us``.

    Planted and caught: the values of each key sorted in ``_key``."""
    columns = re.compile(r'<th scope="col" id="col-(\w+)"')
    assert columns.findall(client.get("/?j=eu&j=us").content.decode()) == ["eu", "us"]
    assert columns.findall(client.get("/?j=us&j=eu").content.decode()) == ["us", "eu"]
    assert columns.findall(client.get("/?j=eu").content.decode()) == ["eu"]


def set_clock(monkeypatch, moment: datetime.datetime) -> None:
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_a_page_cached_before_midnight_is_not_served_after_it(
    client, page_cache, atlas, monkeypatch
):
    """Pages show the law as of today. A provision that applies from a day shows "Applies from"
    the evening before and "In force" just after midnight, though no data changed in between.
    The days are in the future so that midnight is after the last data change, as in life.

    Planted and caught: the day left out of ``_key`` (the evening's page was served after
    midnight); midnight left out of Last-Modified (If-Modified-Since got a 304 next day)."""
    start = timezone.localdate() + datetime.timedelta(days=11)
    atlas["shown"].applies_from = start
    atlas["shown"].save()
    provision_url = atlas["shown"].get_absolute_url()
    evening = datetime.datetime.combine(start, datetime.time(), tzinfo=datetime.UTC)
    set_clock(monkeypatch, evening - datetime.timedelta(seconds=1))
    before = client.get("/")
    assert f"Applies from {start:%-d %b %Y}" in before.content.decode()
    assert client.get("/").content == before.content  # cached for the day
    assert 'badge-applies_later">Applies from' in client.get(provision_url).content.decode()
    set_clock(monkeypatch, evening + datetime.timedelta(seconds=1))
    after = client.get("/", headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    html = after.content.decode()
    assert "Applies from" not in html
    assert 'badge-in_force">In force<' in html
    assert 'badge-in_force">In force<' in client.get(provision_url).content.decode()
    by_date = client.get("/", headers={"If-Modified-Since": before["Last-Modified"]})
    assert by_date.status_code == 200
    assert by_date["Last-Modified"] != before["Last-Modified"]


def test_head_is_answered_from_the_cache_too(client, atlas, django_assert_num_queries):
    """Planted and caught: "HEAD" dropped from the cached methods."""
    client.get("/")
    with django_assert_num_queries(1):
        response = client.head("/")
    assert response.status_code == 200
    assert response["ETag"]


def test_only_successful_pages_are_kept(client, atlas):
    """A redirect is not stored: the cache keeps a status, a type and a body, and a redirect
    served from it would lose its Location. (A 404 is raised, never stored either.)

    Planted and caught: the status test of what is stored joined with ``and``."""
    make.earlier_label(atlas["shown"], label="Art. 52a", slug="art-52a")
    old = atlas["act"].get_absolute_url() + "art-52a/"
    for _ in range(2):
        response = client.get(old)
        assert response.status_code == 301
        assert response["Location"].endswith(atlas["shown"].get_absolute_url())


# Tests added for the page-cache mutation run (docs/mutation.md): each names the mutants of
# comparisons/web/pagecache.py (and config/dataversion.py) that it was seen to kill.


def test_a_head_request_stores_the_page_for_the_next_get(
    client, atlas, django_assert_num_queries, version_held
):
    """A HEAD that misses renders and stores the page like a GET (a monitor's HEAD warms the
    cache), with the same validators. Planted and caught: "HEAD" misspelt in ``serve``
    (``x_serve__mutmut_4``, ``_5``: the HEAD went to the view unstored, without an ETag)."""
    head = client.head("/")
    assert head.status_code == 200
    assert head["ETag"].startswith('"')
    with django_assert_num_queries(0):
        page = client.get("/")
    assert page["ETag"] == head["ETag"]
    assert citations(page) == {"AI Act Art. 53(2)"}


def test_tracking_parameters_share_the_page_cached_without_them(
    client, atlas, django_assert_num_queries, version_held
):
    """``?utm_source=…`` is not a parameter the view reads: the page cached for ``/`` answers it
    with no query, the same bytes and the same ETag. Planted and caught: every parameter in the
    key (``x_look_up__mutmut_5``, ``_7``: such a page was
    rendered each time and never stored)."""
    first = client.get("/")
    with django_assert_num_queries(0):
        tracked = client.get("/?utm_source=newsletter&fbclid=abc")
    assert tracked.content == first.content
    assert tracked["ETag"] == first["ETag"]


def test_a_cached_json_answer_keeps_its_content_type(client, atlas, version_held):
    """The search API's JSON is cached like the pages: a hit is JSON again, plain or gzipped.
    Planted and caught: the stored content type dropped on a hit (``x__from_cache__mutmut_6``,
    ``_19``: the hit said text/html)."""
    for headers in ({}, {"Accept-Encoding": "gzip"}):
        cache.clear()
        first = client.get("/api/search?q=exemptions", headers=headers)
        assert first["Content-Type"] == "application/json"
        hit = client.get("/api/search?q=exemptions", headers=headers)
        assert hit["Content-Type"] == "application/json"
        assert hit.content == first.content


def test_a_page_rendered_again_is_the_same_bytes_under_its_strong_etag(client, atlas):
    """Two renders of one page (two processes, or after an eviction) a second apart give the same
    gzip bytes: a strong ETag promises byte-identical representations, and proxies merge ranges
    on it. Planted and caught: the gzip header's time left in (each render stamped its own
    second)."""
    gzip_only = {"Accept-Encoding": "gzip"}
    first = client.get("/", headers=gzip_only)
    cache.clear()
    second = int(time.time())
    while int(time.time()) == second:
        time.sleep(0.05)
    again = client.get("/", headers=gzip_only)
    assert again["ETag"] == first["ETag"]
    assert again.content == first.content


@pytest.mark.django_db(transaction=True)
def test_if_modified_since_sees_a_later_publish_and_a_deploy(client, atlas, monkeypatch):
    """Last-Modified is the latest of the last data change, midnight and the process's start,
    so a client or proxy that revalidates by date alone (no ETag) gets the new page after a
    publish and after a deploy. Each write commits on its own here, as a publish does.
    Planted and caught: the data change left out (``x_look_up__mutmut_35``: a 304 after the
    publish) and the process start left out (``_37``: a 304 after the deploy)."""
    from comparisons.web import pagecache

    def next_second():
        second = int(time.time())
        while int(time.time()) == second:
            time.sleep(0.05)

    before = client.get("/")
    next_second()
    atlas["draft"].state = EditorialState.PUBLISHED
    atlas["draft"].save()
    published = client.get("/", headers={"If-Modified-Since": before["Last-Modified"]})
    assert published.status_code == 200
    assert "AI Act Art. 54" in citations(published)
    next_second()
    monkeypatch.setattr(pagecache, "RELEASE", "the-next-release")
    monkeypatch.setattr(pagecache, "STARTED", timezone.now())
    deployed = client.get("/", headers={"If-Modified-Since": published["Last-Modified"]})
    assert deployed.status_code == 200
    assert deployed["Last-Modified"] != published["Last-Modified"]


def test_pages_still_render_when_the_version_row_is_missing(client, atlas):
    """A data-version table without its row (a partial restore) leaves pages uncached, never
    broken. Planted and caught: ``current`` reading a missing row (``x_current__mutmut_5``:
    every page answered 500); the URL's arguments not passed to the view when it renders
    uncached (``x__serve__mutmut_13``: the provision page failed)."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {dataversion.TABLE}")
    for _ in range(2):
        page = client.get("/")
        assert page.status_code == 200
        assert citations(page) == {"AI Act Art. 53(2)"}
        provision = client.get(atlas["shown"].get_absolute_url())
        assert provision.status_code == 200
        assert "Art. 53(2)" in provision.content.decode()


def test_a_gone_page_is_rendered_each_time_and_never_stored(client, atlas, version_held):
    """Only 200 pages are kept: the 410 of a withdrawn instrument (a view that reads no
    parameter, so the whole query is always understood) is rendered on every request and
    carries none of the cached page's validators. Planted and caught: the status test joined
    with ``and`` to the streaming test (``x__serve__mutmut_37``: the 410 was stored and
    answered from the cache with a strong ETag and ``s-maxage``)."""
    from provisions.models import Instrument

    Instrument.objects.filter(pk=atlas["act"].pk).update(state=EditorialState.WITHDRAWN)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            gone = client.get(atlas["act"].get_absolute_url())
        assert gone.status_code == 410
        assert queries.captured_queries, "a 410 was answered from the page cache"
        assert not gone.has_header("ETag")


def test_a_hit_says_how_long_it_is_plain_and_compressed(client, atlas):
    """A hit leaves before CommonMiddleware, so the cache sets Content-Length itself: without
    it a server falls back to chunked transfer, with a wrong one a client cuts the page.

    Found by make mutation: pagecache._from_cache 24 (the length None) and 25 (under another
    header name) survived."""
    for headers in ({}, {"Accept-Encoding": "gzip"}):
        client.get("/", headers=headers)  # stored
        hit = client.get("/", headers=headers)
        assert hit["Content-Length"] == str(len(hit.content)), headers
        assert hit["Content-Type"] == "text/html; charset=utf-8"
