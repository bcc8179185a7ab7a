"""Public pages from Django's cache, with strong ETags for browsers, proxies and CDNs.

``@cached_page`` wraps a public view (the matrix pages, record pages, search, texts, timeline):

1. It takes the data version (``config/dataversion.py``), as this process last read it: at
   most one second old, and current at once after this process's own writes (a publish may
   take up to one second to reach every server process). From it the key: the code's release,
   the data version, today's date (pages show the law as of today by default), scheme and
   host, the path, the parameters the view reads (``params``; keys sorted, the order of
   repeated values kept: it orders columns; ``utm_source`` or junk is not part of the key) and
   whether htmx asked for the fragment. A new version means new keys: nothing is invalidated
   by hand, and old entries age out.
2. ``If-None-Match``/``If-Modified-Since`` that still hold get a 304 without touching the
   cache or the view. Responses carry a strong ETag made from the key and the content coding
   (gzip bytes and plain bytes are different representations), Last-Modified, ``Vary`` on
   exactly the request headers that change the bytes (``VARY``), and ``Cache-Control: public,
   max-age=0, s-maxage=1, stale-while-revalidate=30``: browsers ask again every time (a 304
   costs no query), and a CDN in front keeps a page for a second.
3. Otherwise the gzipped body comes from Django's cache (local memory per process by default,
   Redis when REDIS_URL is set), else the view renders it once for everyone.

The view and the version read go to the database ``config.routers`` picks for public reads
(a read replica when DATABASE_REPLICA_URL is set), so a page is keyed on the version of the very
database it was rendered from: a lagging replica can never store old data under a new key.

Only 200 responses are kept, and only when the view understood the whole query it was keyed on
(``understood``, the one thing a view tells the cache): a page that reports an ignored value
(``?j=nowhere``) is rendered each time and never stored, so junk queries cost CPU but can never
fill the cache. Pages must therefore not vary on anything but the key's parts: no per-user
content, and no per-request nonce in the cached HTML (scripts are files from our own origin,
which the CSP allows without one). No secret is in these pages (no CSRF token: their forms are
GET), so serving them compressed gives BREACH nothing to find.
"""

import dataclasses
import datetime
import functools
import gzip
import hashlib
import os
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from comparisons.web.fragments import FRAGMENT_HEADERS, wants_fragment
from config import dataversion, routers

TIMEOUT = 60 * 60 * 24  # keys change with every edit and every day; this only bounds memory
COMPRESS_LEVEL = 6
# Exactly the request headers a cached page's bytes depend on: the content coding, and whether
# htmx asked for the fragment (a history restore asks for the whole page). Not Cookie: cached
# pages carry nothing per user.
VARY = ", ".join(("Accept-Encoding", *FRAGMENT_HEADERS))


def _release() -> str:
    """What the code is: ATLAS_RELEASE if set (a commit id), else a hash of templates, code and
    static sources, so that a deploy never serves pages rendered by the previous code."""
    if release := os.environ.get("ATLAS_RELEASE"):
        return release
    digest = hashlib.sha256()
    base = Path(settings.BASE_DIR)
    for folder in ("templates", "static", "comparisons", "provisions", "config"):
        for path in sorted((base / folder).rglob("*")):
            if path.is_file() and path.suffix in {".py", ".html", ".css", ".js", ".svg"}:
                digest.update(path.relative_to(base).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RELEASE = _release()
STARTED = timezone.now()


def _normal(query, params=None) -> list[tuple[str, list[str]]]:
    """The non-empty values of ``params`` (all keys if None), keys sorted, value order kept."""
    names = query.keys() if params is None else params
    found = ((name, [v for v in query.getlist(name) if v]) for name in names)
    return sorted((name, values) for name, values in found if values)


def understood(request: HttpRequest, query: QueryDict) -> None:
    """A view tells the cache which query it understood: its validated filters, in the form it
    builds links from. The page is stored only when that is all the request asked."""
    request.page_query_understood = query


def _key(request: HttpRequest, version: int, day: datetime.date, query) -> str:
    # Scheme and host: pages print absolute permalinks and citations.
    parts = [RELEASE, str(version), day.isoformat(), request.scheme, request.get_host()]
    parts += [request.path, repr(query)]
    parts.append("fragment" if wants_fragment(request) else "page")
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _accepts_gzip(request: HttpRequest) -> bool:
    """Whether Accept-Encoding takes gzip: named (or ``*``) with a quality above zero."""
    return _takes_gzip(request.headers.get("Accept-Encoding", ""))


@functools.lru_cache(maxsize=64)  # browsers send a handful of distinct values; junk ages out
def _takes_gzip(accept_encoding: str) -> bool:
    qualities = {}
    for part in accept_encoding.lower().split(","):
        coding, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding:
            qualities[coding] = quality
    return qualities.get("gzip", qualities.get("x-gzip", qualities.get("*", 0.0))) > 0


def _cache_control() -> str:
    """Browsers revalidate each time; shared caches keep a page ``PAGE_CACHE_S_MAXAGE`` seconds
    (1 by default: the same bound as between server processes) and may serve it
    ``PAGE_CACHE_STALE_WHILE_REVALIDATE`` seconds longer while they fetch the new one."""
    s_maxage = getattr(settings, "PAGE_CACHE_S_MAXAGE", 1)
    stale = getattr(settings, "PAGE_CACHE_STALE_WHILE_REVALIDATE", 30)
    # Written whole rather than through patch_cache_control: no view adds its own directives to
    # a cached page, and parsing an empty header on every hit was a tenth of a hit's time.
    return f"public, max-age=0, s-maxage={s_maxage}, stale-while-revalidate={stale}"


def _finish(response: HttpResponse, lookup: "Lookup") -> HttpResponse:
    response.headers["ETag"] = lookup.etag
    response.headers["Last-Modified"] = http_date(lookup.modified.timestamp())
    response.headers["Cache-Control"] = _cache_control()
    response.headers["Vary"] = VARY  # set, not patched: the same on a hit, a miss and a 304
    return response


def _from_cache(request: HttpRequest, stored: tuple[int, str, bytes]) -> HttpResponse:
    status, content_type, body = stored
    if _accepts_gzip(request):
        response = HttpResponse(body, status=status, content_type=content_type)
        response.headers["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(gzip.decompress(body), status=status, content_type=content_type)
    # Hits leave before CommonMiddleware, which would set it.
    response.headers["Content-Length"] = str(len(response.content))
    return response


def _stored(key: str):
    return cache.get(f"page:{key}")


def _store(key: str, stored: tuple[int, str, bytes]) -> None:
    cache.set(f"page:{key}", stored, TIMEOUT)


@dataclasses.dataclass(frozen=True, slots=True)
class Lookup:
    """What the cache needs to answer one request: its key, ETag and Last-Modified."""

    key: str
    asked: list
    etag: str
    modified: datetime.datetime


def look_up(request: HttpRequest, params, found) -> Lookup:
    version, changed_at = found
    day = timezone.localdate()
    asked = _normal(request.GET, params)
    key = _key(request, version, day, asked)
    # Strong: the same key always means the same bytes in the same content coding.
    etag = f'"{key[:32]}-gzip"' if _accepts_gzip(request) else f'"{key[:32]}"'
    midnight = datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)
    modified = max(changed_at, midnight, STARTED).replace(microsecond=0)
    return Lookup(key, asked, etag, modified)


def answer_stored(request: HttpRequest, lookup: Lookup) -> HttpResponse | None:
    """A 304 when the client's copy still holds, the stored page when there is one, else None."""
    not_modified = get_conditional_response(
        request, etag=lookup.etag, last_modified=int(lookup.modified.timestamp())
    )
    if not_modified is not None:
        return _finish(not_modified, lookup)
    stored = _stored(lookup.key)
    if stored is not None:
        return _finish(_from_cache(request, stored), lookup)
    return None


def cached_page(view=None, *, params: tuple[str, ...] = ()):
    """Serve ``view`` from the page cache. ``params``: the query parameters it reads (a view that
    reads some must report what it understood with ``understood``)."""
    if view is None:
        return functools.partial(cached_page, params=tuple(params))

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with routers.public_reads():
            return serve(view, params, request, *args, **kwargs)

    return wrapper


def serve(view, params, request: HttpRequest, *args, **kwargs) -> HttpResponse:
    """A 304, the stored page, or ``view``'s response, stored for the next request when it may
    be. Not nested in ``cached_page``: mutation testing reaches top-level functions."""
    found = dataversion.remembered(routers.public_database())
    if found is None:
        return view(request, *args, **kwargs)  # a database never migrated: render, uncached
    lookup = look_up(request, params, found)
    answer = answer_stored(request, lookup)
    if answer is not None:
        return answer
    response = view(request, *args, **kwargs)
    if not _storable(request, response, params, lookup):
        return response
    stored = (
        response.status_code,
        response["Content-Type"],
        gzip.compress(response.content, COMPRESS_LEVEL, mtime=0),
    )
    _store(lookup.key, stored)
    return _finish(_from_cache(request, stored), lookup)


def _storable(request: HttpRequest, response: HttpResponse, params, lookup: "Lookup") -> bool:
    if params:
        answered = getattr(request, "page_query_understood", None)
        if answered is None or _normal(answered) != lookup.asked:
            return False
    # else the view reads no parameter: any query gives the same page
    return (
        response.status_code == 200
        and not response.streaming
        and not response.has_header("Content-Encoding")
    )
