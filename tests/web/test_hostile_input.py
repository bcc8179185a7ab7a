"""Every query string is hostile: generated garbage on every public URL, plain and as htmx.

Hypothesis sends query strings and path segments built from what breaks web apps (huge values,
unicode, NUL bytes, SQL and HTML metacharacters, repeated keys, impossible dates and numbers) to
every public URL of the loaded dataset (tests/public_urls.py). No answer may be a 5xx or show a
traceback, and an HTML page may never carry a generated markup marker unescaped. Runs are
derandomized (the same examples every run, in CI too) and bounded by ``max_examples``.
"""

from urllib.parse import quote, urlencode

import django_filters
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.public_urls import public_urls, uncovered_routes

# Raw markup that must never come back unescaped. Each is unique enough not to occur naturally.
MARKERS = [
    '<script>probe("xss-1")</script>',
    '"><img src=x onerror=probe(2)>',
    "<iframe src=javascript:probe(3)>",
    "<svg/onload=probe(4)>",
]
NASTY = [
    *MARKERS,
    "' OR 1=1 --",
    "'; DROP TABLE provisions_provision; --",
    '" OR ""="',
    "%' AND 1=0 UNION SELECT NULL, version() --",
    "\\",
    "%00",
    "\x00",
    "a\x00b",
    "../../../../etc/passwd",
    "{{ 7*7 }}",
    "{% debug %}",
    "${jndi:ldap://127.0.0.1/x}",
    "🦄" * 50,
    "\u202e\u0000\ufeff",
    "Ω≈ç√∫˜µ≤≥÷",
    "\ud7ff",
    "2024-13-45",
    "2024-02-30",
    "0000-00-00",
    "9999-12-31",
    "-1",
    "0",
    "1e308",
    "-1e308",
    "NaN",
    "Infinity",
    "99999999999999999999999999999",
    "0x1F",
    "true",
    "null",
    "[]",
    "{}",
    "",
    " ",
    "x" * 10_000,
    "é" * 3_000,
]
COMMON_KEYS = [
    "q", "page", "format", "as_of", "on", "date", "j", "topic", "component", "treatment",
    "status", "binding", "stance", "evidence", "evidence_kind", "provision", "jurisdiction",
    "kind", "ordering", "limit", "offset", "cursor", "page_size", "sort", "rows", "view",
    "_", "csrfmiddlewaretoken", "next",
]  # fmt: skip


def filter_keys() -> list[str]:
    """Every parameter name that a FilterSet in the project declares."""
    found, todo = set(), list(django_filters.FilterSet.__subclasses__())
    while todo:
        filterset = todo.pop()
        todo.extend(filterset.__subclasses__())
        found.update(getattr(filterset, "base_filters", {}))
    return sorted(found)


# Text hypothesis invents: any code point, NUL and surrogates included (the test client sends
# them percent-encoded as UTF-8, surrogates as the replacement error they cause on a server).
invented = st.text(st.characters(codec="utf-8"), max_size=300)
values = st.one_of(st.sampled_from(NASTY), invented, st.integers().map(str))


@pytest.fixture(scope="module")
def urls(django_db_setup, django_db_blocker):
    """The fixtures, loaded once for this module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_atlas", verbosity=0)
        found = public_urls()
        yield found
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def by_route(urls):
    """The URLs grouped by route, so each kind of page is drawn as often as any other."""
    grouped = {}
    for url in urls:
        grouped.setdefault(resolve(url.split("?")[0]).route, []).append(url)
    return [grouped[route] for route in sorted(grouped)]


@pytest.fixture(scope="module")
def keys():
    return sorted(set(COMMON_KEYS) | set(filter_keys()))


def check(response, url):
    status = response.status_code
    assert status < 500, f"{status} for {url!r}"
    body = response.content.decode("utf-8", errors="replace")
    assert "Traceback" not in body, url
    assert 'id="traceback"' not in body, url
    if "html" in response.get("Content-Type", ""):
        for marker in MARKERS:
            assert marker not in body, f"unescaped {marker!r} in {url!r}"


def client_get(client, url, htmx):
    headers = {"HX-Request": "true", "HX-Current-URL": "http://testserver/"} if htmx else {}
    return client.get(url, headers=headers)


HYPOTHESIS = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
def test_every_public_route_is_reached_by_the_url_list(urls):
    assert len(urls) > 50
    assert uncovered_routes(urls) == set()


@pytest.mark.django_db
def test_every_public_url_answers_as_it_is(urls):
    client = Client()
    for url in urls:
        for htmx in (False, True):
            response = client_get(client, url, htmx)
            assert response.status_code in (200, 301, 302), url
            check(response, url)


@pytest.mark.django_db
@pytest.mark.parametrize("marker", MARKERS)
def test_markup_in_any_parameter_is_never_echoed_raw(by_route, keys, marker):
    """Every known parameter at once carries the marker, twice, on each kind of page."""
    client = Client()
    for route_urls in by_route:
        url = route_urls[0]
        query = urlencode([(key, marker) for key in keys] * 2)
        for htmx in (False, True):
            check(client_get(client, f"{url}?{query}", htmx), url)


@pytest.mark.django_db
@HYPOTHESIS
@given(data=st.data())
def test_hostile_query_strings_never_break_a_page(by_route, keys, data):
    route_urls = data.draw(st.sampled_from(by_route), label="route")
    url = data.draw(st.sampled_from(route_urls), label="url")
    pairs = data.draw(
        st.lists(
            st.tuples(st.sampled_from(keys) | invented, values),
            min_size=1,
            max_size=6,
        ),
        label="pairs",
    )
    # Repeated keys: the same key again with another value, as a browser can send.
    if data.draw(st.booleans(), label="repeat"):
        pairs.append((pairs[0][0], data.draw(values)))
    htmx = data.draw(st.booleans(), label="htmx")
    target = f"{url}?{urlencode(pairs)}"
    check(client_get(Client(), target, htmx), target)


@pytest.mark.django_db
@HYPOTHESIS
@given(data=st.data())
def test_hostile_path_segments_never_break_a_page(by_route, data):
    route_urls = data.draw(st.sampled_from(by_route), label="route")
    url = data.draw(st.sampled_from(route_urls), label="url")
    segments = url.strip("/").split("/") if url != "/" else []
    segment = data.draw(values, label="segment")
    encoded = quote(segment, safe="")
    how = data.draw(st.sampled_from(["replace", "append", "raw"]), label="how")
    if how == "replace" and segments:
        segments[data.draw(st.integers(0, len(segments) - 1))] = encoded
    elif how == "append":
        segments.append(encoded)
    else:
        segments.append(quote(segment, safe="/<>\"'{}|\\^`"))
    target = "/" + "/".join(segments) + ("/" if data.draw(st.booleans()) else "")
    htmx = data.draw(st.booleans(), label="htmx")
    check(client_get(Client(), target, htmx), target)


LONG = "x" * 5000


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("/?q=" + LONG, "at most 200 characters"),
        ("/components/?q=" + LONG, "at most 200 characters"),
        ("/search/?q=" + LONG, "at most 200 characters"),
        ("/?" + "&".join(["j=eu"] * 60), "Too many values (at most 50)"),
        ("/arguments/?" + "&".join(["stance=for"] * 60), "Too many values (at most 50)"),
        ("/arguments/?stance=" + LONG, "Unknown value ignored"),
    ],
)
def test_over_long_input_is_capped_with_a_clear_message(urls, query, message, htmx):
    response = client_get(Client(), query, htmx)
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert message in body
    assert "x" * 201 not in body  # the long value is not echoed back whole
