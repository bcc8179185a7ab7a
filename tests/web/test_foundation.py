"""The ground every other part stands on: health check, settings, production checks."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def production_env(**overrides):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY="x" * 60 + "-not-a-real-secret-but-long-and-random-enough-0123456789",
        DJANGO_ALLOWED_HOSTS="atlas.example.org",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


@pytest.mark.django_db
def test_healthz_answers_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db(transaction=True)
def test_healthz_is_503_fast_when_the_database_is_unreachable_and_recovers(client):
    saved = dict(connection.settings_dict)
    connection.close()
    # Nothing listens on port 1: the connection is refused, as when the server is down.
    connection.settings_dict.update(HOST="127.0.0.1", PORT="1")
    try:
        started = time.monotonic()
        response = client.get("/healthz")
        elapsed = time.monotonic() - started
        assert response.status_code == 503
        assert response.json()["status"] == "unavailable"
        assert elapsed < 2
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
    # The database is back: the same process answers 200 again, no restart.
    assert client.get("/healthz").status_code == 200


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_settings_fail_fast_with_one_clear_line(missing):
    result = manage("check", env=production_env(**{missing: None}))
    assert result.returncode != 0
    assert f"{missing} must be set when DJANGO_DEBUG is false" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_settings_pass_check_deploy():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.django_db
def test_home_page_answers(client):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    # An empty atlas says so, inside the site's frame, rather than showing an empty table.
    assert html.startswith("<!doctype html>")
    assert "<title>" in html and "Openness Atlas" in html
    assert "No comparison has been published yet" in html
