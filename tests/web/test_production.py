"""The production-like server (gunicorn, DJANGO_DEBUG=false): security headers and outages.

These talk real HTTP to a real gunicorn with the production settings, on a database of its own
loaded with the fixtures (tests/prodlike.py).
"""

import re
import time
import urllib.parse

import pytest

# One page of each kind (the dataset is loaded), the API, and the probe.
PUBLIC_PAGES = [
    "/",
    "/?j=eu",
    "/components/",
    "/search/?q=open",
    "/arguments/",
    "/eu/",
    "/eu/ai-act/",
    "/eu/ai-act/art-113/",
    "/api/provisions/",
    "/healthz",
]


def directives(csp: str) -> dict[str, list[str]]:
    parsed = {}
    for part in csp.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.mark.parametrize("path", ["/", "/healthz", "/admin/login/", "/no-such-page/"])
def test_every_response_carries_the_security_headers(production_server, path):
    status, headers, _ = production_server.get(path)
    assert status in (200, 302, 404)

    csp = directives(headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    for name, values in csp.items():
        assert "'unsafe-inline'" not in values, name
        assert "'unsafe-eval'" not in values, name
    # Scripts: our own files, or an inline one that carries this response's nonce.
    assert all(v == "'self'" or v.startswith("'nonce-") for v in csp["script-src"])
    assert csp["style-src"] == ["'self'"]

    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"


def test_plain_http_is_redirected_to_https(production_server):
    status, headers, _ = production_server.get("/", headers={"X-Forwarded-Proto": "http"})
    assert status == 301
    assert headers["Location"] == f"https://127.0.0.1:{production_server.port}/"


def test_cookies_are_secure_httponly_and_samesite(production_server):
    production_server.manage(
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        "User.objects.filter(username='cookie-check').delete(); "
        "User.objects.create_superuser('cookie-check', password='a long test password 42')",
    )
    status, headers, body = production_server.get("/admin/login/")
    assert status == 200
    (csrf_cookie,) = [c for c in headers.get_all("Set-Cookie") if c.startswith("csrftoken=")]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token,
            "username": "cookie-check",
            "password": "a long test password 42",
            "next": "/admin/",
        }
    ).encode()
    status, headers, _ = production_server.get(
        "/admin/login/",
        method="POST",
        data=form,
        headers={
            "Cookie": csrf_cookie.split(";")[0],
            "Referer": f"https://127.0.0.1:{production_server.port}/admin/login/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    assert status == 302, "the login must succeed for its cookie to be checked"
    cookies = {c.split("=")[0]: c.lower() for c in headers.get_all("Set-Cookie")}
    for name in ("sessionid", "csrftoken"):
        attributes = [a.strip() for a in cookies[name].split(";")]
        assert "secure" in attributes, name
        assert "httponly" in attributes, name
        assert "samesite=lax" in attributes, name


def test_database_outage_answers_a_friendly_503_and_recovers_without_restart(
    production_server,
):
    pid = production_server.process.pid
    production_server.relay.cut()
    try:
        for path, htmx in [(p, h) for p in PUBLIC_PAGES for h in (False, True)]:
            started = time.monotonic()
            status, headers, body = production_server.get(
                path, headers={"HX-Request": "true"} if htmx else {}
            )
            elapsed = time.monotonic() - started
            assert status == 503, path
            assert elapsed < 2, f"{path} took {elapsed:.2f} s"
            assert "Traceback" not in body
            if path.startswith("/api/"):
                assert '"error": "unavailable"' in body or '"error":"unavailable"' in body
            elif path != "/healthz":
                assert "briefly unavailable" in body
                assert headers["Retry-After"] == "30"
                assert "Content-Security-Policy" in headers
    finally:
        production_server.relay.restore()
    for path in PUBLIC_PAGES:
        status, _, body = production_server.get(path)
        assert status == 200, path
        # htmx requests recover too.
        status, _, _ = production_server.get(path, headers={"HX-Request": "true"})
        assert status == 200, path
    assert production_server.process.pid == pid and production_server.process.poll() is None
