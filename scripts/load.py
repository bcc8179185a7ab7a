"""`make load`: 64 connections for 60 s across every public page, on the production-like server.

1. wrk, from Debian's packages (installed with apt-get when missing, as root).
2. Database: LOAD_DATABASE_URL, or a database named atlas_load on the embedded development server
   (.pgdata/), never the curated one; migrated and loaded with the fixtures.
3. The URLs: every public URL of the dataset (tests/public_urls.py), each also as an htmx
   request, plus matrix filters; wrk rotates over them (scripts/load.lua).
4. gunicorn as `make serve` runs it (2 workers, DJANGO_DEBUG=false) on 127.0.0.1 only.
5. An editor's day during the run: a third of the way in a new provision is published, two
   thirds in it is withdrawn (each changes the data version, so every cached page renders
   afresh under load). Its own page is not among the URLs; every page that lists it is.
6. Prints requests, requests/s, socket errors, answers that are not 2xx/3xx, p50/p90/p99 latency
   and the 5xx the server logged; exits non-zero when any request failed. The server is stopped
   at the end, whatever happens. Loopback only, bounded by --duration.
"""

import argparse
import os
import re
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as `python scripts/load.py`: bench/ is a package of the root

from bench import harness  # noqa: E402

FILTERS = ["/?j=eu", "/?topic=exemptions&j=us&j=cn", "/?as_of=2024-01-01", "/components/?j=eu"]


def log(message: str) -> None:
    print(f"[load] {message}", file=sys.stderr, flush=True)


def manage(env: dict, *args: str) -> str:
    return harness.manage(env, *args).stdout


def url_list(env: dict) -> list[tuple[str, bool]]:
    out = manage(
        env,
        "shell",
        "-v0",
        "-c",
        "from tests.public_urls import public_urls; print('\\n'.join(public_urls()))",
    )
    pages = [line for line in out.splitlines() if line.startswith("/")] + FILTERS
    return [(path, htmx) for path in pages for htmx in (False, True)]


# Run by `manage.py shell` during the load: as the admin's publish and withdraw actions do,
# one validated save per move (history recorded, data version bumped by the database).
EDITORIAL_MOVE = """
from provisions.models import EditorialState, Provision
state = EditorialState.{state}
probe = Provision.objects.filter(slug="load-probe").first()
if probe is None:
    model = Provision.objects.public().order_by("pk").first()
    probe = Provision.objects.get(pk=model.pk)
    probe.pk = None
    probe.slug, probe.label, probe.state = "load-probe", "Load probe", EditorialState.DRAFT
    probe.save()
    probe.topics.set(model.topics.all())
    probe.components.set(model.components.all())
probe.state = state
probe.full_clean()
probe._change_reason = "load test: " + state.label
probe.save()
print(probe.pk, probe.state)
"""


def editorial_moves(env: dict, duration: int, done: list[str]) -> list[threading.Timer]:
    def move(state: str) -> None:
        started = time.monotonic()
        out = manage(env, "shell", "-v0", "-c", EDITORIAL_MOVE.format(state=state))
        done.append(f"{state.lower()} ({out.strip()}, {time.monotonic() - started:.1f} s)")

    timers = [
        threading.Timer(duration / 3, move, ["PUBLISHED"]),
        threading.Timer(2 * duration / 3, move, ["WITHDRAWN"]),
    ]
    for timer in timers:
        timer.start()
    return timers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=60, help="seconds (default 60)")
    parser.add_argument("--connections", type=int, default=64, help="default 64")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (as make serve)")
    args = parser.parse_args()
    if not 1 <= args.duration <= 600:
        sys.exit("--duration must be between 1 and 600 seconds")

    wrk = harness.ensure_wrk("make load")
    env = harness.production_env(
        harness.database_url("LOAD_DATABASE_URL", "atlas_load"), os.environ.get("LOAD_REDIS_URL")
    )
    log("migrating and loading the fixtures into the load database")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_atlas", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    urls = url_list(env)

    with tempfile.TemporaryDirectory() as tmp:
        listing = Path(tmp) / "urls.tsv"
        listing.write_text("".join(f"{p}\t{int(h)}\n" for p, h in urls))
        server_log = Path(tmp) / "gunicorn.log"
        with open(server_log, "w") as log_file:
            server = harness.Server(
                env,
                workers=args.workers,
                options=["--access-logfile", "-", "--access-logformat", "%(s)s %(r)s"],
                log=log_file,
            )
            with server:
                log(
                    f"{len(urls)} URLs (pages and htmx requests); wrk -c{args.connections} "
                    f"-d{args.duration}s against gunicorn --workers {args.workers} on {server.url}"
                )
                moves: list[str] = []
                timers = editorial_moves(env, args.duration, moves)
                figures = harness.run_wrk(
                    wrk,
                    server.url,
                    script=ROOT / "scripts" / "load.lua",
                    duration=args.duration,
                    connections=args.connections,
                    threads=2,
                    env={**os.environ, "LOAD_URLS": str(listing)},
                )
                for timer in timers:
                    timer.join()
        access = server_log.read_text(errors="replace")

    seconds = figures["duration_us"] / 1e6
    errors = sum(figures[k] for k in ("connect", "read", "write", "timeout"))
    server_5xx = len(re.findall(r"^5\d\d ", access, flags=re.MULTILINE))
    print(
        f"requests      {figures['requests']} in {seconds:.1f} s "
        f"({figures['requests'] / seconds:.0f} req/s), {args.connections} connections\n"
        f"errors        {errors} (connect {figures['connect']}, read {figures['read']}, "
        f"write {figures['write']}, timeout {figures['timeout']})\n"
        f"not 2xx/3xx   {figures['not_2xx_3xx']} (server logged {server_5xx} 5xx)\n"
        f"latency       p50 {figures['p50_us'] / 1000:.1f} ms, p90 {figures['p90_us'] / 1000:.1f} "
        f"ms, p99 {figures['p99_us'] / 1000:.1f} ms, max {figures['max_us'] / 1000:.1f} ms\n"
        f"during it     {', then '.join(moves) or 'no editorial move (failed)'}"
    )
    failed = errors or figures["not_2xx_3xx"] or server_5xx or len(moves) != 2
    print("RESULT        " + ("FAIL" if failed else "OK: zero errors, every answer 2xx/3xx"))
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except harness.HarnessError as error:
        sys.exit(str(error))
