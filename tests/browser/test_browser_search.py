"""Search in real Chromium: facets swap the results in place and push their URL;
without JavaScript the same links load the same state; the page passes axe (WCAG 2.2 AA)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_facet_swaps_results_in_place_and_pushes_the_url(live_atlas, page, page_errors):
    response = page.goto(live_atlas.url + "/search/?q=open+source")
    assert response.status == 200
    page.wait_for_selector("form.search-form[data-htmx-powered]")
    page.evaluate("() => { window.atlasNoReload = true; }")
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true"):
        page.locator(".search-facets a", has_text="Arguments (").click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("type") == ["arguments"])
    expect(page.locator("#results-arguments")).to_be_visible()
    expect(page.locator("#results-provisions")).to_have_count(0)
    assert page.evaluate("() => window.atlasNoReload") is True  # no page load
    assert page_errors == []


def test_a_citation_search_without_javascript_shows_the_badge_and_passes_axe(
    live_atlas, browser, axe_violations
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_atlas.url + "/search/?q=section+4.6")
    first = page.locator("ol.results li").first
    expect(first.locator("a").first).to_have_text("EO 14110 Sec. 4.6")
    expect(first.locator(".badge")).to_have_text("Revoked")
    page.locator(".search-facets a", has_text="United States").click()
    assert parse_qs(urlsplit(page.url).query).get("jurisdiction") == ["us"]
    context.close()
    page = browser.new_page()
    page.goto(live_atlas.url + "/search/?q=Art.+52c(-2)")
    expect(page.locator(".search-exact")).to_contain_text("is now Art. 53(2).")
    found, report = axe_violations(page)
    assert not found, report


def test_show_all_swaps_in_the_whole_group_and_pushes_its_url(live_atlas, page, page_errors):
    page.goto(live_atlas.url + "/search/?q=open+source")
    page.wait_for_selector("form.search-form[data-htmx-powered]")
    page.evaluate("() => { window.atlasNoReload = true; }")
    provisions = page.locator("#search-area section[aria-labelledby='results-provisions'] li")
    expect(provisions).to_have_count(5)
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true"):
        page.get_by_role("link", name="Show all").first.click()
    page.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("type") == ["provisions"])
    expect(provisions.nth(5)).to_be_visible()
    assert page.evaluate("() => window.atlasNoReload") is True  # no page load
    assert page_errors == []


def test_a_corrected_search_and_a_chinese_search_without_javascript_pass_axe(
    live_atlas, browser, axe_violations
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_atlas.url + "/search/?q=open+sorce+exemption")
    expect(page.locator(".search-corrected")).to_contain_text(
        "Showing results for open source exemption."
    )
    page.get_by_role("link", name="Search for “open sorce exemption” as typed").click()
    expect(page.locator(".matrix-summary")).to_have_text("0 results for “open sorce exemption”.")
    context.close()
    page = browser.new_page()
    for query in ("open+sorce+exemption", "开源"):
        page.goto(live_atlas.url + f"/search/?q={query}")
        found, report = axe_violations(page)
        assert not found, report
    expect(page.locator("#results-equivalents")).to_have_text("English equivalents: “open source”")
