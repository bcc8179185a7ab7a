"""What `make bench`, `make load` and the production-like tests share: free loopback ports,
databases of their own on a PostgreSQL server, the app under gunicorn as production runs it
(DJANGO_DEBUG=false), and wrk with a report line it prints at the end.

No Django here: bench/run.py and scripts/load.py drive the app from outside, as subprocesses.
Failures raise ``HarnessError`` with what went wrong (the command's stderr, the server's state);
the command-line tools turn it into an exit message, the tests into a failure.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")
# The line a wrk script's done() prints, followed by one JSON object (bench/report.lua,
# scripts/load.lua).
WRK_REPORT = "WRK_JSON "


class HarnessError(RuntimeError):
    """A step of the harness failed (a command, the server's start, wrk)."""


def free_port() -> int:
    """A loopback port nobody listens on now (other servers share this machine)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- databases ---------------------------------------------------------------------------------


def _server(conninfo: str = "", **params):
    """An autocommit connection to the ``postgres`` database of the server that ``conninfo``
    (a URL or key=value string) or ``params`` (psycopg's keywords) point at."""
    import psycopg

    return psycopg.connect(conninfo, **{**params, "dbname": "postgres"}, autocommit=True)


def _statement(template: str, name: str):
    from psycopg import sql

    return sql.SQL(template).format(sql.Identifier(name))


def create_database(name: str, conninfo: str = "", **params) -> None:
    """A fresh, empty database ``name`` (dropped first if it exists) on that server."""
    with _server(conninfo, **params) as conn:
        conn.execute(_statement("DROP DATABASE IF EXISTS {} WITH (FORCE)", name))
        conn.execute(_statement("CREATE DATABASE {}", name))


def drop_database(name: str, conninfo: str = "", **params) -> None:
    with _server(conninfo, **params) as conn:
        conn.execute(_statement("DROP DATABASE IF EXISTS {} WITH (FORCE)", name))


def ensure_database(url: str) -> str:
    """``url``, after creating its database on its server when it does not exist yet."""
    from psycopg.conninfo import conninfo_to_dict

    name = conninfo_to_dict(url)["dbname"]
    with _server(url) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(_statement("CREATE DATABASE {}", name))
    return url


def database_url(variable: str, name: str) -> str:
    """The database a tool keeps between runs: the URL in the environment variable
    ``variable`` (created when missing), or database ``name`` on the embedded development
    server (.pgdata/, config/devdb.py) — never the curated one."""
    if url := os.environ.get(variable):
        return ensure_database(url)
    return python({}, "-m", "config.devdb", "url", name).stdout.strip()


# -- the app -------------------------------------------------------------------------------------


def production_env(database_url: str, redis_url: str | None = None, **settings: str) -> dict:
    """The environment of a production-like process: the caller's, minus its DJANGO_* and
    REDIS_URL, plus debug off, a fresh secret key, loopback hosts, no HTTPS redirect (nothing
    terminates TLS in front), ``database_url``, ``redis_url`` when given; ``settings`` last."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.pop("REDIS_URL", None)
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=database_url,
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(settings)
    return env


def python(env: dict, *args: str, check: bool = True, timeout: float | None = None):
    """``python *args`` in the project folder with ``env`` (``{}``: this process's), output
    captured. Raises HarnessError with its stderr when it fails and ``check``."""
    result = subprocess.run(
        [PY, *args],
        cwd=ROOT,
        env=env or None,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if check and result.returncode != 0:
        raise HarnessError(f"python {' '.join(args)} failed:\n{result.stderr}")
    return result


def manage(env: dict, *args: str, check: bool = True, timeout: float | None = None):
    return python(env, "manage.py", *args, check=check, timeout=timeout)


class Server:
    """gunicorn serving ``config.wsgi`` on 127.0.0.1 only, as `make serve` runs it.

    ``log``: a file that gets the server's stdout and stderr (an access log when ``options``
    ask for ``--access-logfile -``). ``start()`` returns once /healthz answers 200 (asked with
    ``probe_headers``); ``stop()`` (also on leaving a ``with`` block) ends it, whatever happens.
    """

    probe_headers: dict = {}

    def __init__(self, env: dict, *, port: int = 0, workers: int = 2, options=(), log=None):
        self.env = env
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.options = list(options)
        self.log = log
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 30) -> None:
        self.process = subprocess.Popen(
            [GUNICORN, "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
             "--workers", str(self.workers), "--no-control-socket", *self.options],
            cwd=ROOT,
            env=self.env,
            stdout=self.log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise HarnessError(f"gunicorn exited at start-up (code {self.process.returncode})")
            request = urllib.request.Request(self.url + "/healthz", headers=self.probe_headers)
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        self.end_process()
        raise HarnessError(f"gunicorn did not answer /healthz within {timeout:.0f} s")

    def stop(self) -> None:
        self.end_process()

    def end_process(self, timeout: float = 15) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # SIGTERM: gunicorn's graceful stop
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()


# -- wrk -----------------------------------------------------------------------------------------


def ensure_wrk(target: str) -> str:
    """wrk's path; installed from Debian's packages when missing and we are root."""
    if found := shutil.which("wrk"):
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("installing wrk (apt-get)", file=sys.stderr, flush=True)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        quiet = {"stdout": subprocess.DEVNULL}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env, **quiet)
        return shutil.which("wrk")
    raise HarnessError(f"wrk is missing: apt-get install wrk (as root), then run {target} again.")


def run_wrk(
    wrk: str,
    url: str,
    *,
    script: Path,
    duration: int,
    connections: int,
    threads: int = 1,
    headers: dict | None = None,
    env: dict | None = None,
) -> dict:
    """One wrk run; the JSON object that ``script``'s done() printed after ``WRK_JSON``."""
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", str(script)]
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(
        [*command, url], capture_output=True, text=True, env=env, timeout=duration + 60
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith(WRK_REPORT)), None)
    if line is None:
        raise HarnessError(f"wrk did not report:\n{out.stdout}\n{out.stderr}")
    return json.loads(line.removeprefix(WRK_REPORT))
