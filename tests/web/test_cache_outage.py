"""A Redis outage costs speed, never a page: the cache degrades to misses and recovers by itself."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.test import override_settings

from bench.harness import free_port
from config import cache as tolerant

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="needs redis-server (Debian package redis-server)"
)


class RedisServer:
    """A private, throwaway redis-server on a free loopback port that a test can stop and start."""

    def __init__(self):
        self.port = free_port()
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
            ],  # fmt: skip
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def cache_settings(self):
        return {
            "default": {
                "BACKEND": "config.cache.TolerantRedisCache",
                "LOCATION": f"redis://127.0.0.1:{self.port}/0",
                "KEY_PREFIX": "atlas-test",
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            }
        }


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def test_redis_url_selects_the_tolerant_backend():
    env = {**os.environ, "REDIS_URL": "redis://127.0.0.1:6379/0"}
    result = subprocess.run(
        [sys.executable, "-c", "from config import settings; print(settings.CACHES['default'])"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "'BACKEND': 'config.cache.TolerantRedisCache'" in result.stdout, result.stderr


def test_redis_outage_is_a_cache_miss_and_the_cache_recovers(redis_server, monkeypatch):
    monkeypatch.setattr(tolerant, "RETRY_AFTER", 0.2)
    with override_settings(CACHES=redis_server.cache_settings()):
        cache.set("greeting", "hello", 60)
        assert cache.get("greeting") == "hello"  # really stored in Redis

        redis_server.stop()
        started = time.monotonic()
        assert cache.get("greeting", "missed") == "missed"
        cache.set("greeting", "again", 60)  # no exception
        assert cache.get_many(["greeting"]) == {}
        assert cache.add("other", 1) is False
        assert cache.get_or_set("computed", lambda: "from the database") == "from the database"
        assert not cache.delete("greeting")
        with pytest.raises(ValueError):
            cache.incr("counter")
        assert time.monotonic() - started < 2

        # Redis comes back (empty, it keeps nothing on disk): the same process uses it again.
        redis_server.start()
        time.sleep(0.3)
        cache.set("greeting", "back", 60)
        assert cache.get("greeting") == "back"


@pytest.mark.django_db
def test_pages_render_from_the_database_while_redis_is_down(redis_server, client):
    with override_settings(CACHES=redis_server.cache_settings()):
        redis_server.stop()
        started = time.monotonic()
        home = client.get("/")
        assert home.status_code == 200
        assert "No comparison has been published yet" in home.content.decode()
        health = client.get("/healthz")
        assert health.status_code == 200
        assert health.json() == {"status": "ok"}
        assert time.monotonic() - started < 5
