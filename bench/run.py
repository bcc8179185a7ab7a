"""`make bench`: the atlas at 100x today's data, served production-like, driven by wrk.

1. wrk: installed with apt-get when missing (as root).
2. Database: BENCH_DATABASE_URL, or a database named atlas_bench on the embedded development
   server (.pgdata/) — never the curated one. Migrated, then filled by ``bench.synthetic``
   (skipped when it already holds this seed's synthetic atlas).
   Then ``VACUUM ANALYZE`` and a settle wait (until no autovacuum worker runs, at least
   --settle seconds), so that vacuum and analyze after the 200k-row load do not compete with
   the first scenarios (two runs ten minutes apart disagreed by up to 0.4).
3. bench/prepare.py picks the URLs and counts SQL queries per request (test client).
4. For each cache — local memory, then Redis (BENCH_REDIS_URL, default a database of its own
   on 127.0.0.1:6379, skipped with a note when Redis does not answer) — gunicorn (2 sync
   workers, DJANGO_DEBUG=false, whitenoise, collected static files) on 127.0.0.1 only. Each
   scenario is fetched once (status, compressed size), warmed up with wrk for --warmup seconds,
   then measured --repeats times interleaved with the trivial view, A-B-A-B-...-A: each
   measurement's ratio is its requests/s over the mean of the trivial view's runs just before
   and after it, so drift in the machine's load cancels out. The table reports the median
   ratio and its spread (min-max), and median p50/p99 latency.
5. Both tables (one per cache), compressed bytes, SQL queries (cold cache / warm cache), worker
   memory, the load average before and after. The servers are stopped whatever happens.
"""

import argparse
import datetime
import gzip
import json
import os
import platform
import re
import statistics
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from bench import harness

ROOT = harness.ROOT
BENCH = ROOT / "bench"
OUT = ROOT / ".bench"

# Targets, checked against the run (never in tests: machines are noisy). Ratios:
# cached public pages against the trivial view, ≥ 0.8 with local memory and ≥ 0.6 with Redis.
CACHED_PUBLIC = (
    "matrix, full page",
    "matrix, HTMX partial",
    "matrix, all 50 jurisdictions",
    "matrix, component+text+as-of",
    "provision page",
    "argument page",
)
RATIO_TARGET = {"local memory": 0.8, "Redis": 0.6}
LATENCY_TARGETS = {
    "search": ("p99", 100),
    "search, uncached": ("p99", 100),
    "search, 200 characters, uncached": ("p99", 200),
    "matrix, all 50, uncached": ("p50", 300),
    "admin changelist": ("p50", 150),
}
DEFAULT_REDIS = "redis://127.0.0.1:6379/9"
MAX_SQL = 8
MAX_RSS_MB = 200
MAX_HOME_KB = 60
MAX_SWAP_KB = 15


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def bench_env(db_url: str, port: int, redis_url: str | None = None) -> dict:
    return harness.production_env(
        db_url,
        redis_url,
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_ALLOWED_HOSTS=f"127.0.0.1,127.0.0.1:{port},testserver",
        XDG_RUNTIME_DIR=os.environ.get("XDG_RUNTIME_DIR", f"/tmp/xdg-{os.getuid()}"),
    )


def redis_answers(url: str) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except Exception:  # any failure: no Redis table, with a note saying why
        return False


def settle(db_url: str, minimum: float, longest: float = 300) -> float:
    """VACUUM ANALYZE, then wait until no autovacuum worker runs (and at least ``minimum``
    seconds): the statistics are fresh and nothing competes with the first scenarios."""
    import psycopg

    started = time.monotonic()
    with psycopg.connect(db_url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
        while time.monotonic() - started < longest:
            busy = conn.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
            ).fetchone()[0]
            if not busy and time.monotonic() - started >= minimum:
                break
            time.sleep(1)
    return time.monotonic() - started


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def fetch(base: str, scenario: dict) -> dict:
    request = urllib.request.Request(
        base + scenario["path"], headers={"Accept-Encoding": "gzip", **scenario["headers"]}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            body, status, headers = response.read(), response.status, response.headers
    except urllib.error.HTTPError as error:
        body, status, headers = error.read(), error.code, error.headers
    gzipped = headers.get("Content-Encoding") == "gzip"
    raw = gzip.decompress(body) if gzipped else body
    return {"status": status, "bytes": len(body), "raw_bytes": len(raw), "body": raw}


def first_visit(base: str, html: bytes) -> dict:
    """The home page as a first visitor loads it: HTML plus every stylesheet and script."""
    text = html.decode("utf-8", "replace")
    assets = re.findall(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"', text)
    assets += re.findall(r'<link[^>]+href="([^"]+)"[^>]+rel="stylesheet"', text)
    assets += re.findall(r'<script[^>]+src="([^"]+)"', text)
    sizes = {}
    for path in dict.fromkeys(assets):
        if path.startswith("/"):
            sizes[path] = fetch(base, {"path": path, "headers": {}})["bytes"]
    return sizes


def run_wrk(
    wrk: str, base: str, scenario: dict, duration: int, connections: int, master_pid: int = 0
) -> dict:
    """One wrk run; with ``master_pid``, also the workers' CPU time per completed request."""
    cpu_before = worker_cpu_s(master_pid) if master_pid else 0.0
    script = OUT / f"{scenario['script'] or 'plain'}.lua"
    lua = (BENCH / "report.lua").read_text()
    if scenario["script"]:
        lua = (BENCH / f"{scenario['script']}.lua").read_text() + "\n" + lua
    script.write_text(lua)
    data = harness.run_wrk(
        wrk,
        base + scenario["path"],
        script=script,
        duration=duration,
        connections=connections,
        headers={"Accept-Encoding": "gzip", **scenario["headers"]},
    )
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    if master_pid:
        cpu = worker_cpu_s(master_pid) - cpu_before
        data["cpu_per_request"] = cpu / data["requests"] if data["requests"] else 0.0
    return data


def worker_cpu_s(master_pid: int) -> float:
    """CPU seconds (user + system) the gunicorn workers have used so far, from /proc."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    total = 0
    for pid in children.read_text().split() if children.exists() else []:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue  # a worker that just exited
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def worker_rss_mb(master_pid: int) -> list[float]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    pids = children.read_text().split() if children.exists() else []
    sizes = []
    for pid in pids:
        status = Path(f"/proc/{pid}/status").read_text()
        kb = int(re.search(r"VmRSS:\s+(\d+)", status).group(1))
        sizes.append(round(kb / 1024, 1))
    return sizes


def machine() -> str:
    cores = os.cpu_count()
    with open("/proc/meminfo") as f:
        mem_gib = int(f.readline().split()[1]) / 1024 / 1024
    distro = "Linux"
    if Path("/etc/os-release").exists():
        lines = Path("/etc/os-release").read_text().splitlines()
        info = dict(line.split("=", 1) for line in lines if "=" in line)
        distro = info.get("PRETTY_NAME", distro).strip('"')
    return f"{cores} cores, {mem_gib:.0f} GiB RAM, {distro}, Python {platform.python_version()}"


def summarize(runs: list[dict], trivial_runs: list[tuple[dict, dict]]) -> dict:
    """Median ratio (each run over the mean of the trivial view just before and after it),
    its spread, and median latencies. A trivial run that completed nothing gives no ratio."""
    ratios = [
        run["rps"] / ((before["rps"] + after["rps"]) / 2)
        for run, (before, after) in zip(runs, trivial_runs, strict=True)
        if before["rps"] + after["rps"] > 0
    ] or [0.0]
    # The same question asked of CPU time instead of wall-clock throughput: the trivial view's
    # CPU per request over this page's. Other processes' load changes how fast both run, much
    # less how much work each request is, so this ratio moves less between runs.
    cpu_ratios = [
        ((before["cpu_per_request"] + after["cpu_per_request"]) / 2) / run["cpu_per_request"]
        for run, (before, after) in zip(runs, trivial_runs, strict=True)
        if run.get("cpu_per_request")
        and before.get("cpu_per_request")
        and after.get("cpu_per_request")
    ] or [0.0]
    return {
        "ratio": statistics.median(ratios),
        "ratio_min": min(ratios),
        "ratio_max": max(ratios),
        "cpu_ratio": statistics.median(cpu_ratios),
        "cpu_ratio_min": min(cpu_ratios),
        "cpu_ratio_max": max(cpu_ratios),
        "rps": statistics.median(run["rps"] for run in runs),
        "p50": statistics.median(run["p50"] for run in runs),
        "p99": statistics.median(run["p99"] for run in runs),
        "errors": sum(run["socket_errors"] + run["non_2xx_3xx"] for run in runs),
    }


def table(results: list[dict]) -> str:
    head = (
        "| scenario | req/s | × trivial (median) | spread | CPU × trivial | spread | p50 ms "
        "| p99 ms | bytes (gzip) | SQL cold/warm | status |"
    )
    lines = [head, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in results:
        m = r["measured"]
        status = f"{r['status']}" + (f", {m['errors']} errors" if m["errors"] else "")
        lines.append(
            f"| {r['name']} | {m['rps']:.0f} | {m['ratio']:.2f} "
            f"| {m['ratio_min']:.2f}–{m['ratio_max']:.2f} "
            f"| {m['cpu_ratio']:.2f} | {m['cpu_ratio_min']:.2f}–{m['cpu_ratio_max']:.2f} "
            f"| {m['p50'] / 1000:.1f} | {m['p99'] / 1000:.1f} | {r['bytes']:,} "
            f"| {r['sql_cold']}/{r['sql_warm']} | {status} |"
        )
    return "\n".join(lines)


def verdicts(results: list[dict], cache: str, rss: list[float], home_kb: float) -> list[str]:
    by_name = {r["name"]: r for r in results}
    out = []
    target = RATIO_TARGET[cache]
    for name in CACHED_PUBLIC:
        r = by_name.get(name)
        if r is None:
            out.append(f"- {name}: not measured")
            continue
        ratio = r["measured"]["ratio"]
        out.append(
            f"- {name}: {ratio:.2f}× the trivial view (CPU per request: "
            f"{r['measured']['cpu_ratio']:.2f}×; target ≥ {target}) "
            f"{'MET' if ratio >= target else 'MISSED'}"
        )
    for name, (kind, limit) in LATENCY_TARGETS.items():
        r = by_name.get(name)
        if r is None:
            out.append(f"- {name}: not measured")
            continue
        ms = r["measured"][kind] / 1000
        out.append(
            f"- {name}: {kind} {ms:.0f} ms (target ≤ {limit} ms) "
            f"{'MET' if ms <= limit else 'MISSED'}"
        )
    public = [r for r in results if r["name"] not in {"admin changelist", "trivial view"}]
    public = [r for r in public if not r["path"].startswith("/static/")]
    worst = max((max(r["sql_cold"], r["sql_warm"]) for r in public), default=0)
    out.append(
        f"- SQL queries per public page: at most {worst} (target ≤ {MAX_SQL}) "
        f"{'MET' if worst <= MAX_SQL else 'MISSED'}"
    )
    top = max(rss, default=0)
    out.append(
        f"- gunicorn worker RSS after the run: {', '.join(f'{x:.0f} MB' for x in rss)} "
        f"(target < {MAX_RSS_MB} MB) {'MET' if top < MAX_RSS_MB else 'MISSED'}"
    )
    if home_kb:
        out.append(
            f"- home page, first visit: {home_kb:.1f} KB compressed (HTML+CSS+JS; target ≤ "
            f"{MAX_HOME_KB} KB) {'MET' if home_kb <= MAX_HOME_KB else 'MISSED'}"
        )
    swap = by_name.get("matrix, HTMX partial")
    if swap:
        kb = swap["bytes"] / 1024
        out.append(
            f"- HTMX swap of the default matrix: {kb:.1f} KB compressed (target ≤ "
            f"{MAX_SWAP_KB} KB) {'MET' if kb <= MAX_SWAP_KB else 'MISSED'}"
        )
    return out


def agreement(previous: dict, now: dict) -> list[str]:
    """How far each cached page's ratios moved since the previous run on this machine (two
    consecutive runs should agree within ±0.1)."""
    out = [f"Against the previous run ({previous.get('started', 'unknown')[:24]}):"]
    for cache, measured in now.items():
        before = {r["name"]: r["measured"] for r in previous.get(cache, {}).get("results", [])}
        for kind in ("ratio", "cpu_ratio"):
            moves = [
                abs(r["measured"][kind] - before[r["name"]][kind])
                for r in measured["results"]
                if r["name"] in CACHED_PUBLIC and kind in before.get(r["name"], {})
            ]
            if moves:
                label = "throughput" if kind == "ratio" else "CPU"
                out.append(
                    f"- {cache}, {label} ratios: largest move {max(moves):.2f} "
                    f"({'within' if max(moves) <= 0.1 else 'outside'} ±0.1)"
                )
    return out


def drain(base: str) -> None:
    """Wait until the workers are idle: when wrk stops, gunicorn's sync workers still answer
    the requests already queued (eight uncached renders take seconds on a loaded machine), and
    a trivial-view run started then measured that queue, down to zero requests."""
    deadline = time.monotonic() + 180
    quick = 0
    while quick < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        with urllib.request.urlopen(base + "/bench/trivial", timeout=180) as response:
            response.read()
        quick = quick + 1 if time.monotonic() - started < 0.05 else 0


def measure_all(
    wrk: str, base: str, scenarios: list[dict], args, master_pid: int = 0
) -> list[dict]:
    """Each scenario: fetched once, warmed up, then A-B-A-...-A against the trivial view.

    An uncached render is a latency question (how long one visitor waits), not a throughput
    one: it runs with one connection, so its p50 is one render through gunicorn rather than the
    queue that eight connections build in front of two sync workers (docs/performance.md)."""
    trivial = next(s for s in scenarios if s["name"] == "trivial view")
    results = []
    for source in scenarios:
        scenario = dict(source)
        page = fetch(base, scenario)
        scenario.update(bytes=page["bytes"], raw_bytes=page["raw_bytes"], body=page["body"])
        scenario["status"] = page["status"]
        log(f"{scenario['name']}: {scenario['path']} → {page['status']}, {page['bytes']} B")
        uncached = scenario["script"] in ("uncached", "search")
        connections = 1 if uncached else args.connections
        # Renders of half a second or more: a 2 s run would hold three or four of them.
        duration = max(args.duration, 6) if uncached else args.duration
        run_wrk(wrk, base, scenario, args.warmup, connections)  # warm-up, not counted
        drain(base)
        before = run_wrk(wrk, base, trivial, args.duration, args.connections, master_pid)
        runs, around = [], []
        for _ in range(args.repeats):
            run = run_wrk(wrk, base, scenario, duration, connections, master_pid)
            drain(base)
            after = run_wrk(wrk, base, trivial, args.duration, args.connections, master_pid)
            runs.append(run)
            around.append((before, after))
            before = after
        scenario["measured"] = summarize(runs, around)
        scenario["runs"] = runs
        results.append(scenario)
    return results


def serve_and_measure(wrk, env, port, scenarios, args, cache):
    """One gunicorn for one cache; (results, worker RSS, first-visit sizes)."""
    log_file = (OUT / f"gunicorn-{cache.replace(' ', '-').lower()}.log").open("w")
    options = ["--log-level", "warning", "--error-logfile", "-"]
    server = harness.Server(env, port=port, workers=args.workers, options=options, log=log_file)
    with server:
        results = measure_all(wrk, server.url, scenarios, args, server.process.pid)
        rss = worker_rss_mb(server.process.pid)
        home = next((r for r in results if r["path"] == "/" and not r["headers"]), None)
        first = first_visit(server.url, home["body"]) if home else {}
        home_sizes = {"/ (HTML)": home["bytes"], **first} if home else {}
    return results, rss, home_sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    # Short runs, many alternations: on a shared machine the load moves within seconds, and
    # the median of 7 ratios each taken between two trivial runs 2 s apart follows it closer
    # than 3 taken 5 s apart (spreads of 0.49-1.65 seen at load 7 with 5 s x 3).
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", 2)))
    parser.add_argument("--warmup", type=int, default=2, help="seconds of wrk before measuring")
    parser.add_argument("--repeats", type=int, default=7, help="measurements per scenario (≥ 3)")
    parser.add_argument("--settle", type=float, default=15, help="seconds to wait after VACUUM")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 0)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="run only scenarios whose name contains this text")
    parser.add_argument("--no-redis", action="store_true", help="local memory only")
    args = parser.parse_args()
    args.repeats = max(args.repeats, 1)

    OUT.mkdir(exist_ok=True)
    args.port = args.port or harness.free_port()
    wrk = harness.ensure_wrk("make bench")
    db_url = harness.database_url("BENCH_DATABASE_URL", "atlas_bench")
    env = bench_env(db_url, args.port)
    log(f"database: {re.sub(r'//[^@/]*@', '//', db_url)}")
    harness.manage(env, "migrate", "--no-input", "-v0")
    started = time.monotonic()
    made = harness.python(env, "-m", "bench.synthetic", "--seed", str(args.seed), "--if-changed")
    log(made.stdout.strip())
    log(f"synthetic data ready in {time.monotonic() - started:.1f} s")
    log(f"VACUUM ANALYZE and settle: {settle(db_url, args.settle):.0f} s")
    harness.manage(env, "collectstatic", "--no-input", "-v0")
    scenarios = json.loads(harness.python(env, "-m", "bench.prepare").stdout)
    if args.only:
        keep = {"trivial view", "static file (whitenoise)"}
        scenarios = [s for s in scenarios if s["name"] in keep or args.only in s["name"]]

    caches = [("local memory", None)]
    redis_url = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    notes = []
    if args.no_redis:
        notes.append("Redis: skipped (--no-redis).")
    elif redis_answers(redis_url):
        caches.append(("Redis", redis_url))
    else:
        shown = re.sub(r"//[^@/]*@", "//", redis_url)
        notes.append(f"Redis: not measured ({shown} did not answer).")

    load_before = load_average()
    report = [
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {machine()}; "
        f"gunicorn {args.workers} sync workers, wrk -t1 -c{args.connections} -d{args.duration}s, "
        f"{args.repeats} measurements per scenario interleaved with the trivial view (A-B-A), "
        f"{args.warmup} s warm-up each.",
    ]
    saved = {}
    for cache, url in caches:
        cache_env = bench_env(db_url, args.port, url)
        results, rss, home_sizes = serve_and_measure(
            wrk, cache_env, args.port, scenarios, args, cache
        )
        home_kb = sum(home_sizes.values()) / 1024
        report += [
            "",
            f"Cache: {cache}.",
            "",
            table(results),
            "",
            "Targets:",
            *verdicts(results, cache, rss, home_kb),
        ]
        for r in results:
            r.pop("body", None)
        saved[cache] = {"results": results, "rss_mb": rss}
    load = f"Load average (1/5/15 min): {load_before} before, {load_average()} after."
    report += ["", *notes, load]
    last = OUT / "last.json"
    if last.exists():
        report += ["", *agreement(json.loads(last.read_text()), saved)]
    text = "\n".join(report)
    print(text)
    (OUT / "last.md").write_text(text + "\n")
    if last.exists():
        last.replace(OUT / "previous.json")
    saved["started"] = report[0]
    last.write_text(json.dumps(saved, indent=1))


if __name__ == "__main__":
    try:
        main()
    except harness.HarnessError as error:
        sys.exit(str(error))
