"""Checking the outside links the atlas cites: does each still answer, and where does it end up?

``manage.py check_links`` runs this. Each distinct URL is fetched once per run, however many
records cite it: a HEAD request first (cheap for the remote server), then a GET when HEAD is
refused or fails (many servers answer HEAD with 403, 405 or 501). Requests run concurrently,
but one at a time per host with a pause between them, so no server sees more than one request
from us at once. Every socket operation has a timeout, and each URL a hard deadline, so a
server that never answers costs a bounded time and the run always ends.
"""

import datetime
import http.client
import socket
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from urllib.parse import urlsplit

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
# Every field that holds an outside link a reader may follow.
URL_FIELDS = [
    (Source, "url"),
    (Instrument, "official_url"),
    (Instrument, "source_url"),
    (InstrumentEvent, "source_url"),
    (Provision, "source_url"),
    (ProvisionText, "source_url"),
    (EarlierLabel, "source_url"),
    (Argument, "source_url"),
    (Silence, "source_url"),
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
    """Every distinct http(s) URL in the records, sorted."""
    urls = set()
    for model, field in URL_FIELDS:
        urls.update(model._default_manager.exclude(**{field: ""}).values_list(field, flat=True))
    return sorted(u for u in urls if urlsplit(u).scheme in ("http", "https"))


class _NoRedirectBody(urllib.request.HTTPRedirectHandler):
    """Follows redirects as urllib does, keeping HEAD a HEAD."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and req.get_method() == "HEAD":
            new.method = "HEAD"
        return new


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
    def __init__(self, timeout: float = 10.0, per_host_delay: float = 1.0, workers: int = 8):
        self.timeout = timeout
        self.workers = workers
        self.politeness = Politeness(per_host_delay)
        self.opener = urllib.request.build_opener(_NoRedirectBody())

    def fetch(self, url: str, method: str) -> Answer:
        request = urllib.request.Request(
            url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"}
        )
        now = timezone.now()
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return Answer(url, response.status, response.geturl(), method, "", now)
        except urllib.error.HTTPError as error:
            return Answer(url, error.code, error.geturl() or url, method, error.reason or "", now)
        except urllib.error.URLError as error:
            return Answer(url, None, "", method, describe(error.reason), now)
        except TimeoutError:
            return Answer(url, None, "", method, "timed out", now)
        except (OSError, http.client.HTTPException, ValueError) as error:
            return Answer(url, None, "", method, describe(error), now)

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
        """Check every URL; each answer is handed to ``on_answer`` as it arrives.

        A URL still unanswered at its deadline (both requests' timeouts, the pauses of every
        URL queued before it on its host, and a margin) is recorded as timed out.
        """
        urls = list(dict.fromkeys(urls))
        answers: list[Answer] = []
        per_url = 2 * self.timeout + 2 * self.politeness.delay + 1
        hosts = defaultdict(int)
        for url in urls:
            hosts[(urlsplit(url).hostname or "").lower()] += 1
        # Worst case: every URL of the busiest host waits for the ones before it.
        budget = per_url * max(hosts.values(), default=0) + per_url
        deadline = time.monotonic() + budget
        pool = ThreadPoolExecutor(max_workers=max(1, self.workers), thread_name_prefix="linkcheck")
        try:
            pending = {pool.submit(self.check, url): url for url in urls}
            while pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                done, _ = wait(pending, timeout=remaining, return_when=FIRST_COMPLETED)
                for future in done:
                    url = pending.pop(future)
                    answer = future.result()
                    answers.append(answer)
                    if on_answer:
                        on_answer(answer)
            for url in pending.values():  # past the run's deadline: never answered
                answer = Answer(url, None, "", "", "no answer before the deadline", timezone.now())
                answers.append(answer)
                if on_answer:
                    on_answer(answer)
        finally:
            pool.shutdown(wait=False, cancel_futures=True)
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
            "final_url": answer.final_url[:2000],
            "method": answer.method,
            "error": answer.error[:300],
            "ok": answer.ok,
        },
    )
    return found
