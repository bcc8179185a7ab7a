"""manage.py check_links against a real local HTTP server: every kind of answer, bounded time."""

import io
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from provisions.linkcheck import LinkChecker
from provisions.models import Argument, EditorialState, Instrument, LinkCheck, Provision, Silence
from tests.builders import published as make

pytestmark = pytest.mark.django_db

TIMEOUT = 1.0


class Handler(BaseHTTPRequestHandler):
    """200, 301, 404, 500, slow, too slow, and HEAD refused (405) but GET fine."""

    def log_message(self, *args):  # quiet test output
        pass

    def answer(self, with_body: bool):
        server = self.server
        with server.guard:
            server.seen.append((self.command, self.path, time.monotonic()))
            server.active += 1
            server.most_at_once = max(server.most_at_once, server.active)
        try:
            path = self.path.split("?")[0]
            if path == "/slow":
                time.sleep(0.3)  # slow, but within the timeout
            if path == "/too-slow":
                server.release.wait(5 * TIMEOUT)  # longer than the timeout
            status, headers = {
                "/ok": (200, {}),
                "/slow": (200, {}),
                "/too-slow": (200, {}),
                "/moved": (301, {"Location": "/ok"}),
                "/missing": (404, {}),
                "/broken": (500, {}),
                "/head-refused": (405 if self.command == "HEAD" else 200, {}),
            }.get(path, (404, {}))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            body = b"ok" if with_body else b""
            self.send_header("Content-Length", "2")
            self.end_headers()
            if with_body:
                self.wfile.write(body)
        finally:
            with server.guard:
                server.active -= 1

    def do_HEAD(self):
        self.answer(with_body=False)

    def do_GET(self):
        self.answer(with_body=True)


@pytest.fixture
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    httpd.guard = threading.Lock()
    httpd.seen, httpd.active, httpd.most_at_once = [], 0, 0
    httpd.release = threading.Event()
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.release.set()
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def silent_port():
    """A port that accepts connections (the kernel's backlog) and never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield sock.getsockname()[1]
    sock.close()


@pytest.fixture
def closed_port():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


def cite_only(url: str) -> None:
    """The builders' published records cite example.org: let them cite ``url`` instead, so
    that the checks stay on this machine."""
    for model in (Argument, Instrument, Provision, Silence):
        model.objects.filter(source_url="https://example.org/source").update(source_url=url)


class InFlight:
    """Counts our own requests still awaiting an answer, per host, at their peak.

    Counted on our side, not the server's: a request we gave up on at its timeout is over for
    us, though the test server's handler may still be sleeping on it (it was, and the server's
    own count then saw two at once whenever the lock let the next URL go before it ended).
    """

    def __init__(self, monkeypatch):
        self.guard = threading.Lock()
        self.active: dict[str, int] = {}
        self.most_at_once = 0
        fetch = LinkChecker.fetch

        def counted(checker, url, method):
            host = urlsplit(url).hostname
            with self.guard:
                self.active[host] = self.active.get(host, 0) + 1
                self.most_at_once = max(self.most_at_once, self.active[host])
            try:
                return fetch(checker, url, method)
            finally:
                with self.guard:
                    self.active[host] -= 1

        monkeypatch.setattr(LinkChecker, "fetch", counted)


def test_check_links_records_each_answer_within_its_time_budget(
    server, silent_port, closed_port, monkeypatch
):
    in_flight = InFlight(monkeypatch)
    base = f"http://127.0.0.1:{server.server_port}"
    urls = {
        "ok": f"{base}/ok",
        "moved": f"{base}/moved",
        "missing": f"{base}/missing",
        "broken": f"{base}/broken",
        "slow": f"{base}/slow",
        "too_slow": f"{base}/too-slow",
        "head_refused": f"{base}/head-refused",
        "silent": f"http://127.0.0.1:{silent_port}/",
        "refused": f"http://127.0.0.1:{closed_port}/",
    }
    # Cited where check_links looks: sources, official URLs, provisions' and texts' sources.
    # Sources are checked when a published argument cites them.
    make.argument(source=make.source(url=urls["ok"]))
    make.argument(source=make.source(url=urls["missing"]))
    make.instrument(official_url=urls["moved"], source_url=urls["broken"])
    make.text(
        provision=make.provision(source_url=urls["slow"]),
        state=EditorialState.PUBLISHED,
        **(make.SOURCED | {"source_url": urls["too_slow"]}),
    )
    make.argument(source=make.source(url=urls["silent"]), source_url=urls["head_refused"])
    make.silence(source_url=urls["refused"])
    cite_only(urls["ok"])
    out = io.StringIO()
    started = time.monotonic()
    call_command(
        "check_links",
        "--timeout",
        str(TIMEOUT),
        "--per-host-delay",
        "0.05",
        "--allow-private",  # the test servers are on loopback
        stdout=out,
    )
    elapsed = time.monotonic() - started
    # Two timeouts (too slow, silent) and small answers; never the five seconds a hang costs.
    assert elapsed < 6 * TIMEOUT, elapsed

    checks = {c.url: c for c in LinkCheck.objects.all()}
    assert set(checks) >= set(urls.values())

    def result(name):
        c = checks[urls[name]]
        return (c.ok, c.status, c.error)

    assert result("ok") == (True, 200, "")
    assert checks[urls["moved"]].status == 200 and checks[urls["moved"]].final_url == urls["ok"]
    assert checks[urls["moved"]].redirected
    assert result("missing")[:2] == (False, 404)
    assert result("broken")[:2] == (False, 500)
    assert result("slow") == (True, 200, "")
    assert result("too_slow") == (False, None, "timed out")
    assert result("silent") == (False, None, "timed out")
    assert result("refused") == (False, None, "connection refused")
    # HEAD first; GET only when HEAD got an error answer.
    assert result("head_refused") == (True, 200, "")
    assert checks[urls["head_refused"]].method == "GET"
    assert checks[urls["ok"]].method == "HEAD"
    methods = {}
    for method, path, _ in server.seen:
        methods.setdefault(path, []).append(method)
    assert methods["/ok"] == ["HEAD", "HEAD"]  # its own check, and /moved's redirect (a HEAD)
    assert methods["/moved"] == ["HEAD"]
    assert methods["/missing"] == ["HEAD", "GET"]
    assert methods["/too-slow"] == ["HEAD"]  # no answer at all: GET would not do better
    # Polite: one request at a time to the host.
    assert in_flight.most_at_once == 1
    # Not a terminal: one line.
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("check_links: 9 links checked in ")
    assert lines[0].endswith("4 answered (1 after a redirect), 5 failed.")


def test_requests_to_one_host_are_spaced(server):
    base = f"http://127.0.0.1:{server.server_port}"
    checker = LinkChecker(timeout=TIMEOUT, per_host_delay=0.2, workers=8, allow_private=True)
    answers = checker.run([f"{base}/ok?{n}" for n in range(4)])
    assert [a.status for a in answers] == [200] * 4
    starts = sorted(t for _, _, t in server.seen)
    gaps = [b - a for a, b in zip(starts, starts[1:], strict=False)]
    assert min(gaps) >= 0.18, gaps
    assert server.most_at_once == 1


def test_a_run_ends_at_its_deadline_whatever_a_check_does(monkeypatch):
    stuck = threading.Event()
    monkeypatch.setattr(LinkChecker, "check", lambda self, url: stuck.wait(60))
    checker = LinkChecker(timeout=0.2, per_host_delay=0.0, workers=2)
    started = time.monotonic()
    try:
        answers = checker.run(["http://example.invalid/a"])
    finally:
        stuck.set()
    assert time.monotonic() - started < 3
    assert [(a.ok, a.error) for a in answers] == [(False, "no answer before the deadline")]


class TerminalOut(io.StringIO):
    def isatty(self):
        return True


def test_progress_on_a_terminal(server):
    base = f"http://127.0.0.1:{server.server_port}"
    make.argument(source=make.source(url=f"{base}/ok"))
    make.argument(source=make.source(url=f"{base}/missing"))
    cite_only(f"{base}/ok")
    out = TerminalOut()
    call_command(
        "check_links",
        "--timeout",
        str(TIMEOUT),
        "--per-host-delay",
        "0",
        "--allow-private",
        stdout=out,
    )
    text = out.getvalue()
    assert "\rChecked 1/2, " in text and "\rChecked 2/2, 1 failing" in text
    assert text.rstrip().endswith("1 answered (0 after a redirect), 1 failed.")


# Safe by default -------------------------------------------------------------------------------


class Redirecting(BaseHTTPRequestHandler):
    """Redirects inward and to other schemes; counts every request it gets."""

    def log_message(self, *args):
        pass

    def do_HEAD(self):
        self.server.seen.append(self.path)
        targets = {
            "/to-inside": f"http://127.0.0.2:{self.server.inner_port}/secret",
            "/to-file": "file:///etc/passwd",
            "/to-ftp": f"ftp://127.0.0.1:{self.server.inner_port}/x",
        }
        self.send_response(302 if self.path in targets else 200)
        if self.path in targets:
            self.send_header("Location", targets[self.path])
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD


def serve(handler, address: str):
    httpd = ThreadingHTTPServer((address, 0), handler)
    httpd.daemon_threads = True
    httpd.seen = []
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd


@pytest.fixture
def redirecting():
    # The inner server stands for what is inside our network: a second loopback address, so
    # that the test may allow exactly the outer server's address and no other.
    inner = serve(Redirecting, "127.0.0.2")
    outer = serve(Redirecting, "127.0.0.1")
    outer.inner_port = inner.inner_port = inner.server_port
    yield outer, inner
    for httpd in (outer, inner):
        httpd.shutdown()
        httpd.server_close()


def test_private_and_loopback_addresses_are_refused_unless_allowed(redirecting):
    outer, inner = redirecting
    port = outer.server_port
    urls = [
        f"http://127.0.0.1:{port}/ok",
        f"http://localhost:{port}/ok",
        f"http://[::1]:{port}/ok",
        "http://10.1.2.3/",
        "http://169.254.169.254/latest/meta-data/",
        "http://0.0.0.0/",
        "ftp://127.0.0.1/file",
    ]
    for url in urls:
        make.argument(source=make.source(url=url))
    cite_only(urls[0])
    call_command("check_links", "--timeout", "1", "--per-host-delay", "0", stdout=io.StringIO())
    checks = {c.url: c for c in LinkCheck.objects.all()}
    http_urls = [u for u in urls if u.startswith("http")]  # ftp is never even cited
    assert sorted(checks) == sorted(http_urls)
    assert all(not c.ok and c.error.startswith("refused") for c in checks.values()), [
        (c.url, c.error) for c in checks.values()
    ]
    assert outer.seen == [] and inner.seen == []  # no request left the checker


def test_redirects_inward_and_to_other_schemes_are_refused_and_nothing_unsafe_is_kept(
    redirecting,
):
    outer, inner = redirecting
    base = f"http://127.0.0.1:{outer.server_port}"
    paths = ["/to-inside", "/to-file", "/to-ftp"]
    for path in paths:
        make.argument(source=make.source(url=base + path))
    make.argument(source=make.source(url=base + "/ok"))
    cite_only(base + "/ok")
    call_command(
        "check_links",
        "--timeout",
        "1",
        "--per-host-delay",
        "0",
        "--allow-private",
        "127.0.0.1/32",  # the outer server only
        stdout=io.StringIO(),
    )
    checks = {urlsplit(c.url).path: c for c in LinkCheck.objects.all()}
    assert (checks["/ok"].ok, checks["/ok"].final_url) == (True, base + "/ok")
    for path in paths:
        check = checks[path]
        assert (check.ok, check.final_url) == (False, ""), (path, check.error)
        assert check.error.startswith("refused"), (path, check.error)
    assert inner.seen == []  # the inside was never asked
    # Nothing stored that a backup would refuse or a reader could be sent to.
    assert {urlsplit(c.final_url).scheme for c in LinkCheck.objects.all()} <= {"", "http"}
    from provisions import backup

    table = next(t for t in backup.export()["tables"] if t["model"] == "provisions.linkcheck")
    assert len(table["rows"]) == 4


@pytest.fixture
def trickling():
    """Accepts, then sends a response one byte every 0.2 s, for ever."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    stop = threading.Event()

    def trickle(connection):
        with connection:
            for byte in b"HTTP/1.1 200 OK\r\nX-Slow: " + b"a" * 100_000:
                if stop.wait(0.2):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return

    def accept():
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=trickle, args=(connection,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/slow"
    stop.set()
    listener.close()


def test_a_trickling_server_is_cut_off_at_the_request_deadline(trickling):
    checker = LinkChecker(timeout=0.5, per_host_delay=0, allow_private=True)
    started = time.monotonic()
    [answer] = checker.run([trickling])
    # A byte every 0.2 s never reaches the 0.5 s socket timeout; the request's deadline does.
    assert time.monotonic() - started < 3
    assert (answer.ok, answer.error) == (False, "timed out")


def test_the_command_exits_at_its_total_deadline(trickling):
    import subprocess
    import sys

    from tests.prodlike import ROOT

    # As cron runs it: a process of its own, which must end, threads and all.
    script = (
        "import django; django.setup();"
        "from provisions.linkcheck import LinkChecker;"
        f"a = LinkChecker(timeout=30, allow_private=True, deadline=1).run([{trickling!r}]);"
        "print(a[0].error)"
    )
    started = time.monotonic()
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={
            **__import__("os").environ,
            "DJANGO_DEBUG": "true",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    elapsed = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "no answer before the deadline"
    assert elapsed < 20, elapsed  # the deadline and start-up, never the 60 s of a request
