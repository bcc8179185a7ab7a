"""An instrument's contents in document order, and each provision page's previous and next
links following that order."""

import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]


def contents(client, path: str) -> list[str]:
    page = client.get(path).content.decode()
    toc = re.search(r'<ol class="toc">(.*)</ol>\s*</section>', page, re.S).group(1)
    return re.findall(r'<li><a href="([^"]+)">', toc)


def pager(client, path: str) -> tuple[str | None, str | None]:
    page = client.get(path).content.decode()
    previous = re.search(r'<a rel="prev" href="([^"]+)">', page)
    following = re.search(r'<a rel="next" href="([^"]+)">', page)
    return (previous and previous.group(1), following and following.group(1))


def test_previous_and_next_follow_the_instruments_contents(client):
    order = contents(client, "/eu/ai-act/")
    assert order.index("/eu/ai-act/art-53-1/") < order.index("/eu/ai-act/art-53-1-a/")
    assert order.index("/eu/ai-act/art-53-1-d/") < order.index("/eu/ai-act/art-53-2/")
    where = order.index("/eu/ai-act/art-53-2/")
    assert pager(client, "/eu/ai-act/art-53-2/") == (order[where - 1], order[where + 1])
    # A point follows its article: Art. 53(1)(a) comes right after Art. 53(1).
    assert pager(client, "/eu/ai-act/art-53-1-a/")[0] == "/eu/ai-act/art-53-1/"
    assert pager(client, order[0]) == (None, order[1])
    assert pager(client, order[-1]) == (order[-2], None)


def test_a_provision_alone_in_its_instrument_has_no_pager(client):
    assert contents(client, "/us/ntia-rfc-open-weights/") == ["/us/ntia-rfc-open-weights/notice/"]
    assert "Previous:" not in client.get("/us/ntia-rfc-open-weights/notice/").content.decode()
