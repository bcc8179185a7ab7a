"""Acceptance 3: axe-core finds no serious or critical WCAG 2.2 A/AA violation; 320 px reads."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The public pages audited, as the dataset has them.
PAGES = {
    "matrix (home)": "/",
    "components view": "/components/",
    "provision": "/eu/ai-act/art-53-2/",
    "redline of an amended text": "/eu/ai-act/art-25-4/changes/?from=2025-01-01&to=2026-12-07",
    "changes between two dates": "/timeline/between/?from=2025-01-01&to=2026-12-07&j=eu",
    "provision with Chinese text and translation": "/cn/genai-interim-measures/art-2-para-3/",
    "texts side by side": "/texts/scope-exemption/?jurisdiction=us&jurisdiction=eu&jurisdiction=cn",
    "argument list": "/arguments/",
    "search with results": "/search/?q=open+source",
    "world comparison": "/compare/world/",
    "timeline": "/timeline/",
    "jurisdiction profile (South Korea)": "/kr/",
    "texts side by side (default columns)": "/texts/scope-exemption/",
    "briefing": "/briefing/scope-exemption/?j=us&j=eu&j=cn",
    "about and method": "/about/",
}


def test_search_page_audited_with_results(live_atlas, page):
    """The search audit sees the result list and its highlighted snippets, not an empty page."""
    page.goto(live_atlas.url + PAGES["search with results"])
    expect(page.locator("main mark").first).to_be_visible()


@pytest.mark.parametrize(
    "path",
    [*PAGES.values(), "/?j=xx&as_of=2024-13-45"],
    ids=[*PAGES.keys(), "matrix with ignored filters"],
)
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
    assert page.goto(live_atlas.url + path).status == 200
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


def test_no_serious_accessibility_violation_after_an_htmx_swap(
    live_atlas, page, page_errors, axe_violations
):
    """The swapped matrix and the out-of-band counts keep the page accessible (unique ids …)."""
    page.goto(live_atlas.url + "/")
    page.wait_for_selector("#filters[data-htmx-powered]")
    with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
        page.check("#filters input[name='j'][value='eu']")
    page.wait_for_function("() => !document.querySelector('#matrix td[data-jurisdiction=us]')")
    violations, report = axe_violations(page)
    assert not violations, report
    assert not page_errors


def test_keyboard_focus_is_visible(live_atlas, page):
    """Every element reached with Tab shows a focus indicator (WCAG 2.4.7)."""
    page.goto(live_atlas.url + "/")
    unmarked = []
    for _ in range(25):
        page.keyboard.press("Tab")
        focus = page.evaluate(
            """() => {
                const el = document.activeElement;
                // A date field's focused part (day, month, year) is highlighted inside it.
                if (el === document.body || el.type === 'date') return null;
                const style = getComputedStyle(el);
                return {
                    what: el.outerHTML.slice(0, 120),
                    outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
                    shadow: style.boxShadow !== 'none',
                };
            }"""
        )
        if focus and not (focus["outline"] or focus["shadow"]):
            unmarked.append(focus["what"])
    assert not unmarked, "No visible focus on:\n" + "\n".join(unmarked)


def test_the_matrix_prints_without_the_filters(live_atlas, page):
    """On paper the matrix is whole: no filter form, no clipped scroll box."""
    page.goto(live_atlas.url + "/?j=eu&j=us")
    page.emulate_media(media="print")
    expect(page.locator("#filters")).to_be_hidden()
    expect(page.locator("#matrix table.matrix")).to_be_visible()
    overflow = page.locator("#matrix .table-scroll").evaluate("e => getComputedStyle(e).overflowX")
    assert overflow == "visible"
