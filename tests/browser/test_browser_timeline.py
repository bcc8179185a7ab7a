"""The timeline of legal developments in real Chromium, with htmx and without
JavaScript, and on a phone."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def asked(url: str) -> dict:
    return {k: v for k, v in parse_qs(urlsplit(url).query).items() if v != [""]}


def test_filters_swap_the_timeline_in_place_and_push_the_url(live_atlas, page, page_errors):
    assert page.goto(live_atlas.url + "/timeline/").status == 200
    page.wait_for_selector("#timeline-filters[data-htmx-powered]")
    page.evaluate("() => { window.atlasNoReload = true; }")
    everything = int(page.get_attribute("[data-development-count]", "data-development-count"))

    with page.expect_request(lambda r: r.headers.get("hx-request") == "true"):
        page.check("#tl-j-kr")
    page.wait_for_url(lambda url: asked(url).get("j") == ["kr"])
    expect(page.locator("#timeline .development").first).to_contain_text("AI Basic Act")
    korea = int(page.get_attribute("[data-development-count]", "data-development-count"))
    assert 0 < korea < everything
    assert page.locator("#timeline .development-where a[href='/eu/']").count() == 0

    with page.expect_request(lambda r: r.headers.get("hx-request") == "true"):
        page.select_option("#tl-topic", "frontier-safety")
    page.wait_for_url(lambda url: asked(url) == {"j": ["kr"], "topic": ["frontier-safety"]})
    assert page.evaluate("() => window.atlasNoReload") is True, "the page was reloaded"
    # The pushed URL renders the same state when opened fresh.
    shown = page.locator("#timeline").inner_text()
    page.goto(page.url)
    assert page.locator("#timeline").inner_text() == shown
    assert page_errors == []


def test_without_javascript_the_form_submits_and_the_server_filters(browser, live_atlas):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_atlas.url + "/timeline/")
    page.check("#tl-j-ca")
    page.click("#timeline-filters button[type=submit]")
    page.wait_for_url(lambda url: asked(url).get("j") == ["ca"])
    text = page.locator("#timeline").inner_text()
    assert "AIDA" in text and "AI Basic Act" not in text
    context.close()


def test_timeline_reads_on_a_phone(live_atlas, page):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(live_atlas.url + "/timeline/")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320
