"""Benchmark, step 2 (run by bench/run.py inside the benchmark's environment).

Picks the scenarios' URLs from the synthetic database, makes an admin session for the changelist
scenario, and counts the SQL queries each scenario's request makes, with Django's test client
under ``CaptureQueriesContext``: once with an empty cache ("cold") and once right after ("warm").
Prints one JSON document on stdout.
"""

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.staticfiles.storage import staticfiles_storage  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from comparisons.matrix import filters  # noqa: E402
from comparisons.models import Comparison  # noqa: E402
from config import dataversion  # noqa: E402
from provisions.models import Argument, Component, Provision  # noqa: E402

HTMX = {"HX-Request": "true"}
AS_OF = "2025-06-30"


def url(name, **kwargs):
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def biggest_static_file() -> str:
    """The site's own largest CSS or JS file, at its hashed URL (whitenoise pre-compresses it)."""
    best, size = None, -1
    for folder in settings.STATICFILES_DIRS:
        for path in Path(folder).rglob("*"):
            if path.suffix in {".css", ".js"} and path.stat().st_size > size:
                best, size = path.relative_to(folder).as_posix(), path.stat().st_size
    if best is None:
        return "/static/does-not-exist.css"
    return staticfiles_storage.url(best)


def scenarios(admin_cookie: str) -> list[dict]:
    home = "/"
    everyone = Comparison.objects.filter(slug="all-jurisdictions").first()
    everyone_url = everyone.get_absolute_url() if everyone else None
    component = Component.objects.order_by("order").first()
    # A provision with arguments, in the middle of the table (not the cheapest first rows).
    public = Provision.objects.public()
    middle = public.count() // 2
    provision = (
        public.annotate(n=Count("argument_links"))
        .filter(n__gt=0)
        .select_related("instrument__jurisdiction")
        .order_by("pk")[middle // 2 : middle // 2 + 1]
        .first()
    )
    argument = (
        Argument.objects.published()
        .annotate(n=Count("provisions"))
        .filter(n__gt=1)
        .order_by("pk")[100:101]
        .first()
    )
    search = url("comparisons:search")
    worst = f"{search}?q=" + "+".join(["open+source"] * 15) if search else None
    admin = url("admin:provisions_provision_changelist")
    slug = component.slug if component else "weights"
    filtered = f"{home}?component={slug}&q=weights&as_of={AS_OF}"
    found = [
        ("trivial view", "/bench/trivial", {}, None),
        ("static file (whitenoise)", biggest_static_file(), {}, None),
        ("matrix, full page", home, {}, None),
        ("matrix, HTMX partial", home, HTMX, None),
        ("matrix, all 50 jurisdictions", everyone_url, {}, None),
        ("matrix, all 50, uncached", everyone_url, {}, "uncached"),
        ("matrix, component+text+as-of", filtered, {}, None),
        ("provision page", provision.get_absolute_url() if provision else None, {}, None),
        ("argument page", argument.get_absolute_url() if argument else None, {}, None),
        ("search", f"{search}?q=training+data" if search else None, {}, None),
        ("search, uncached", f"{search}?q=training+data" if search else None, {}, "search"),
        # The hostile case: a word repeated to the form's 200 characters (less the room the
        # script's excluded word takes), with its spelling and synonym alternatives.
        ("search, 200 characters, uncached", worst, {}, "search"),
        ("admin changelist", admin, {"Cookie": admin_cookie}, None),
    ]
    return [
        {"name": name, "path": path, "headers": headers, "script": script}
        for name, path, headers, script in found
        if path
    ]


def admin_session() -> tuple[Client, str]:
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return client, f"{name}={client.cookies[name].value}"


def count_queries(client: Client, scenario: dict) -> dict:
    headers = {k: v for k, v in scenario["headers"].items() if k != "Cookie"}
    path = scenario["path"]
    if scenario["script"] == "uncached":
        path += ("&" if "?" in path else "?") + "as_of=2024-02-29"
    elif scenario["script"] == "search":
        path += "+-zq0"
    counts = []
    status = None
    for _ in range(2):
        if not counts:
            cache.clear()
            filters.forget_standings()  # cold: as the first render after a publish
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path, headers=headers)
        status = response.status_code
        counts.append(len(queries))
    return {"sql_cold": counts[0], "sql_warm": counts[1], "status": status}


def main() -> None:
    # A page's own queries: the data version read once per second (dataversion.MAX_AGE) is
    # shared by every request in that second (cold counts as before: version already known),
    # and a cold all-50 render can take longer than one second (warm was then 1, not 0).
    dataversion.MAX_AGE = 3600.0
    admin_client, cookie = admin_session()
    public_client = Client()
    result = []
    for scenario in scenarios(cookie):
        if scenario["path"].startswith("/static/"):
            scenario.update(sql_cold=0, sql_warm=0, status=None)
        else:
            client = admin_client if "Cookie" in scenario["headers"] else public_client
            scenario.update(count_queries(client, scenario))
        result.append(scenario)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
