"""A database network partition: fast 503s while it lasts, 200s soon after, no restart.

The production-like server (gunicorn, debug off) keeps its database connections open between
requests, as production does (CONN_MAX_AGE=60), and reaches PostgreSQL through a relay that can
partition: sockets stay open, connections are accepted, nothing is forwarded. Nothing then
fails by itself; only the application's own deadlines (config/database/base.py) can answer.
"""

import threading
import time
import urllib.error

import pytest

from tests.prodlike import ProductionServer

PATHS = ["/healthz", "/", "/eu/ai-act/art-113/", "/arguments/", "/api/provisions/", "/changes/"]


@pytest.fixture(scope="module")
def server():
    server = ProductionServer(database="atlas_partition_test")
    server.env["DJANGO_CONN_MAX_AGE"] = "60"  # as in production: connections are kept
    server.start()
    yield server
    server.stop()


def timed(server, path):
    started = time.monotonic()
    try:
        status, _, _ = server.get(path)
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        status = repr(error)  # no response at all
    return status, time.monotonic() - started


def test_a_partition_answers_503_fast_and_recovers_without_a_restart(server):
    pid = server.process.pid
    for path in PATHS * 2:  # both workers hold an open connection now
        assert server.get(path)[0] == 200, path

    server.relay.partition()
    try:
        # One at a time: each answer's own time.
        for path in PATHS * 2:
            status, elapsed = timed(server, path)
            assert status == 503, (path, status)
            assert elapsed < 3, f"{path} took {elapsed:.1f} s during the partition"
        # A burst, three times as many requests as workers: every one gets an answer (the
        # queued ones later), none is dropped.
        answers = []
        threads = [
            threading.Thread(target=lambda p=p: answers.append((p, *timed(server, p))))
            for p in PATHS
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
        assert len(answers) == len(threads)
        assert [status for _, status, _ in answers] == [503] * len(PATHS), answers
    finally:
        server.relay.heal()

    healed = time.monotonic()
    waiting = set(PATHS)
    while waiting and time.monotonic() - healed < 5:
        for path in sorted(waiting):
            if server.get(path)[0] == 200:
                waiting.discard(path)
        time.sleep(0.1)
    assert not waiting, f"still not 200 5 s after the partition healed: {sorted(waiting)}"
    assert server.process.pid == pid and server.process.poll() is None  # no restart
    assert "WORKER TIMEOUT" not in server.log_text()
