"""Acceptance 3: axe-core finds no serious or critical WCAG 2.2 A/AA violation; 320 px reads."""

import pytest

pytestmark = pytest.mark.browser

# The public pages audited, as the dataset has them.
PAGES = {
    "home matrix": "/",
}


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_serious_accessibility_violation(live_atlas, page, page_errors, axe_violations, path):
    response = page.goto(live_atlas.url + path)
    assert response.status == 200
    violations, report = axe_violations(page)
    assert not violations, report
    assert not page_errors


@pytest.mark.parametrize("path", PAGES.values(), ids=PAGES.keys())
def test_no_horizontal_scroll_at_320px(live_atlas, page, path):
    """At 320 CSS px the page itself never scrolls sideways (a wide table scrolls in its box)."""
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_atlas.url + path)
    widths = page.evaluate(
        "() => ({doc: document.documentElement.scrollWidth, body: document.body.scrollWidth,"
        " view: document.documentElement.clientWidth})"
    )
    assert widths["doc"] <= widths["view"], widths
    assert widths["body"] <= widths["view"], widths


def test_axe_finds_a_known_violation(page, axe_violations):
    """The audit is wired up: an unlabelled field and an image without text are reported."""
    page.set_content(
        '<!doctype html><html lang="en"><title>x</title><main>'
        '<input type="text"><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main>'
    )
    violations, report = axe_violations(page)
    assert {"label", "image-alt"} <= {v["id"] for v in violations}, report
