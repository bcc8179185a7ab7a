"""Shared test setup."""

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def plain_static_storage(settings):
    """Pages render {% static %} without a manifest (tests never run collectstatic)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Production's PBKDF2 costs half a second a password by design; tests log in often.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def production_server():
    """gunicorn with production settings on its own database, loaded with the fixtures."""
    from django.conf import settings

    from tests.prodlike import ProductionServer

    # Named after this run's test database, so that two checkouts testing on one PostgreSQL
    # server (worktrees, CI beside a developer) never share the production-like database.
    name = settings.DATABASES["default"].get("TEST", {}).get("NAME") or "test_" + str(
        settings.DATABASES["default"]["NAME"]
    )
    server = ProductionServer(database=f"{name}_prodlike")
    server.start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Each test rolls its data back, and with it the data version its cached pages are keyed
    on: a later test could reach the same version with other data. Start every test empty."""
    from django.core.cache import cache

    from comparisons.matrix import filters
    from config import dataversion

    cache.clear()
    filters.forget_standings()  # the matrix's memo of the provisions' standing, keyed alike
    dataversion.forget()  # and the version this process remembers (at most a second old)


PER_REQUEST = "tests-read-the-data-version-once-per-request"


@pytest.fixture(autouse=True)
def version_read_per_request(monkeypatch):
    """Each request reads the data version once, at its first use, as if the process never
    remembered it between requests: a test that counts a page's queries counts that read
    whatever the clock, where the product's one-second memory would make the count depend on
    how long this busy machine took since the last request. The remembering itself is tested
    in tests/web/test_fast_hits.py (with ``version_held`` and the product's one second)."""
    from django.core.signals import request_started

    from config import dataversion

    monkeypatch.setattr(dataversion, "MAX_AGE", 3600.0)
    request_started.connect(dataversion.forget, dispatch_uid=PER_REQUEST)
    yield
    request_started.disconnect(dispatch_uid=PER_REQUEST)


@pytest.fixture
def version_held(monkeypatch, version_read_per_request):
    """The remembered data version stays fresh for the whole test, however slowly this busy
    machine renders the first page: a test that counts a hit's queries counts them, not the
    clock. (Writes by this process still make it ask again at once.)"""
    from django.core.signals import request_started

    request_started.disconnect(dispatch_uid=PER_REQUEST)


@pytest.fixture(scope="session", autouse=True)
def no_connection_outlives_the_run(django_db_setup, django_db_blocker):
    """The test database is dropped at the end of the run, and PostgreSQL refuses while any
    other session is connected to it: a server process a test started (gunicorn, a thread) may
    still hold one. End them first, so that the run's own teardown never fails on its data."""
    yield
    from django.db import connection

    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


@pytest.fixture(scope="module")
def atlas(django_db_setup, django_db_blocker):
    """The shipped dataset (``load_atlas``), loaded once per test module that asks for it, in a
    transaction rolled back after the module's last test."""
    from django.core.management import call_command
    from django.db import transaction

    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_atlas", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def wsgi_keeps_the_connection():
    """Requests through the WSGI application itself (schemathesis's ``from_wsgi``) keep the
    database connection open: the handler closes it after each request, and the test's
    transaction lives on it (Django's test client does the same)."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


TESTS = Path(__file__).resolve().parent
# Whole files that start servers or processes, or walk large or generated inputs. Together with
# every test that uses a real server (below), they are the "slow" tier that ``make check``
# leaves out; ``make test`` runs everything.
SLOW_FILES = {
    "web/test_partition.py",
    "web/test_outage.py",
    "web/test_cache_outage.py",
    "web/test_container.py",
    "web/test_production.py",
    "opendata/test_fuzz_exports.py",
    "opendata/test_restore_corpus.py",
    "dataset/test_synthetic.py",
    "editors/test_admin_scale.py",
    "web/test_draft_walk.py",
}
SERVER_FIXTURES = {"production_server", "live_server", "server", "redirecting", "trickling"}


def pytest_collection_modifyitems(config, items):
    """Tiers by where a test lives and what it starts: ``browser`` for tests/browser/, ``slow``
    for the files above and any test with a real server. Then, under ``make mutation`` only,
    each mutant's quickest tests first (``quickest_first``)."""
    for item in items:
        where = Path(str(item.fspath)).resolve().relative_to(TESTS).as_posix()
        if where.startswith("browser/"):
            item.add_marker(pytest.mark.browser)
        if where in SLOW_FILES or SERVER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
    quickest_first(items)


def quickest_first(items):
    """Under ``make mutation`` only: run a mutant's quickest tests first.

    mutmut stops at a mutant's first failing test (``-x``) and passes its tests in no
    particular order; on a busy machine running the cheap ones first kills most mutants in a
    fraction of the time. The durations are those mutmut measured (``mutmut-stats.json``, in
    ``mutants/``, the directory its runs start in). Ordinary runs are left as they are."""
    import json
    import os

    if "__mutmut_" not in os.environ.get("MUTANT_UNDER_TEST", ""):
        return
    stats = Path("mutmut-stats.json")
    if not stats.exists():
        return
    duration = json.loads(stats.read_text()).get("duration_by_test", {})
    items.sort(key=lambda item: duration.get(item.nodeid, 0.0))
