"""The law's own words in a real browser: a point anchor lands on its point, Chinese and English
sit side by side on a wide screen and stack on a phone, and the compare view works without
JavaScript and prints without its form."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CN = "/cn/genai-interim-measures/art-2-para-3/"
COMPARE = "/texts/scope-exemption/?jurisdiction=us&jurisdiction=eu&jurisdiction=cn"


def in_viewport(page, selector: str) -> bool:
    return page.evaluate(
        """(selector) => {
            const box = document.querySelector(selector).getBoundingClientRect();
            return box.top >= 0 && box.top < window.innerHeight;
        }""",
        selector,
    )


def test_a_point_anchor_lands_on_that_point(live_atlas, page):
    page.set_viewport_size({"width": 390, "height": 500})  # a phone: the point is far down
    page.goto(live_atlas.url + "/eu/ai-act/art-53-1/#point-d")
    point = page.locator("#point-d")
    expect(point).to_contain_text("sufficiently detailed summary about the content used")
    assert in_viewport(page, "#point-d")
    assert page.evaluate("() => document.querySelector(':target').id") == "point-d"
    # Clicking a point's label gives its link: the address now names that point.
    page.locator("#point-b-i .point-label").click()
    assert page.url.endswith("#point-b-i")
    assert in_viewport(page, "#point-b-i")


def test_original_and_translation_side_by_side_on_a_wide_screen_stacked_on_a_phone(
    live_atlas, page
):
    page.set_viewport_size({"width": 1400, "height": 900})
    page.goto(live_atlas.url + CN)
    # Each text is a figure: its label, then the words in their language.
    zh = page.locator("figure.legal-text", has=page.locator('blockquote[lang="zh-Hans"]'))
    en = page.locator("figure.legal-text", has=page.locator('blockquote[lang="en"]'))
    expect(zh).to_be_visible()
    wide_zh, wide_en = zh.bounding_box(), en.bounding_box()
    assert wide_en["x"] > wide_zh["x"] + wide_zh["width"] - 1  # beside it
    assert abs(wide_en["y"] - wide_zh["y"]) < 5
    # The side column sits to the right of the text on a wide screen.
    side, main = (
        page.locator(".record-side").bounding_box(),
        page.locator(".record-main").bounding_box(),
    )
    assert side["x"] >= main["x"] + main["width"]
    page.set_viewport_size({"width": 390, "height": 800})
    narrow_zh, narrow_en = zh.bounding_box(), en.bounding_box()
    assert narrow_en["y"] >= narrow_zh["y"] + narrow_zh["height"]  # below it
    assert abs(narrow_en["x"] - narrow_zh["x"]) < 5


def test_cite_is_one_control_that_opens_on_the_formats(live_atlas, page):
    page.goto(live_atlas.url + "/eu/ai-act/art-53-2/")
    expect(page.locator("#cite-official")).to_have_text(
        "Regulation (EU) 2024/1689, Art. 53(2), OJ L, 12.7.2024"
    )
    expect(page.locator("#cite-bluebook")).to_be_hidden()
    page.locator(".cite-formats summary").click()
    expect(page.locator("#cite-bluebook")).to_contain_text("art. 53(2)")
    expect(page.locator("#cite-oscola")).to_contain_text("art 53(2)")


def test_compare_view_columns_side_by_side_and_chosen_without_javascript(live_atlas, browser):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1400, "height": 900}
    )
    page = context.new_page()
    page.goto(live_atlas.url + COMPARE)
    columns = page.locator(".text-column")
    expect(columns).to_have_count(3)
    boxes = [columns.nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    page.get_by_role("checkbox", name="United States").uncheck()
    page.get_by_role("button", name="Show").click()
    assert "j=us" not in page.url and "j=eu" in page.url
    expect(page.locator(".text-column")).to_have_count(2)
    context.close()


def test_compare_view_prints_the_texts_without_the_form(live_atlas, page):
    page.goto(live_atlas.url + COMPARE)
    page.emulate_media(media="print")
    expect(page.locator(".choose-columns")).to_be_hidden()
    expect(page.locator('.text-column blockquote[lang="zh-Hans"]').first).to_be_visible()
    # On paper too the three jurisdictions sit side by side, without the copies' toggles.
    page.set_viewport_size({"width": 1047, "height": 740})  # A4 landscape within its margins
    boxes = [page.locator(".text-column").nth(i).bounding_box() for i in range(3)]
    assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"]
    assert abs(boxes[0]["y"] - boxes[2]["y"]) < 2
    expect(page.locator(".copy-read").first).to_be_hidden()


REDLINE = "/eu/ai-act/art-25-4/changes/?from=2025-01-01&to=2026-12-07"


def test_the_redline_prints_its_marks_in_words_without_the_date_form(live_atlas, page):
    page.goto(live_atlas.url + REDLINE)
    page.emulate_media(media="print")
    expect(page.locator("form.redline-dates")).to_be_hidden()
    inserted = page.locator(".redline-body ins")
    expect(inserted).to_have_count(1)
    expect(inserted).to_be_visible()
    # On paper, and to a reader who cannot tell the tints apart, the words say what changed.
    expect(inserted).to_have_text("inserted: AI model,")
    line = inserted.evaluate("(el) => getComputedStyle(el).textDecorationLine")
    assert line == "underline"


def test_the_redline_dates_are_chosen_without_javascript(live_atlas, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_atlas.url + REDLINE)
    page.fill("#from", "2025-01-01")
    page.fill("#to", "2025-06-01")
    page.click("text=Compare")
    expect(page.locator(".notice")).to_contain_text("nothing changed")
    context.close()
