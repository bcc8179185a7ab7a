"""What changed in the law between two dates: the EU between 1 January 2025 and 7 December
2026 includes Art. 53(2) beginning to apply on 2 August 2025 and the Omnibus's amendment of
Art. 25(4); the JSON holds exactly what the page lists; bad dates are a 400 that says why."""

import html
import re

import pytest

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("atlas")]

EU_2025_2026 = {"from": "2025-01-01", "to": "2026-12-07", "j": "eu"}


def listed(page: str) -> list[tuple[str, str, str, str]]:
    """(date, kind, link, words) of each change the page lists."""
    items = re.findall(
        r'<li data-kind="(\w+)"><time datetime="([\d-]+)">.*?</time>'
        r'.*?<a href="([^"]+)">(.*?)</a></li>',
        page,
        re.S,
    )
    return [
        (day, kind, html.unescape(href), html.unescape(re.sub(r"<[^>]+>", "", words)))
        for kind, day, href, words in items
    ]


def test_the_eu_changes_include_art_53_2_applying_and_art_25_4_amended(client):
    page = client.get("/timeline/between/", EU_2025_2026).content.decode()
    changes = listed(page)
    assert (
        "2025-08-02",
        "begins",
        "/eu/ai-act/art-53-2/",
        "AI Act Art. 53(2) begins to apply",
    ) in changes
    amended = [c for c in changes if c[1] == "amended" and c[2].startswith("/eu/ai-act/art-25-4/")]
    assert len(amended) == 1
    day, _, link, words = amended[0]
    assert day == "2026-07-27"
    assert link == "/eu/ai-act/art-25-4/changes/?from=2026-07-26&to=2026-07-27"  # its redline
    assert "adding “AI model”" in words
    assert all(c[0] >= "2025-01-01" and c[0] <= "2026-12-07" for c in changes)
    assert all(c[2].startswith("/eu/") for c in changes)


def test_the_json_equals_the_page(client):
    page = listed(client.get("/timeline/between/", EU_2025_2026).content.decode())
    body = client.get("/timeline/between.json", EU_2025_2026).json()
    assert (body["from"], body["to"], body["jurisdictions"]) == ("2025-01-01", "2026-12-07", ["eu"])
    from_json = [
        (c["date"], c["kind"], c["url"].removeprefix("http://testserver"), c["summary"])
        for c in body["changes"]
    ]
    assert from_json == page
    assert len(page) > 5


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"from": "2025-02-30"}, "The date “2025-02-30” given as “from” was not understood"),
        ({"from": "2026-12-07", "to": "2025-01-01"}, "“from” (2026-12-07) is after “to”"),
    ],
)
def test_bad_dates_are_a_400_that_says_why_on_the_page_and_in_json(client, query, message):
    response = client.get("/timeline/between/", query)
    assert response.status_code == 400 and message in html.unescape(response.content.decode())
    response = client.get("/timeline/between.json", query)
    assert response.status_code == 400 and message in response.json()["error"]


def test_an_unknown_jurisdiction_is_ignored_with_a_message(client):
    response = client.get("/timeline/between/", {"j": "atlantis", "from": "2025-01-01"})
    assert response.status_code == 200
    assert "No jurisdiction has the code “atlantis”; ignored." in html.unescape(
        response.content.decode()
    )
