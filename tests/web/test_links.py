"""Links never break: every public URL the atlas has ever had still answers, or redirects to one.

tests/snapshots/public_urls.txt is the committed list of every public URL of the dataset. Each
must answer 200, or redirect (301/302, hop by hop) to a page that answers 200. A URL is never
taken out of the list: a page that moves keeps its old URL as a redirect. The one exception is a
record withdrawn after publication: its URLs answer 410 Gone with a page saying why, and only
URLs of such records may (``withdrawn_urls``). When the dataset
gains pages, add them with ``UPDATE_SNAPSHOT=1 pytest tests/web/test_links.py`` (which only adds).
"""

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import Client

from provisions.models import EditorialState, Provision
from tests.public_urls import public_urls, withdrawn_urls

SNAPSHOT = Path(__file__).resolve().parents[1] / "snapshots" / "public_urls.txt"
HEADER = "# Every public URL of the dataset, ever. Never remove a line (tests/web/test_links.py).\n"


@pytest.fixture(scope="module")
def current(django_db_setup, django_db_blocker):
    """The fixtures, loaded once for this module and rolled back at its end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_atlas", verbosity=0)
        yield public_urls()
        transaction.set_rollback(True)


def snapshot() -> list[str]:
    lines = SNAPSHOT.read_text().splitlines() if SNAPSHOT.exists() else []
    return [line for line in lines if line and not line.startswith("#")]


def final_answer(client, url, hops=5):
    """(status, url) at the end of the redirect chain, following at most ``hops`` redirects."""
    seen = [url]
    for _ in range(hops):
        response = client.get(url)
        if response.status_code not in (301, 302, 307, 308):
            return response.status_code, seen
        url = urlsplit(response["Location"])._replace(scheme="", netloc="").geturl()
        seen.append(url)
    return "too many redirects", seen


@pytest.mark.django_db
def test_the_snapshot_holds_every_current_public_url(current):
    if os.environ.get("UPDATE_SNAPSHOT"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        merged = sorted(set(snapshot()) | set(current))
        SNAPSHOT.write_text(HEADER + "".join(f"{url}\n" for url in merged))
    missing = sorted(set(current) - set(snapshot()))
    assert not missing, (
        f"{len(missing)} public URLs are not in {SNAPSHOT.name} (first: {missing[:3]}); add them "
        "with UPDATE_SNAPSHOT=1 pytest tests/web/test_links.py"
    )


def broken_links(client, urls, withdrawn: set[str]) -> dict:
    """URL → (status, chain) for each URL that neither answers (or leads to) a page nor is a
    withdrawn record's URL answering 410 Gone."""
    broken = {}
    for url in urls:
        status, chain = final_answer(client, url)
        if status == 200 or (status == 410 and url in withdrawn):
            continue
        broken[url] = (status, chain)
    return broken


@pytest.mark.django_db
def test_every_url_in_the_snapshot_still_answers_or_redirects_to_a_page(current):
    urls = snapshot()
    assert len(urls) > 100
    broken = broken_links(Client(), urls, withdrawn_urls())
    assert not broken, f"{len(broken)} links broke: {list(broken.items())[:5]}"


@pytest.mark.django_db
def test_a_withdrawn_record_answers_410_and_only_its_urls_may(current):
    with transaction.atomic():
        provision = (
            Provision.objects.public()
            .filter(earlier_labels__isnull=False)
            .select_related("instrument__jurisdiction")
            .order_by("pk")
            .first()
        )
        provision.state = EditorialState.WITHDRAWN
        provision.withdrawal_reason = "Merged into another provision."
        provision.save()
        in_snapshot = {u for u in snapshot() if u in withdrawn_urls()}
        page = provision.get_absolute_url()
        assert page in in_snapshot and f"/api/provisions/{provision.pk}/" in in_snapshot
        assert len(in_snapshot) >= 6  # the page, 3 citation files, an old label, the API
        client = Client()
        assert not broken_links(client, sorted(in_snapshot), withdrawn_urls())
        # The same 410 answers are broken links for any record not withdrawn.
        assert set(broken_links(client, sorted(in_snapshot), set())) == in_snapshot
        assert {status for status, _ in broken_links(client, [page], set()).values()} == {410}
        transaction.set_rollback(True)
