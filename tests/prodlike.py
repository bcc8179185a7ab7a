"""A production-like server for tests: gunicorn, DJANGO_DEBUG=false, its own database.

The server, its database and the ports come from the harness that `make bench` and `make load`
use too (bench/harness.py); what is the tests' own is here: the test settings' PostgreSQL, and
a small TCP relay between the server and it that a test can cut and restore, which is what a
database outage looks like from the application (connections refused, live ones dropped),
without stopping the PostgreSQL that the rest of the suite uses.
"""

import contextlib
import os
import select
import socket
import tempfile
import threading
import time
import urllib.error
import urllib.request

from django.db import connection

from bench import harness
from bench.harness import ROOT, free_port  # noqa: F401 (ROOT: for the tests that import it)

SECRET = "prodlike-" + "k" * 60


def _server_address(settings_dict: dict) -> tuple[int, object]:
    """Where the test settings' PostgreSQL listens: (AF_UNIX, path) or (AF_INET, (host, port))."""
    host = settings_dict["HOST"] or settings_dict["OPTIONS"].get("host") or "/var/run/postgresql"
    port = int(settings_dict["PORT"] or settings_dict["OPTIONS"].get("port") or 5432)
    if host.startswith("/"):
        return socket.AF_UNIX, os.path.join(host, f".s.PGSQL.{port}")
    return socket.AF_INET, (host, port)


def database_url(name: str | None = None) -> str:
    """A DATABASE_URL for a subprocess: the test settings' server, and its test database."""
    settings_dict = connection.settings_dict
    family, address = _server_address(settings_dict)
    user, password = settings_dict["USER"], settings_dict["PASSWORD"] or ""
    name = name or settings_dict["NAME"]
    if family == socket.AF_UNIX:
        return f"postgresql://{user}:{password}@/{name}?host={os.path.dirname(address)}"
    return f"postgresql://{user}:{password}@{address[0]}:{address[1]}/{name}"


class Relay:
    """Forwards 127.0.0.1:<port> to the database server; ``cut()`` is an outage, ``restore()``.

    ``partition()`` is the nastier failure: every socket stays open and new connections are
    still accepted, but nothing is forwarded either way (a dropped route, a stuck middlebox),
    so the application hears nothing at all, not even a reset; ``heal()`` forwards again.
    """

    def __init__(self, family, address):
        self.family, self.address = family, address
        self.port = free_port()
        self._listener = None
        self._pairs: list[tuple[socket.socket, socket.socket]] = []
        self._lock = threading.Lock()
        self._partitioned = threading.Event()

    def partition(self):
        self._partitioned.set()

    def heal(self):
        self._partitioned.clear()

    def restore(self):
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            listener.bind(("127.0.0.1", self.port))
            listener.listen(64)
        except OSError:
            listener.close()
            raise
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self):
        listener, self._listener = self._listener, None
        # shutdown() wakes the thread blocked in accept(); close() alone would leave it listening.
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        with self._lock:
            pairs, self._pairs = self._pairs, []
        for a, b in pairs:
            for s in (a, b):
                with contextlib.suppress(OSError):
                    s.shutdown(socket.SHUT_RDWR)
                s.close()

    def _accept(self, listener):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            upstream = socket.socket(self.family, socket.SOCK_STREAM)
            try:
                upstream.connect(self.address)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._pairs.append((client, upstream))
            threading.Thread(target=self._pump, args=(client, upstream), daemon=True).start()

    def _pump(self, a, b):
        try:
            while True:
                if self._partitioned.is_set():
                    time.sleep(0.05)  # nothing is read, nothing forwarded, nothing closed
                    continue
                readable, _, _ = select.select([a, b], [], [], 0.2)
                for source in readable:
                    data = source.recv(65536)
                    if not data:
                        return
                    (b if source is a else a).sendall(data)
        except (OSError, ValueError):
            return
        finally:
            for s in (a, b):
                s.close()


class ProductionServer(harness.Server):
    # The tests speak as the TLS-terminating proxy would (see get()).
    probe_headers = {"X-Forwarded-Proto": "https"}

    def __init__(self, database: str):
        family, address = _server_address(connection.settings_dict)
        self.relay = Relay(family, address)
        self.database = database
        url = (
            f"postgres://{connection.settings_dict['USER']}@127.0.0.1:{self.relay.port}/{database}"
        )
        env = harness.production_env(
            url,
            DJANGO_SECRET_KEY=SECRET,
            DJANGO_PROXY_SETS_X_FORWARDED_PROTO="true",
            # Connections are opened per request: an outage and a recovery are seen at once.
            DJANGO_CONN_MAX_AGE="0",
        )
        del env["DJANGO_SECURE_SSL_REDIRECT"]  # behind the proxy, HTTP is redirected to HTTPS
        super().__init__(env, options=["--graceful-timeout", "2"])

    def create_database(self):
        harness.create_database(self.database, **connection.get_connection_params())

    def drop_database(self):
        harness.drop_database(self.database, **connection.get_connection_params())

    def manage(self, *args, check=True, **extra_env):
        return harness.manage({**self.env, **extra_env}, *args, check=check, timeout=300)

    def log_text(self) -> str:
        self.log.flush()
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def start(self):
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - lives as long as the server
        self.relay.restore()
        self.create_database()
        self.manage("migrate", "--no-input", "-v0")
        self.manage("load_atlas", "-v0")
        self.manage("collectstatic", "--no-input", "-v0")
        try:
            super().start()
        except harness.HarnessError as error:
            raise RuntimeError(f"{error}: {self.log_text()}") from None

    def stop(self):
        self.end_process(timeout=10)
        if self.relay._listener is None:
            self.relay.restore()
        self.drop_database()
        self.relay.cut()
        self.log.close()

    def get(self, path, headers=None, method="GET", data=None):
        """(status, headers, body) without following redirects, as HTTPS behind a proxy."""
        request = urllib.request.Request(
            self.url + path,
            headers={"X-Forwarded-Proto": "https", **(headers or {})},
            method=method,
            data=data,
        )
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(request, timeout=10) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None
