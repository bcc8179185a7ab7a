"""A production-like server for tests: gunicorn, DJANGO_DEBUG=false, its own database.

The server reaches PostgreSQL through a small TCP relay that a test can cut and restore, which is
what a database outage looks like from the application (connections refused, live ones dropped),
without stopping the PostgreSQL that the rest of the suite uses.
"""

import contextlib
import os
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psycopg
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
SECRET = "prodlike-" + "k" * 60


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


class ProductionServer:
    def __init__(self, database: str):
        family, address = _server_address(connection.settings_dict)
        self.relay = Relay(family, address)
        self.database = database
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = None
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": SECRET,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            # The tests speak as the TLS-terminating proxy would (see get()).
            "DJANGO_PROXY_SETS_X_FORWARDED_PROTO": "true",
            "DATABASE_URL": f"postgres://{connection.settings_dict['USER']}@127.0.0.1:"
            f"{self.relay.port}/{database}",
            # Connections are opened per request: an outage and a recovery are seen at once.
            "DJANGO_CONN_MAX_AGE": "0",
        }
        self.env.pop("REDIS_URL", None)

    def _admin_connection(self):
        params = connection.get_connection_params()
        params["dbname"] = "postgres"
        return psycopg.connect(**params, autocommit=True)

    def create_database(self):
        with self._admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{self.database}"')

    def drop_database(self):
        with self._admin_connection() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')

    def manage(self, *args, check=True, **extra_env):
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=300,
        )
        if check and result.returncode != 0:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
        return result

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
        self.process = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "2",
                "--no-control-socket",
                "--graceful-timeout",
                "2",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                status, _, _ = self.get("/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {self.log_text()}")
            time.sleep(0.2)
        raise RuntimeError("gunicorn did not answer /healthz in 30 s")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
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
