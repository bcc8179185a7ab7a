"""Checking the outside links the atlas cites: does each still answer, and where does it end up?

``manage.py check_links`` runs this. Each distinct URL that a published record cites is fetched
once per run, however many records cite it: a HEAD request first (cheap for the remote server),
then a GET when HEAD is refused or fails (many servers answer HEAD with 403, 405 or 501).
Requests run concurrently, but one at a time per host with a pause between them, so no server
sees more than one request from us at once.

Safe by default, since the URLs are editors' text and the checker runs inside our network:
http and https only, at the first hop and at every redirect; every host name (each redirect's
too) is resolved by us and refused when any of its addresses is loopback, private, link-local,
reserved or otherwise not global, and the connection goes to the address we checked (a second
lookup could answer otherwise). ``allow_private`` lifts the address rule, for all addresses or
for the networks named. No proxy from the environment is used (it would do the lookups).

Time is bounded three ways: a timeout on every socket operation, a deadline per request after
which its sockets are closed (a server trickling a byte a second never reaches a socket
timeout), and a deadline for the whole run, after which the unanswered URLs are recorded as such
and the worker threads, daemons, are left behind: the process exits.
"""

import contextlib
import datetime
import http.client
import ipaddress
import queue
import socket
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from urllib.parse import urljoin, urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from provisions.models import (
    Argument,
    EarlierLabel,
    Instrument,
    InstrumentEvent,
    LinkCheck,
    Provision,
    ProvisionText,
    Silence,
    Source,
)

USER_AGENT = "OpennessAtlasLinkCheck/1.0 (+https://github.com/; checks cited sources)"
SCHEMES = ("http", "https")


def _url_fields():
    """Every field that holds an outside link a reader may follow, of published records only
    (a draft's links are not the atlas's yet, and editors alone could make us fetch them)."""
    public_provisions = Provision.objects.public()
    return [
        (Source.objects.filter(arguments__in=Argument.objects.published()), "url"),
        (Instrument.objects.published(), "official_url"),
        (Instrument.objects.published(), "source_url"),
        (
            InstrumentEvent.objects.filter(instrument__in=Instrument.objects.published()),
            "source_url",
        ),
        (public_provisions, "source_url"),
        (ProvisionText.objects.public(), "source_url"),
        (EarlierLabel.objects.filter(provision__in=public_provisions), "source_url"),
        (Argument.objects.published(), "source_url"),
        (Silence.objects.published(), "source_url"),
    ]


@dataclass
class Answer:
    url: str
    status: int | None
    final_url: str
    method: str
    error: str
    checked_at: datetime.datetime

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 400


def cited_urls() -> list[str]:
    """Every distinct http(s) URL that published records cite, sorted."""
    urls = set()
    for queryset, field in _url_fields():
        urls.update(queryset.exclude(**{field: ""}).values_list(field, flat=True))
    return sorted(u for u in urls if urlsplit(u).scheme in SCHEMES)


class Refused(OSError):
    """A URL the checker will not fetch: its scheme, or the address its host resolves to."""


class AddressPolicy:
    """Which addresses may be connected to: global ones, plus those ``allow_private`` names
    (True: every address; a list: those networks)."""

    def __init__(self, allow_private: bool | Iterable[str] = False):
        self.everything = allow_private is True
        self.networks = (
            []
            if isinstance(allow_private, bool)
            else [ipaddress.ip_network(n, strict=False) for n in allow_private]
        )

    def allows(self, address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
        if self.everything or any(address in network for network in self.networks):
            return True
        mapped = getattr(address, "ipv4_mapped", None)
        if mapped is not None:
            return self.allows(mapped)
        return address.is_global and not address.is_multicast

    def resolve(self, host: str, port: int) -> list[tuple]:
        """The host's addresses, every one of them allowed, or Refused."""
        try:
            found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except socket.gaierror as error:
            raise urllib.error.URLError(error) from None
        for _family, _type, _proto, _name, sockaddr in found:
            address = ipaddress.ip_address(sockaddr[0].split("%")[0])
            if not self.allows(address):
                raise Refused(f"refused: {host} is at a non-public address ({address})")
        return [(family, sockaddr) for family, _t, _p, _n, sockaddr in found]


class Watch:
    """One request's deadline: when it passes, the request's sockets are closed, which ends
    any read in progress however slowly the server sends."""

    def __init__(self, seconds: float):
        self.sockets: list[socket.socket] = []
        self.expired = False
        self.guard = threading.Lock()
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True
        self.timer.start()

    def add(self, sock: socket.socket) -> None:
        with self.guard:
            self.sockets.append(sock)
            if self.expired:
                self._close(sock)

    def expire(self) -> None:
        with self.guard:
            self.expired = True
            for sock in self.sockets:
                self._close(sock)

    @staticmethod
    def _close(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # already closed, or never connected
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()

    def cancel(self) -> None:
        self.timer.cancel()


def _connect(connection, policy: AddressPolicy, watch: Watch) -> socket.socket:
    """Connect to an address ``policy`` allowed, the one we resolved (no second lookup)."""
    last_error: OSError | None = None
    for family, sockaddr in policy.resolve(connection.host, connection.port):
        sock = socket.socket(family, socket.SOCK_STREAM)
        watch.add(sock)
        sock.settimeout(connection.timeout)
        try:
            sock.connect(sockaddr)
            return sock
        except OSError as error:
            last_error = error
            sock.close()
    raise last_error or OSError(f"no address for {connection.host}")


class _VettedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, policy: AddressPolicy, watch: Watch, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy, self.watch = policy, watch

    def connect(self):
        self.sock = _connect(self, self.policy, self.watch)


class _VettedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, policy: AddressPolicy, watch: Watch, **kwargs):
        super().__init__(*args, **kwargs)
        self.policy, self.watch = policy, watch

    def connect(self):
        sock = _connect(self, self.policy, self.watch)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)
        self.watch.add(self.sock)


class _VettedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, connection_kwargs: dict):
        super().__init__()
        self.connection_kwargs = connection_kwargs

    def http_open(self, req):
        return self.do_open(partial(_VettedHTTPConnection, **self.connection_kwargs), req)


class _VettedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, connection_kwargs: dict, context: ssl.SSLContext):
        super().__init__(context=context)
        self.connection_kwargs = connection_kwargs

    def https_open(self, req):
        return self.do_open(
            partial(_VettedHTTPSConnection, **self.connection_kwargs),
            req,
            context=self._context,
        )


class _Redirects(urllib.request.HTTPRedirectHandler):
    """Follows redirects to http and https only (urllib would follow ftp too), keeping HEAD a
    HEAD. The new host is vetted when its connection opens."""

    def http_error_302(self, req, fp, code, msg, headers):
        # Checked before urllib's own check, which answers a redirect to another scheme with
        # the 3xx itself, as if the link were fine.
        location = headers.get("location") or headers.get("uri") or ""
        scheme = urlsplit(urljoin(req.full_url, location)).scheme.lower()
        if location and scheme not in SCHEMES:
            raise Refused(f"refused: a redirect to a {scheme} URL")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if urlsplit(newurl).scheme.lower() not in SCHEMES:
            raise Refused(f"refused: a redirect to {urlsplit(newurl).scheme or 'no'} scheme")
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


def _opener(
    policy: AddressPolicy, watch: Watch, context: ssl.SSLContext
) -> urllib.request.OpenerDirector:
    """Only our handlers: no file:, ftp: or data: handler, no proxy from the environment."""
    kwargs = {"policy": policy, "watch": watch}
    opener = urllib.request.OpenerDirector()
    for handler in (
        urllib.request.ProxyHandler({}),
        urllib.request.UnknownHandler(),
        _VettedHTTPHandler(kwargs),
        _VettedHTTPSHandler(kwargs, context),
        urllib.request.HTTPDefaultErrorHandler(),
        _Redirects(),
        urllib.request.HTTPErrorProcessor(),
    ):
        opener.add_handler(handler)
    return opener


def safe_final_url(url: str) -> str:
    """A final URL worth storing: http(s) and well formed, else nothing (a backup refuses a
    ``file:`` URL, and a reader must never be sent to one)."""
    try:
        URLValidator(schemes=list(SCHEMES))(url)
    except ValidationError:
        return ""
    return url


class Politeness:
    """One request at a time per host, at least ``delay`` seconds apart."""

    def __init__(self, delay: float):
        self.delay = delay
        self.locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self.last: dict[str, float] = {}
        self.guard = threading.Lock()

    def lock_for(self, host: str) -> threading.Lock:
        with self.guard:
            return self.locks[host]

    def wait_turn(self, host: str) -> None:
        """Called holding the host's lock: sleep until the pause since the last request ends."""
        last = self.last.get(host)
        if last is not None:
            pause = last + self.delay - time.monotonic()
            if pause > 0:
                time.sleep(pause)

    def done(self, host: str) -> None:
        self.last[host] = time.monotonic()


class LinkChecker:
    def __init__(
        self,
        timeout: float = 10.0,
        per_host_delay: float = 1.0,
        workers: int = 8,
        allow_private: bool | Iterable[str] = False,
        deadline: float | None = None,
    ):
        self.timeout = timeout
        self.workers = workers
        self.politeness = Politeness(per_host_delay)
        self.policy = AddressPolicy(allow_private)
        self.deadline = deadline  # seconds for the whole run; None: as long as the URLs need
        # One for the run: loading the CA certificates takes a third of a second.
        self.tls = ssl.create_default_context()

    def fetch(self, url: str, method: str) -> Answer:
        now = timezone.now()
        if urlsplit(url).scheme.lower() not in SCHEMES:
            return Answer(url, None, "", method, "refused: not an http or https URL", now)
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
        )
        # The whole request, redirects included, ends by then whatever the server does.
        watch = Watch(self.timeout)
        try:
            with _opener(self.policy, watch, self.tls).open(
                request, timeout=self.timeout
            ) as response:
                final = safe_final_url(response.geturl())
                return Answer(url, response.status, final, method, "", now)
        except urllib.error.HTTPError as error:
            final = safe_final_url(error.geturl() or url)
            return Answer(url, error.code, final, method, error.reason or "", now)
        except Refused as refusal:
            return Answer(url, None, "", method, str(refusal), now)
        except urllib.error.URLError as error:
            reason = "timed out" if watch.expired else describe(error.reason)
            return Answer(url, None, "", method, reason, now)
        except TimeoutError:
            return Answer(url, None, "", method, "timed out", now)
        except (OSError, http.client.HTTPException, ValueError) as error:
            return Answer(
                url, None, "", method, "timed out" if watch.expired else describe(error), now
            )
        finally:
            watch.cancel()

    def check(self, url: str) -> Answer:
        host = (urlsplit(url).hostname or "").lower()
        with self.politeness.lock_for(host):
            self.politeness.wait_turn(host)
            try:
                answer = self.fetch(url, "HEAD")
                # An HTTP error to HEAD may only mean "use GET"; no answer at all will not
                # improve with GET, and retrying would double the time a dead host costs.
                if answer.status is not None and answer.status >= 400:
                    self.politeness.done(host)
                    self.politeness.wait_turn(host)
                    answer = self.fetch(url, "GET")
            finally:
                self.politeness.done(host)
        return answer

    def run(
        self, urls: Iterable[str], on_answer: Callable[[Answer], None] | None = None
    ) -> list[Answer]:
        """Check every URL; each answer is handed to ``on_answer`` as it arrives (in this
        thread, so it may write to the database).

        A URL still unanswered at the run's deadline (both requests' deadlines and the pauses
        of every URL queued before it on its host, and a margin; or ``deadline`` if sooner) is
        recorded as unanswered, and the run returns, leaving its daemon threads behind.
        """
        urls = list(dict.fromkeys(urls))
        answers: list[Answer] = []
        per_url = 2 * self.timeout + 2 * self.politeness.delay + 1
        hosts = defaultdict(int)
        for url in urls:
            hosts[(urlsplit(url).hostname or "").lower()] += 1
        # Worst case: every URL of the busiest host waits for the ones before it.
        budget = per_url * max(hosts.values(), default=0) + per_url
        if self.deadline is not None:
            budget = min(budget, self.deadline)
        deadline = time.monotonic() + budget
        todo: queue.SimpleQueue[str] = queue.SimpleQueue()
        for url in urls:
            todo.put(url)
        done: queue.SimpleQueue[Answer] = queue.SimpleQueue()
        stop = threading.Event()

        def work():
            while not stop.is_set():
                try:
                    url = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    done.put(self.check(url))
                except Exception as error:  # a bug must not stall the run: say what it was
                    done.put(Answer(url, None, "", "", describe(error), timezone.now()))

        for n in range(min(max(1, self.workers), len(urls))):
            threading.Thread(target=work, name=f"linkcheck-{n}", daemon=True).start()
        pending = set(urls)
        try:
            while pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                try:
                    answer = done.get(timeout=remaining)
                except queue.Empty:
                    break
                pending.discard(answer.url)
                answers.append(answer)
                if on_answer:
                    on_answer(answer)
        finally:
            stop.set()  # no new URL is started; those in flight end at their own deadline
        for url in urls:
            if url in pending:  # past the run's deadline: never answered
                answer = Answer(url, None, "", "", "no answer before the deadline", timezone.now())
                answers.append(answer)
                if on_answer:
                    on_answer(answer)
        return answers


def describe(reason) -> str:
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return "timed out"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host not found"
    return str(reason)[:300] or type(reason).__name__


def record(answer: Answer) -> LinkCheck:
    """Store the answer as the URL's latest check."""
    found, _ = LinkCheck.objects.update_or_create(
        url=answer.url,
        defaults={
            "checked_at": answer.checked_at,
            "status": answer.status,
            "final_url": safe_final_url(answer.final_url[:2000]),
            "method": answer.method,
            "error": answer.error[:300],
            "ok": answer.ok,
        },
    )
    return found
