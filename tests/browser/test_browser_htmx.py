"""Acceptance 2: the matrix in real Chromium, with htmx and without JavaScript.

Filtering swaps the matrix in place (one htmx request, no page load), pushes a URL that renders
the same matrix when opened fresh, and Back restores the previous matrix. Without JavaScript the
same form submits and the server renders the same state. Permalinks and earlier labels land on
the provision.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

FILTER_EU = "#filters input[name='j'][value='eu']"


def open_matrix(page, url):
    response = page.goto(url)
    assert response.status == 200
    # htmx 4 starts in a setTimeout after a deferred load; it marks what it has processed.
    page.wait_for_selector("#filters[data-htmx-powered]")
    # Survives only as long as no new page is loaded into this tab.
    page.evaluate("() => { window.atlasNoReload = true; }")


def only_eu(url: str) -> bool:
    """The URL selects exactly the EU column (whatever empty fields the form also sends)."""
    return parse_qs(urlsplit(url).query).get("j") == ["eu"]


def matrix_text(page) -> str:
    return page.locator("#matrix").inner_text()


def column_codes(page) -> list[str]:
    return page.locator("#matrix tbody tr:first-child td[data-jurisdiction]").evaluate_all(
        "cells => cells.map(c => c.dataset.jurisdiction)"
    )


def test_filter_swaps_the_matrix_in_place_pushes_the_url_and_back_restores(
    live_atlas, page, page_errors
):
    open_matrix(page, live_atlas.url + "/")
    before_url = page.url
    before_text = matrix_text(page)
    assert set(column_codes(page)) >= {"us", "eu", "cn"}

    counts_before = page.locator("#filters .count").all_inner_texts()
    requests = []
    page.on("request", lambda request: requests.append(request))
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true") as request:
        page.check(FILTER_EU)
    assert only_eu(request.value.url)
    page.wait_for_url(only_eu)
    expect(page.locator("#matrix tbody tr:first-child td[data-jurisdiction]")).to_have_count(1)
    # One request brought the matrix and the option counts (swapped out of band).
    assert [r.url for r in requests if r.resource_type in ("fetch", "xhr", "document")] == [
        request.value.url
    ]
    assert page.locator("#filters .count").all_inner_texts() != counts_before

    assert column_codes(page) == ["eu"]
    assert page.evaluate("() => window.atlasNoReload") is True, "the page was reloaded"
    filtered_text = matrix_text(page)
    assert filtered_text != before_text
    # The result count is announced to screen readers, not the whole matrix.
    assert page.get_attribute("#matrix", "aria-live") is None
    assert page.get_attribute("#matrix-status", "aria-live") == "polite"
    expect(page.locator("#matrix-status")).to_contain_text("provision")

    # Back restores the previous matrix (and the checkbox).
    page.go_back()
    page.wait_for_url(before_url)
    expect(page.locator("#matrix")).to_have_text(before_text, use_inner_text=True)
    expect(page.locator(FILTER_EU)).not_to_be_checked()
    assert set(column_codes(page)) >= {"us", "eu", "cn"}

    # Forward brings the filtered state back.
    page.go_forward()
    page.wait_for_url(only_eu)
    expect(page.locator("#matrix")).to_have_text(filtered_text, use_inner_text=True)
    assert not page_errors


def test_a_pushed_url_opened_fresh_renders_the_same_matrix(live_atlas, context, page):
    open_matrix(page, live_atlas.url + "/")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.check(FILTER_EU)
    page.wait_for_url(only_eu)
    expect(page.locator("#matrix tbody tr:first-child td[data-jurisdiction]")).to_have_count(1)
    swapped = matrix_text(page)
    pushed = page.url

    fresh = context.new_page()
    response = fresh.goto(pushed)
    assert response.status == 200
    assert matrix_text(fresh) == swapped
    expect(fresh.locator(FILTER_EU)).to_be_checked()


def test_keyboard_filtering_keeps_focus_on_the_control(live_atlas, page):
    """A keyboard user toggles a filter with Space; the swap must not throw focus to the top."""
    open_matrix(page, live_atlas.url + "/")
    page.focus(FILTER_EU)
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.keyboard.press("Space")
    page.wait_for_url(only_eu)
    expect(page.locator("#matrix tbody tr:first-child td[data-jurisdiction]")).to_have_count(1)
    expect(page.locator(FILTER_EU)).to_be_focused()
    expect(page.locator(FILTER_EU)).to_be_checked()


def test_typing_in_the_text_filter_narrows_the_matrix(live_atlas, page, page_errors):
    open_matrix(page, live_atlas.url + "/")
    summary = page.locator("#matrix-summary").inner_text()
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true") as request:
        page.locator("#id_q").press_sequentially("weights")
    assert parse_qs(urlsplit(request.value.url).query).get("q") == ["weights"]
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("q") == ["weights"])
    expect(page.locator("#matrix-summary")).not_to_have_text(summary)
    assert page.evaluate("() => window.atlasNoReload") is True, "the page was reloaded"
    assert not page_errors


@pytest.fixture
def no_js_page(browser, live_atlas):
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def test_without_javascript_the_form_submits_and_the_server_renders_the_state(
    live_atlas, no_js_page
):
    page = no_js_page
    requests = []
    page.on("request", lambda request: requests.append(request))
    assert page.goto(live_atlas.url + "/").status == 200
    before_text = matrix_text(page)

    page.check(FILTER_EU)
    with page.expect_navigation():
        page.click("#filters [type='submit']")
    assert only_eu(page.url)
    assert column_codes(page) == ["eu"]
    assert matrix_text(page) != before_text
    assert all("hx-request" not in r.headers for r in requests)

    page.go_back()
    assert page.url.rstrip("/") == live_atlas.url
    assert set(column_codes(page)) >= {"us", "eu", "cn"}


def test_a_permalink_lands_on_the_provision(live_atlas, page, page_errors):
    response = page.goto(live_atlas.url + "/eu/ai-act/art-53-2/")
    assert response.status == 200
    expect(page.locator("h1")).to_contain_text("53(2)")
    assert not page_errors


def test_an_earlier_label_redirects_permanently_to_the_provision(live_atlas, page):
    response = page.goto(live_atlas.url + "/eu/ai-act/art-2-5g/")
    assert response.status == 200
    assert page.url == live_atlas.url + "/eu/ai-act/art-2-12/"
    redirect = response.request.redirected_from
    assert redirect is not None
    assert redirect.url.endswith("/eu/ai-act/art-2-5g/")
    assert redirect.response().status == 301
    expect(page.locator("h1")).to_contain_text("2(12)")


def test_the_cite_block_copies_the_citation(live_atlas, context, page, page_errors):
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_atlas.url)
    page.goto(live_atlas.url + "/eu/ai-act/art-53-2/")
    citation = page.locator("#cite-plain").text_content()
    assert "AI Act" in citation
    assert live_atlas.url + "/eu/ai-act/art-53-2/" in citation

    page.locator(".cite-formats summary").click()  # one "Cite" control holds the formats
    page.get_by_role("button", name="Copy plain text").click()
    expect(page.locator(".copy-status")).to_have_text("Copied.")
    assert page.evaluate("() => navigator.clipboard.readText()") == citation
    assert not page_errors
