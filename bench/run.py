"""`make bench`: the atlas at 100x today's data, served production-like, driven by wrk.

1. wrk: installed with apt-get when missing (as root).
2. Database: BENCH_DATABASE_URL, or a database named atlas_bench on the embedded development
   server (.pgdata/) — never the curated one. Migrated, then filled by ``generate_synthetic``
   (skipped when it already holds this seed's synthetic atlas).
3. bench/prepare.py picks the URLs and counts SQL queries per request (test client).
4. gunicorn (2 sync workers, DJANGO_DEBUG=false, whitenoise, collected static files) on
   127.0.0.1 only; each scenario is fetched once (status, compressed size, warm-up), then wrk
   runs for --duration seconds with --connections connections and Accept-Encoding: gzip.
5. The table: requests/s, the ratio to the trivial view and to the static file measured in the
   same run, p50/p99 latency, compressed bytes, SQL queries (cold cache / warm cache), worker
   memory. The server is stopped at the end, whatever happens.
"""

import argparse
import datetime
import gzip
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
OUT = ROOT / ".bench"
PY = sys.executable
GUNICORN = str(Path(PY).parent / "gunicorn")

# Targets from issue 5, checked against the run (never in tests: machines are noisy).
TARGETS = {
    "matrix, HTMX partial": ("ratio", 0.70),
    "matrix, full page": ("ratio", 0.60),
    "provision page": ("ratio", 0.70),
    "search": ("p99_ms", 100),
    "matrix, all 50, uncached": ("p50_ms", 300),
}
MAX_SQL = 8
MAX_RSS_MB = 200
MAX_HOME_KB = 60
MAX_SWAP_KB = 15


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        log("installing wrk (apt-get)")
        quiet = {"stdout": subprocess.DEVNULL}
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, **quiet)
        subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], check=True, env=env, **quiet)
        return shutil.which("wrk")
    sys.exit("wrk is missing: apt-get install wrk (as root), then run make bench again.")


def database_url() -> str:
    if url := os.environ.get("BENCH_DATABASE_URL"):
        return url
    out = subprocess.run(
        [PY, "-m", "config.devdb", "url", "atlas_bench"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def bench_env(db_url: str, port: int) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS=f"127.0.0.1,127.0.0.1:{port},testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DATABASE_URL=db_url,
        XDG_RUNTIME_DIR=os.environ.get("XDG_RUNTIME_DIR", f"/tmp/xdg-{os.getuid()}"),
    )
    if os.environ.get("BENCH_REDIS_URL"):
        env["REDIS_URL"] = os.environ["BENCH_REDIS_URL"]
    else:
        env.pop("REDIS_URL", None)
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


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


def free_port() -> int:
    """A port nobody listens on now (other servers share this machine)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        time.sleep(0.3)
        if process.poll() is not None:
            sys.exit("gunicorn exited at start-up; see .bench/gunicorn.log")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:
                if response.status == 200 and process.poll() is None:
                    return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer /healthz within 30 s")


def run_wrk(wrk: str, base: str, scenario: dict, duration: int, connections: int) -> dict:
    script = OUT / f"{scenario['script'] or 'plain'}.lua"
    lua = (BENCH / "report.lua").read_text()
    if scenario["script"]:
        lua = (BENCH / f"{scenario['script']}.lua").read_text() + "\n" + lua
    script.write_text(lua)
    command = [wrk, "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "10s"]
    command += ["-s", str(script), "-H", "Accept-Encoding: gzip"]
    for name, value in scenario["headers"].items():
        command += ["-H", f"{name}: {value}"]
    out = subprocess.run(command + [base + scenario["path"]], capture_output=True, text=True)
    line = next((x for x in out.stdout.splitlines() if x.startswith("WRK_JSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {out.stdout}{out.stderr}")
    data = json.loads(line.removeprefix("WRK_JSON "))
    data["rps"] = data["requests"] / (data["duration_us"] / 1e6)
    return data


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


def table(results: list[dict], trivial: float, static: float) -> str:
    head = (
        "| scenario | req/s | × trivial | × static | p50 ms | p99 ms | bytes (gzip) | "
        "SQL cold/warm | status |"
    )
    lines = [head, "|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for r in results:
        w = r["wrk"]
        errors = w["socket_errors"] + w["non_2xx_3xx"]
        status = f"{r['status']}" + (f", {errors} errors" if errors else "")
        lines.append(
            f"| {r['name']} | {w['rps']:.0f} | {w['rps'] / trivial:.2f} | {w['rps'] / static:.2f} "
            f"| {w['p50'] / 1000:.1f} | {w['p99'] / 1000:.1f} | {r['bytes']:,} "
            f"| {r['sql_cold']}/{r['sql_warm']} | {status} |"
        )
    return "\n".join(lines)


def verdicts(results: list[dict], trivial: float, rss: list[float], home_kb: float) -> list[str]:
    by_name = {r["name"]: r for r in results}
    out = []
    for name, (kind, limit) in TARGETS.items():
        r = by_name.get(name)
        if r is None:
            out.append(f"- {name}: not measured (page missing)")
            continue
        w = r["wrk"]
        if kind == "ratio":
            value, ok = w["rps"] / trivial, w["rps"] / trivial >= limit
            out.append(
                f"- {name}: {value:.0%} of the trivial view (target ≥ {limit:.0%}) "
                f"{'MET' if ok else 'MISSED'}"
            )
        else:
            ms = w[kind.split("_")[0]] / 1000
            out.append(
                f"- {name}: {kind.split('_')[0]} {ms:.0f} ms (target < {limit} ms) "
                f"{'MET' if ms < limit else 'MISSED'}"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("BENCH_DURATION", 10)))
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 0)))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", help="run only scenarios whose name contains this text")
    args = parser.parse_args()

    OUT.mkdir(exist_ok=True)
    args.port = args.port or free_port()
    wrk = ensure_wrk()
    db_url = database_url()
    env = bench_env(db_url, args.port)
    base = f"http://127.0.0.1:{args.port}"
    log(f"database: {re.sub(r'//[^@/]*@', '//', db_url)}")
    manage(env, "migrate", "--no-input", "-v0")
    started = time.monotonic()
    manage(env, "generate_synthetic", "--seed", str(args.seed), "--if-changed")
    log(f"synthetic data ready in {time.monotonic() - started:.1f} s")
    manage(env, "collectstatic", "--no-input", "-v0")
    prepared = subprocess.run(
        [PY, "-m", "bench.prepare"], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    scenarios = json.loads(prepared.stdout)
    if args.only:
        keep = {"trivial view", "static file (whitenoise)"}
        scenarios = [s for s in scenarios if s["name"] in keep or args.only in s["name"]]

    log_file = (OUT / "gunicorn.log").open("w")
    server = subprocess.Popen(
        [GUNICORN, "config.wsgi:application", "--bind", f"127.0.0.1:{args.port}",
         "--workers", str(args.workers), "--no-control-socket", "--log-level", "warning",
         "--error-logfile", "-"],
        cwd=ROOT,
        env=env,
        stdout=log_file,
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    results, rss, home_sizes = [], [], {}
    try:
        wait_until_up(base, server)
        for scenario in scenarios:
            page = fetch(base, scenario)
            if scenario["path"] == "/" and not scenario["headers"]:
                home_sizes = {"/ (HTML)": page["bytes"], **first_visit(base, page["body"])}
            scenario.update(bytes=page["bytes"], raw_bytes=page["raw_bytes"])
            scenario["status"] = page["status"]
            log(f"{scenario['name']}: {scenario['path']} → {page['status']}, {page['bytes']} B")
            scenario["wrk"] = run_wrk(wrk, base, scenario, args.duration, args.connections)
            results.append(scenario)
        rss = worker_rss_mb(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()

    by_name = {r["name"]: r for r in results}
    trivial = by_name["trivial view"]["wrk"]["rps"]
    static = by_name["static file (whitenoise)"]["wrk"]["rps"]
    home_kb = sum(home_sizes.values()) / 1024
    report = [
        f"Run {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC on {machine()}; "
        f"gunicorn {args.workers} sync workers, wrk -t1 -c{args.connections} -d{args.duration}s, "
        f"cache: {'Redis' if env.get('REDIS_URL') else 'local memory'}.",
        "",
        table(results, trivial, static),
        "",
        "Home page, first visit (compressed bytes): "
        + ", ".join(f"{k} {v:,}" for k, v in home_sizes.items()),
        "",
        "Targets:",
        *verdicts(results, trivial, rss, home_kb),
    ]
    text = "\n".join(report)
    print(text)
    (OUT / "last.md").write_text(text + "\n")
    for r in results:
        r.pop("body", None)
    (OUT / "last.json").write_text(json.dumps({"results": results, "rss_mb": rss}, indent=1))


if __name__ == "__main__":
    main()
