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
    "checker with every kind of error": (
        "/models/check/?licence=custom&rights=all&compute=lots&user_cap=-1&weights=x"
        "&documentation=&placed_on_market=2025-13-45&on=1800-01-01&compute_grade=guess"
    ),
    "checker, unknown model to start from": "/models/check/?start=no-such-model",
    "model profile on a date": "/models/mistral-7b/?on=2025-01-01",
    "two models compared": "/models/compare/?a=llama-3-1-405b&b=olmo-2&on=2026-12-07",
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
    verdict = page.locator('#answer .verdict-line[data-jurisdiction="eu"]')
    expect(verdict).to_have_attribute("data-outcome", "not_exempt")
    expect(verdict).to_contain_text("Presumed systemic risk: 3 × 10^25 FLOP reported")
    expect(page.locator("#answer #p28")).to_have_attribute("data-outcome", "fails")
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


@pytest.mark.browser
@pytest.mark.parametrize("width", [1440, 390])
@pytest.mark.parametrize(
    "path",
    [
        "/models/llama-3-1-405b/?on=2026-12-07",
        "/models/check/?start=mistral-7b",
        "/models/compare/?a=llama-3-1-405b&b=olmo-2&on=2026-12-07",
    ],
)
def test_the_verdicts_are_in_the_first_screen(live_atlas, browser, width, path):
    """On a laptop and on a phone, the EU's and California's verdicts (the answer and how sure
    it is) show without scrolling."""
    context = browser.new_context(viewport={"width": width, "height": 800 if width > 500 else 844})
    page = context.new_page()
    assert page.goto(live_atlas.url + path).status == 200
    height = page.viewport_size["height"]
    for code in ("eu", "us-ca"):
        line = page.locator(f'[data-jurisdiction="{code}"]').first
        expect(line).to_be_visible()
        for part in (".outcome", ".confidence"):
            box = line.locator(part).first.bounding_box()
            assert box["y"] + box["height"] <= height, (width, path, code, part, box)
    # Nothing wider than the screen: no sideways scrolling on a phone.
    assert page.evaluate("() => document.documentElement.scrollWidth") <= width
    context.close()


def test_models_pages_are_valid_html(atlas, client, html_errors):
    pages = {}
    for name, path in PAGES.items():
        response = client.get(path, follow=True)
        assert response.status_code in (200, 400), path
        pages[name] = response.content.decode()
    errors, report = html_errors(pages)
    assert not errors, report
