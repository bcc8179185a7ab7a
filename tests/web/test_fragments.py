"""Page or fragment: every htmx page decides it with one function (comparisons/web/fragments.py),
and the page cache keys with the same one, so a cached fragment never answers a page request."""

import pytest

pytestmark = pytest.mark.django_db

SWAP = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
PAGES = ["/arguments/", "/models/", "/models/check/", "/search/?q=open", "/timeline/"]


@pytest.mark.parametrize("url", PAGES)
def test_a_swap_gets_the_fragment_and_a_history_restore_the_page(client, url):
    # The fragment first, so a page cache keyed apart from the view would now serve it again.
    swap = client.get(url, headers=SWAP)
    restore = client.get(url, headers=RESTORE)
    page = client.get(url)
    assert swap.status_code == restore.status_code == page.status_code == 200
    assert not swap.content.decode().lstrip().startswith("<!doctype html>")
    assert restore.content.decode().startswith("<!doctype html>")
    assert restore.content == page.content
    for response in (swap, restore, page):
        vary = {part.strip() for part in response["Vary"].split(",")}
        assert {"HX-Request", "HX-History-Restore-Request"} <= vary, url
