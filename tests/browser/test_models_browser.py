"""The models pages in real Chromium: the checker's htmx path, axe-core, and the Nu HTML checker."""

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

PAGES = {
    "models grid": "/models/",
    "model profile": "/models/llama-3-1-405b/",
    "checker with an answer": (
        "/models/check/?licence=apache-2.0&weights=open&documentation=yes&monetised=no"
        "&compute=3e25&established_in_eu=no&use_restrictions=none"
    ),
    "checker with errors": "/models/check/?licence=nope&compute=-1",
    "provision with models": "/eu/ai-act/art-53-2/",
}


@pytest.mark.browser
def test_the_checker_answers_in_place_and_pushes_a_url_that_reproduces_it(
    live_atlas, context, page, page_errors
):
    response = page.goto(live_atlas.url + "/models/check/")
    assert response.status == 200
    page.wait_for_selector("#checker[data-htmx-powered]")
    page.evaluate("() => { window.atlasNoReload = true; }")

    page.select_option("#id_licence", "apache-2.0")
    page.fill("#id_compute", "3e25")
    page.check("#id_established_in_eu_1")  # No
    with page.expect_request(lambda r: r.headers.get("hx-request") == "true") as request:
        page.click("#checker button[type=submit]")
    assert parse_qs(urlsplit(request.value.url).query)["compute"] == ["3e25"]
    answer = page.locator("#answer-p28")
    expect(answer).to_have_attribute("data-outcome", "fails")
    expect(answer).to_contain_text("presumed to have systemic risk")
    page.wait_for_url(lambda url: "compute=3e25" in url)
    assert page.evaluate("() => window.atlasNoReload") is True, "the page was reloaded"
    swapped = page.locator("#answer").inner_text()

    # The pushed URL, opened fresh without JavaScript, gives the same answer.
    plain = context.browser.new_context(java_script_enabled=False)
    fresh = plain.new_page()
    assert fresh.goto(page.url).status == 200
    assert fresh.locator("#answer").inner_text() == swapped
    plain.close()
    assert not page_errors


@pytest.mark.browser
@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_models_pages_have_no_serious_accessibility_violation(
    live_atlas, page, page_errors, axe_violations, path
):
    response = page.goto(live_atlas.url + path)
    assert response.status == 200
    violations, report = axe_violations(page)
    assert not violations, report
    assert not page_errors


def test_models_pages_are_valid_html(atlas, client, html_errors):
    pages = {}
    for name, path in PAGES.items():
        response = client.get(path)
        assert response.status_code == 200, path
        pages[name] = response.content.decode()
    errors, report = html_errors(pages)
    assert not errors, report
