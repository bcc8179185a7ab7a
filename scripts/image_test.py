"""`make image-test`: run the built container image as a deployment would, and check it.

No container runtime works on the project's machines (podman run's OCI runtime cannot manage
cgroups there), so the image is mounted (`podman image mount`) and its own CMD is started under
`chroot`, as the image's user, with the image's environment plus production variables, on the
image's root filesystem read-only (podman mounts images so) with a fresh /tmp, /dev and /proc,
the host's network and a throwaway database on the machine's PostgreSQL.
The image's own manage.py migrates and loads the dataset; then the checks below run. Each failed
check prints one line starting with "image-test: FAIL"; everything started is stopped, unmounted
and dropped at the end, whatever happened.

Standard library only (it runs with the machine's python3, not the project's virtualenv); root.
Environment: IMAGE (default localhost/openness-atlas:latest), IMAGE_TEST_POSTGRES (default
postgres://postgres@127.0.0.1:5432, a superuser who may create databases).
"""

import contextlib
import http.client
import json
import os
import re
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

IMAGE = os.environ.get("IMAGE", "localhost/openness-atlas:latest")
POSTGRES = os.environ.get("IMAGE_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432").rstrip("/")
# The public name only: the app must answer it, and the HEALTHCHECK must pass behind it.
SITE_HOST = "atlas.example.org"
ONE_YEAR = 365 * 24 * 3600
# Paths (relative to the image's working directory) that must not be in the image.
NOT_IN_IMAGE = [
    ".git", ".venv", ".pgdata", "node_modules", ".env", "tests", "bench", ".ci", "docs",
    "package.json", "package-lock.json", "pyproject.toml", "requirements.lock", ".pytest_cache",
    ".hypothesis", ".bench", "test-results", "scripts/load.py", "scripts/image_test.py",
]  # fmt: skip
# Test tools that must not be installed in the image's virtualenv.
TEST_PACKAGES = ["pytest", "_pytest", "playwright", "hypothesis", "schemathesis", "ruff"]
# Generous: CI machines are shared, and a worker's first request loads the whole app.
STARTUP_SECONDS = 180
REQUEST_SECONDS = 60


class CheckFailed(Exception):
    """A check that stops the run (nothing after it could be checked)."""


class Run:
    def __init__(self):
        self.failures: list[str] = []
        self.server_log = None

    def server_error(self) -> str:
        """The server's last logged error, to say why a page failed."""
        if self.server_log is None:
            return ""
        self.server_log.seek(0)
        errors = [line for line in self.server_log.read().splitlines() if "Error" in line]
        return f" (server log: {errors[-1].strip()})" if errors else ""

    def ok(self, message: str) -> None:
        print(f"image-test: ok   {message}", flush=True)

    def fail(self, message: str) -> None:
        self.failures.append(message)
        print(f"image-test: FAIL {message}", flush=True)

    def check(self, condition: bool, good: str, bad: str) -> bool:
        (self.ok if condition else self.fail)(good if condition else bad)
        return condition


def sh(*args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, check=check, text=True, capture_output=True, **kwargs)


def last_line(text: str) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else "(no output)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Image:
    """The mounted image: runs commands in it as its user, with its environment."""

    def __init__(self, stack: contextlib.ExitStack):
        try:
            inspected = json.loads(sh("podman", "image", "inspect", IMAGE).stdout)[0]
        except subprocess.CalledProcessError:
            raise CheckFailed(
                f"no image {IMAGE} in podman's store: run `make image` first"
            ) from None
        self.config = inspected.get("Config") or {}
        # podman names it Healthcheck at the top level; Docker inside Config.
        healthcheck = inspected.get("Healthcheck") or self.config.get("Healthcheck") or {}
        self.healthcheck = healthcheck.get("Test")
        self.workdir = self.config.get("WorkingDir") or "/"
        self.user = self.config.get("User") or "root"
        self.root = Path(sh("podman", "image", "mount", IMAGE).stdout.strip())
        stack.callback(sh, "podman", "image", "unmount", IMAGE, check=False)
        self.unmount_leftovers()
        # What a container runtime gives a process: a private /tmp, /dev and /proc.
        for target, fstype, options in [
            ("tmp", "tmpfs", "mode=1777,size=256m"),
            ("dev", "tmpfs", "mode=755,size=1m"),
            ("proc", "proc", ""),
        ]:
            point = self.root / target
            sh("mount", "-t", fstype, *(["-o", options] if options else []), fstype, str(point))
            stack.callback(sh, "umount", "-l", str(point), check=False)
        for name, minor in [("null", 3), ("zero", 5), ("random", 8), ("urandom", 9)]:
            sh("mknod", "-m", "666", str(self.root / "dev" / name), "c", "1", str(minor))
        self.uid, self.gid = self.resolve_user(self.user)
        self.env = dict(item.split("=", 1) for item in self.config.get("Env") or [])
        self.env["HOME"] = self.home

    def unmount_leftovers(self) -> None:
        """Mounts left inside the image by a run that was killed outright."""
        mounts = Path("/proc/mounts").read_text().splitlines()
        inside = [line.split()[1] for line in mounts if line.split()[1].startswith(f"{self.root}/")]
        for point in sorted(inside, reverse=True):
            sh("umount", "-l", point, check=False)

    def resolve_user(self, user: str) -> tuple[int, int]:
        name, _, group = user.partition(":")
        for line in (self.root / "etc/passwd").read_text().splitlines():
            fields = line.split(":")
            if name in (fields[0], fields[2]):
                self.home = fields[5]
                return int(fields[2]), int(group if group.isdigit() else fields[3])
        raise CheckFailed(f"the image's USER {user!r} is not in its /etc/passwd")

    def command(self, argv: list[str], env: dict[str, str]) -> list[str]:
        """argv run in the image as its user, in its working directory, with only env set."""
        return [
            "chroot", f"--userspec={self.uid}:{self.gid}", f"--groups={self.gid}", str(self.root),
            "/usr/bin/env", "-i", f"--chdir={self.workdir}",
            *(f"{key}={value}" for key, value in {**self.env, **env}.items()), *argv,
        ]  # fmt: skip

    def run(self, argv: list[str], env: dict[str, str], timeout: int = 300):
        return sh(*self.command(argv, env), check=False, timeout=timeout)


def request(port: int, path: str, host: str = SITE_HOST, **headers: str):
    """GET path from the app as a proxy in front of it would (HTTPS ended at the proxy)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_SECONDS)
    try:
        connection.request("GET", path, headers={"Host": host, **headers})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    except (OSError, http.client.HTTPException) as error:
        reason = str(error) or type(error).__name__
        raise CheckFailed(f"GET {path} as {host}: no answer ({reason})") from None
    finally:
        connection.close()


def healthcheck_argv(test: list[str] | None) -> list[str]:
    if not test or test[0] == "NONE":
        raise CheckFailed("the image has no HEALTHCHECK (built without --format docker?)")
    kind, *rest = test
    return ["/bin/sh", "-c", rest[0]] if kind == "CMD-SHELL" else rest


def process_uids(pid: int) -> list[int]:
    status = Path(f"/proc/{pid}/status").read_text()
    return [int(uid) for uid in re.search(r"^Uid:\s+(.*)$", status, re.M).group(1).split()]


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def check_contents(run: Run, image: Image) -> None:
    app = image.root / image.workdir.lstrip("/")
    present = [path for path in NOT_IN_IMAGE if (app / path).exists()]
    for pattern in ("conftest.py", "test_*.py"):
        found = (str(p.relative_to(app)) for p in app.rglob(pattern))
        present += [p for p in found if not any(p.startswith(f"{d}/") for d in present)]
    shown = ", ".join(sorted(present)[:12]) + (
        f" and {len(present) - 12} more" * (len(present) > 12)
    )
    run.check(
        not present,
        "the image holds no .git, .venv, .pgdata, node_modules, .env or test-only files",
        f"the image holds files it should not (.dockerignore): {shown}",
    )
    site = next(image.root.glob("venv/lib/python3*/site-packages"), None)
    installed = [name for name in TEST_PACKAGES if site and (site / name).exists()]
    run.check(
        not installed,
        "the image's virtualenv holds no test tools",
        f"test tools installed in the image (requirements-prod.lock): {', '.join(installed)}",
    )
    run.check(
        (app / "staticfiles/staticfiles.json").is_file(),
        "static files are collected in the image (staticfiles/staticfiles.json)",
        "static files are not collected in the image: no staticfiles/staticfiles.json "
        "(the Dockerfile's collectstatic step)",
    )
    run.check(
        image.uid != 0,
        f"the image's USER is {image.user} (uid {image.uid}), not root",
        f"the image runs as root (USER {image.user!r}): set a non-root USER in the Dockerfile",
    )


def check_site(run: Run, port: int) -> None:
    https = {"X-Forwarded-Proto": "https"}
    status, headers, body = request(port, "/", **https)
    if not run.check(
        status == 200,
        f"GET / answers 200 as {SITE_HOST}",
        f"GET / answered {status}{run.server_error()}",
    ):
        return
    expected = {
        # Strict: scripts from the site itself only (plus nonces), never inline or eval.
        "content-security-policy": r"^(?!.*unsafe-).*default-src 'self'.*script-src 'self'",
        "strict-transport-security": rf"max-age=(\d{{8,}}|{ONE_YEAR})",
        "x-content-type-options": r"^nosniff$",
        "x-frame-options": r"^DENY$",
        "referrer-policy": r"strict-origin",
        "cross-origin-opener-policy": r"^same-origin$",
    }
    wrong = [
        f"{name}: {headers.get(name)!r}"
        for name, pattern in expected.items()
        if not re.search(pattern, headers.get(name, ""))
    ]
    run.check(
        not wrong,
        "GET / carries the security headers (strict CSP, HSTS, nosniff, DENY, referrer, COOP)",
        f"GET / lacks or has wrong security headers: {', '.join(wrong)}",
    )
    status, headers, _ = request(port, "/")
    run.check(
        status == 301 and headers.get("location", "").startswith(f"https://{SITE_HOST}/"),
        "plain HTTP is redirected to HTTPS",
        f"plain HTTP GET / answered {status} {headers.get('location', '')}, not a 301 to https",
    )
    status, _, _ = request(port, "/", host="127.0.0.1", **https)
    run.check(
        status == 400,
        "a host outside DJANGO_ALLOWED_HOSTS is refused (400)",
        f"GET / as Host 127.0.0.1 answered {status}, not 400: DJANGO_ALLOWED_HOSTS is not applied",
    )
    hashed = re.search(rb"/static/[\w/.-]+\.[0-9a-f]{12}\.(?:css|js)", body)
    if not run.check(
        bool(hashed), "the page links hashed static files", "GET / links no hashed static file"
    ):
        return
    url = hashed.group().decode()
    status, headers, content = request(port, url, **https, **{"Accept-Encoding": "gzip"})
    max_age = re.search(r"max-age=(\d+)", headers.get("cache-control", ""))
    run.check(
        status == 200 and content and max_age and int(max_age.group(1)) >= ONE_YEAR,
        f"{url} answers 200, {headers.get('cache-control')}",
        f"{url} answered {status} with Cache-Control {headers.get('cache-control')!r} "
        "(expected 200 and max-age of a year or more)",
    )
    run.check(
        headers.get("content-encoding") == "gzip",
        "static files are served compressed",
        f"{url} is not served compressed: Content-Encoding {headers.get('content-encoding')!r}",
    )


def check_healthcheck(run: Run, image: Image, production: dict[str, str], server) -> None:
    """The image's own HEALTHCHECK command, run in the image: healthy while the server runs."""
    health = image.run(healthcheck_argv(image.healthcheck), production, timeout=30)
    if server.poll() is None:
        run.check(
            health.returncode == 0,
            f"the HEALTHCHECK reports healthy with DJANGO_ALLOWED_HOSTS={SITE_HOST} only",
            f"the HEALTHCHECK reports unhealthy (exit {health.returncode}): "
            f"{last_line(health.stderr or health.stdout)}",
        )
    else:
        run.check(
            health.returncode != 0,
            "the HEALTHCHECK reports unhealthy once the server is stopped",
            "the HEALTHCHECK still reports healthy with the server stopped: it checks nothing",
        )


def check_processes(run: Run, server: subprocess.Popen, uid: int) -> None:
    workers = children(server.pid)
    uids = {pid: process_uids(pid) for pid in [server.pid, *workers]}
    rooted = [pid for pid, ids in uids.items() if 0 in ids or ids[0] != uid]
    run.check(
        workers and not rooted,
        f"gunicorn and its {len(workers)} workers run as uid {uid}, not root",
        f"processes not running as the image's user {uid}: "
        + ", ".join(f"pid {pid} uids {uids[pid]}" for pid in rooted or [server.pid]),
    )


def prepare_database(stack, image: Image, database: str, production: dict[str, str]) -> None:
    """A throwaway database (dropped at the end), migrated and loaded by the image's manage.py."""

    def admin_sql(statement: str):
        script = (
            "import psycopg, sys; psycopg.connect(sys.argv[1], autocommit=1).execute(sys.argv[2])"
        )
        return image.run(["python", "-c", script, f"{POSTGRES}/postgres", statement], {}, 60)

    created = admin_sql(f'CREATE DATABASE "{database}"')
    if created.returncode:
        raise CheckFailed(f"cannot create a database at {POSTGRES}: {last_line(created.stderr)}")
    stack.callback(admin_sql, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
    for step in (["migrate", "--no-input"], ["load_atlas"]):
        done = image.run(["python", "manage.py", *step], production)
        if done.returncode:
            output = last_line(done.stderr or done.stdout)
            raise CheckFailed(f"manage.py {step[0]} failed in the image: {output}")


def start_server(stack, image: Image, production: dict[str, str], log) -> subprocess.Popen:
    """The image's own ENTRYPOINT + CMD, in its own process group; once /healthz answers 200."""
    command = [*(image.config.get("Entrypoint") or []), *(image.config.get("Cmd") or [])]
    if not command:
        raise CheckFailed("the image has no CMD")
    server = subprocess.Popen(
        image.command(command, production), stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    stack.callback(stop, server)
    port = int(production["PORT"])
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        if server.poll() is not None:
            log.seek(0)
            raise CheckFailed(
                f"the image's CMD exited with {server.returncode}: {last_line(log.read())}"
            )
        with contextlib.suppress(CheckFailed):
            if request(port, "/healthz")[0] == 200:
                return server
        if time.monotonic() > deadline:
            raise CheckFailed(f"the image's CMD did not serve /healthz in {STARTUP_SECONDS} s")
        time.sleep(0.5)


def main() -> int:
    if os.geteuid() != 0:
        print("image-test: FAIL needs root (podman image mount, chroot)")
        return 1
    run = Run()
    started = time.monotonic()
    database = f"atlas_image_test_{os.getpid()}"
    port = free_port()
    production = {
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": SITE_HOST,
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "PORT": str(port),
    }
    # Signals become exceptions, so the clean-up below runs on Ctrl-C and on CI's timeout too.
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.default_int_handler)
    try:
        with contextlib.ExitStack() as stack:
            image = Image(stack)
            check_contents(run, image)

            prepare_database(stack, image, database, production)
            run.ok("the image's manage.py migrates and loads the dataset")
            deploy = image.run(
                ["python", "manage.py", "check", "--deploy", "--fail-level", "WARNING"], production
            )
            output = deploy.stderr or deploy.stdout
            run.check(
                deploy.returncode == 0 and "no issues" in deploy.stdout,
                "manage.py check --deploy is clean in the image",
                f"manage.py check --deploy in the image: {last_line(output)}",
            )
            run.server_log = stack.enter_context(tempfile.TemporaryFile("w+"))
            server = start_server(stack, image, production, run.server_log)
            run.ok(f"the image's CMD (gunicorn, as {image.user}) serves /healthz on port {port}")

            check_site(run, port)
            check_healthcheck(run, image, production, server)
            check_processes(run, server, image.uid)
            stop(server)
            check_healthcheck(run, image, production, server)
    except CheckFailed as failure:
        run.fail(str(failure))
    except KeyboardInterrupt:
        run.fail("interrupted; cleaned up")
    except subprocess.TimeoutExpired as timeout:
        run.fail(f"timed out: {shlex.join(timeout.cmd)[-80:]}")
    except subprocess.CalledProcessError as error:
        run.fail(f"{shlex.join(error.cmd)[:80]} failed: {last_line(error.stderr)}")
    except FileNotFoundError as error:
        run.fail(f"{error.filename} is not installed (make image installs podman)")
    seconds = time.monotonic() - started
    if run.failures:
        print(f"image-test: {len(run.failures)} check(s) failed in {seconds:.0f} s")
        return 1
    print(f"image-test: all checks passed in {seconds:.0f} s")
    return 0


def stop(server: subprocess.Popen) -> None:
    """Stop the server and its workers (its own process group), firmly if it will not go."""
    if server.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()


if __name__ == "__main__":
    sys.exit(main())
