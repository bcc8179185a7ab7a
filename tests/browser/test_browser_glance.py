"""The answer in ten seconds on any screen: no page scrolls sideways on a phone or a laptop, the
matrix reads as one card per question on a phone with each jurisdiction's headline answer,
and a jump to a cell lands below the table's sticky header."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

WIDTHS = [360, 390, 1440]
PAGES = {
    "matrix": "/",
    "texts": "/texts/scope-exemption/?j=us&j=eu&j=cn",
    "world": "/compare/world/",
    "provision": "/eu/ai-act/art-53-2/",
}


def overflow(page) -> dict:
    return page.evaluate(
        """() => ({
            doc: document.documentElement.scrollWidth,
            view: window.innerWidth,
            boxes: [...document.querySelectorAll('.glance-scroll, .table-scroll')]
                .filter((box) => box.scrollWidth > box.clientWidth + 1)
                .map((box) => `${box.className}: ${box.scrollWidth} > ${box.clientWidth}`),
        })"""
    )


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_horizontal_overflow_on_phones_and_a_laptop(live_atlas, page, path):
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        assert page.goto(live_atlas.url + path).status == 200
        found = overflow(page)
        assert found["doc"] <= found["view"], (width, found)
        if width < 600 and path == "/":
            # On a phone nothing in the matrix scrolls sideways either: no box to pan.
            assert not found["boxes"], (width, found)


def test_on_a_phone_each_jurisdiction_answers_scope_exemption_in_one_card(live_atlas, page):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_atlas.url + "/")
    view = page.evaluate("() => window.innerWidth")
    card = page.locator(".glance-grid tbody tr", has=page.locator("th", has_text="Scope exemption"))
    expect(card).to_be_visible()
    answers = {}
    for code, name in (("us", "US"), ("eu", "EU"), ("cn", "China")):
        cell = card.locator(f'a[href="#cell-scope-exemption-{code}"]')
        box = cell.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= view, (code, box)
        text = cell.inner_text()
        assert text.startswith(name), text  # the jurisdiction, then its answer, on one card
        answers[code] = text
    assert "Exempts, with conditions" in answers["eu"]
    # Stacked: one jurisdiction under the other, inside the question's card.
    tops = [
        card.locator(f'a[href="#cell-scope-exemption-{c}"]').bounding_box()["y"]
        for c in ("us", "eu", "cn")
    ]
    assert tops == sorted(tops) and len(set(tops)) == 3
    card_box = card.bounding_box()
    assert card_box["x"] >= 0 and card_box["x"] + card_box["width"] <= view


def test_the_nav_is_one_line_on_a_phone(live_atlas, page):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_atlas.url + "/")
    links = page.locator(".site-header nav a")
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1, tops
    header = page.locator(".site-header").bounding_box()
    assert header["height"] < 70, header


def test_a_jump_to_a_cell_lands_below_the_sticky_header(live_atlas, page):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_atlas.url + "/#cell-frontier-safety-eu")
    header = page.locator(".matrix thead").bounding_box()
    cell = page.locator("#cell-frontier-safety-eu").bounding_box()
    assert cell["y"] >= header["y"] + header["height"] - 1, (cell, header)


def test_the_texts_of_scope_exemption_sit_in_three_columns_on_a_laptop_stacked_on_a_phone(
    live_atlas, page
):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(live_atlas.url + "/texts/scope-exemption/?j=us&j=eu&j=cn")
    columns = page.locator(".text-column")
    expect(columns).to_have_count(3)
    boxes = [columns.nth(i).bounding_box() for i in range(3)]
    for left, right in zip(boxes, boxes[1:], strict=False):
        assert right["x"] >= left["x"] + left["width"] - 1  # beside it, not under it
        assert abs(right["y"] - left["y"]) < 2
    assert [columns.nth(i).locator("h2").inner_text() for i in range(3)] == [
        "United States",
        "European Union",
        "China",
    ]
    page.set_viewport_size({"width": 390, "height": 844})
    boxes = [columns.nth(i).bounding_box() for i in range(3)]
    for upper, lower in zip(boxes, boxes[1:], strict=False):
        assert lower["y"] >= upper["y"] + upper["height"] - 1  # stacked


def test_forced_colours_still_tell_every_treatment_and_state_apart(live_atlas, page):
    """Windows High Contrast drops the tints: each key keeps its own symbol and words, and the
    two empty cells that matter most keep borders of their own."""
    page.emulate_media(forced_colors="active")
    page.goto(live_atlas.url + "/about/")
    keys = page.locator(".legend-terms dt .glance-item:has(.glance-symbol)").evaluate_all(
        """items => items.map((item) => {
            const style = getComputedStyle(item);
            return {
                symbol: item.querySelector('.glance-symbol').textContent.trim(),
                label: item.textContent.trim(),
                border: style.borderLeftStyle + ' ' + style.borderTopStyle,
                width: parseFloat(style.borderLeftWidth),
            };
        })"""
    )
    assert len(keys) >= 13
    assert len({k["symbol"] for k in keys}) == len(keys), keys
    assert all(k["width"] > 0 for k in keys)
    border = {k["label"].split(" ", 1)[1]: k["border"] for k in keys}
    assert border["Silent after review"] != border["Not yet reviewed"]
    assert border["Silent after review"] != border["Silent on openness"]
