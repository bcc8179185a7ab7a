"""A long matrix keeps its bearings, history is one entry per action,
URLs are clean, columns keep the order ticked, the phone starts with the summary grid, paper holds
every provision, and the summary grid is accessible and readable without colour.

The data is built here (tests/builders.py), not taken from the shipped dataset.
"""

import datetime
import io
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from provisions.models import Instrument, Topic, Treatment
from tests.builders import published as make

pytestmark = pytest.mark.browser

COLUMNS = [
    ("eu", "EU"),
    ("us", "US"),
    ("cn", "China"),
    ("gb", "UK"),
    ("jp", "Japan"),
    ("in", "India"),
]
TREATMENTS = [
    Treatment.EXEMPTS,
    Treatment.EXEMPTS_CONDITIONALLY,
    Treatment.REQUIRES,
    Treatment.STUDIES,
    Treatment.NO_EXEMPTION,
    Treatment.DEFINES,
]


def build_world(rows: int = 14, per_cell: int = 2):
    """A home comparison of six columns and ``rows`` questions, long and wide enough to scroll;
    the last column's last row is left unreviewed, and China has a finding of silence."""
    jurisdictions = [
        make.jurisdiction(code=code, name=name, short_name=name, order=n)
        for n, (code, name) in enumerate(COLUMNS)
    ]
    topics = [
        make.topic(slug=f"question-{n}", name=f"Question {n}", question=f"Is it asked {n}?")
        for n in range(rows)
    ]
    for j in jurisdictions:
        instrument = make.instrument(jurisdiction=j, short_title=f"{j.short_name} Act")
        for n, topic in enumerate(topics):
            if j.code == "cn" and n == 0:
                continue  # China is silent on question 0
            if j.code == "in" and n == rows - 1:
                continue  # India's last question is not yet reviewed
            for k in range(per_cell):
                make.provision(
                    instrument=instrument,
                    topics=[topic],
                    label=f"Art. {n}.{k}",
                    slug=f"art-{n}-{k}",
                    treatment=TREATMENTS[(n + k) % len(TREATMENTS)],
                    summary=f"{j.short_name} provision {n}.{k}: what it says about open models.",
                )
    make.silence(
        jurisdiction=jurisdictions[2], topics=[topics[0]], reviewed_on=datetime.date(2026, 9, 30)
    )
    make.comparison(
        jurisdictions=jurisdictions, topics=topics, is_home=True, slug="home", title="World"
    )


@pytest.fixture
def live_world(transactional_db, live_server):
    build_world()
    return live_server


def open_matrix(page, url):
    assert page.goto(url).status == 200
    page.wait_for_selector("#filters[data-htmx-powered]")


def query_pairs(url: str) -> list[tuple[str, str]]:
    """The query's pairs, keys in order but each key's values kept in their own order."""
    pairs = parse_qsl(urlsplit(url).query, keep_blank_values=True)
    return sorted(pairs, key=lambda pair: pair[0])


def column_codes(page) -> list[str]:
    return page.locator(
        "#matrix table.matrix tbody tr:first-child td[data-jurisdiction]"
    ).evaluate_all("cells => cells.map(c => c.dataset.jurisdiction)")


def hit(page, x: float, y: float) -> str:
    """What a reader sees at (x, y): the closest header cell's text, or the element's tag."""
    return page.evaluate(
        """([x, y]) => {
            const el = document.elementFromPoint(x, y);
            const th = el && el.closest('th');
            if (th) return (th.closest('thead') ? 'col:' : 'row:') + th.textContent.trim();
            return el ? el.tagName : '';
        }""",
        [x, y],
    )


def test_header_row_and_question_column_stay_visible_scrolling_down_and_right(live_world, page):
    page.set_viewport_size({"width": 1280, "height": 720})
    open_matrix(page, live_world.url + "/")
    box = page.locator("#matrix .table-scroll")
    box.scroll_into_view_if_needed()
    page.evaluate("() => document.querySelector('#matrix .table-scroll').scrollIntoView()")
    sizes = box.evaluate(
        "b => ({sh: b.scrollHeight, ch: b.clientHeight, sw: b.scrollWidth, cw: b.clientWidth})"
    )
    assert sizes["sh"] > sizes["ch"] * 2, sizes  # long enough to lose the header
    assert sizes["sw"] > sizes["cw"], sizes  # wide enough to lose the question column
    box.evaluate("b => { b.scrollTop = b.scrollHeight; b.scrollLeft = b.scrollWidth; }")
    page.wait_for_timeout(100)
    rect = box.bounding_box()
    assert rect["y"] >= -1 and rect["y"] + 40 < 720  # scrolled to the top, to a subpixel
    first = page.locator("#matrix table.matrix thead th").first.bounding_box()
    # Top left: the corner header. Along the top: a column header. Down the left: a question.
    assert hit(page, rect["x"] + 10, rect["y"] + 10).startswith("col:Policy question")
    top = hit(page, rect["x"] + rect["width"] - 60, rect["y"] + 10)
    assert top.startswith("col:"), top
    assert top != "col:EU"  # scrolled right: the last columns, still labelled
    left = hit(page, rect["x"] + 10, rect["y"] + min(rect["height"], 720 - rect["y"]) - 20)
    assert left.startswith("row:Question"), left
    assert left.startswith("row:Question 1")  # scrolled down: the last questions (10–13)
    assert first["height"] > 0


def test_back_undoes_one_action_per_press_and_urls_have_no_empty_keys(live_world, page):
    open_matrix(page, live_world.url + "/")
    start = page.evaluate("() => history.length")
    pushed = []

    def act(action, wanted):
        action()
        page.wait_for_url(lambda url: query_pairs(url) == wanted)
        page.wait_for_load_state("networkidle")
        pushed.append(page.url)

    act(lambda: page.check("#j-cn"), [("j", "cn")])
    act(lambda: page.check("#j-us"), [("j", "cn"), ("j", "us")])
    act(
        lambda: page.locator("#id_q").press_sequentially("provision"),
        [("j", "cn"), ("j", "us"), ("q", "provision")],
    )
    # Leaving the field fires "change" after the "input" that already asked: no second entry.
    page.locator("#id_as_of").focus()
    page.wait_for_timeout(600)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("() => history.length") == start + 3

    for url in pushed:
        pairs = query_pairs(url)
        assert all(value for _, value in pairs), url  # never ?q=&as_of=&binding=
    # Ticking China then the US: China's column first.
    assert column_codes(page) == ["cn", "us"]

    page.go_back()
    page.wait_for_url(lambda url: query_pairs(url) == [("j", "cn"), ("j", "us")])
    page.go_back()
    page.wait_for_url(lambda url: query_pairs(url) == [("j", "cn")])
    expect(
        page.locator("#matrix table.matrix tbody tr:first-child td[data-jurisdiction]")
    ).to_have_count(1)
    page.go_back()
    page.wait_for_url(lambda url: urlsplit(url).query == "")
    expect(page.locator("#j-cn")).not_to_be_checked()


def test_a_chip_removes_its_filter_in_place(live_world, page):
    open_matrix(page, live_world.url + "/?j=cn&j=us&treatment=exempts")
    expect(page.locator("#filters-active")).to_have_text("3 filters active")
    page.locator("a.chip", has_text="Jurisdictions: China").click()
    page.wait_for_url(lambda url: query_pairs(url) == [("j", "us"), ("treatment", "exempts")])
    expect(page.locator("#j-cn")).not_to_be_checked()
    expect(page.locator("#filters-active")).to_have_text("2 filters active")
    assert column_codes(page) == ["us"]


def test_only_the_count_is_announced(live_world, page):
    open_matrix(page, live_world.url + "/")
    assert page.get_attribute("#matrix", "aria-live") is None
    page.check("#j-eu")
    expect(page.locator("#matrix-status")).to_have_text(
        re.compile(r"^\d+ provisions in 1 jurisdiction")
    )
    assert page.get_attribute("#matrix-status", "aria-live") == "polite"
    assert page.locator("[aria-live]").count() == 1


def test_phone_shows_the_summary_grid_within_the_first_screen(live_world, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    open_matrix(page, live_world.url + "/")
    # The filters are folded away, with how many are active.
    assert page.locator("#filters-disclosure").evaluate("d => d.open") is False
    expect(page.locator("#filters-active")).to_be_visible()
    grid = page.locator(".glance-grid").bounding_box()
    first_row = page.locator(".glance-grid tbody tr").first.bounding_box()
    assert grid["y"] < 844 and first_row["y"] + first_row["height"] <= 844, (grid, first_row)
    # The page itself does not scroll sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    context.close()


def test_print_holds_every_provision_and_the_cover_line(live_world, page):
    from pypdf import PdfReader

    # Eight more in one cell: beyond the screen's cap of six.
    eu_act = Instrument.objects.get(short_title="EU Act")
    topic = Topic.objects.get(slug="question-0")
    for n in range(8):
        make.provision(instrument=eu_act, topics=[topic], label=f"Art. 90.{n}", slug=f"art-90-{n}")
    open_matrix(page, live_world.url + "/?j=eu&j=us&j=cn")
    expect(page.locator("#cell-question-0-eu .more")).to_be_visible()  # capped on screen
    page.emulate_media(media="print")
    expect(page.locator("#print-cover")).to_be_visible()
    pdf = page.pdf(format="A4", landscape=True)
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    flat = re.sub(r"\s+", " ", text)
    assert "World · Openness Atlas. The law as of" in flat
    assert "Filters: Jurisdictions: EU; Jurisdictions: US; Jurisdictions: China." in flat
    assert "Permalink: " in flat and "?j=eu&j=us&j=cn" in flat.replace(" ", "")
    citations = page.locator("#matrix table.matrix a.citation").all_text_contents()
    assert len(citations) == 14 * 2 * 3 - 2 + 8
    missing = [c for c in citations if c.replace(" ", "") not in flat.replace(" ", "")]
    assert not missing, missing[:10]
    assert "and 4 more" not in flat
    # On paper the detail flows as one card per question: each cell names its jurisdiction,
    # on whatever page or column it lands (the table's header row is left out).
    expect(page.locator("#matrix table.matrix thead")).to_be_hidden()
    headings = page.locator("#matrix table.matrix td .cell-heading")
    assert headings.count() == 14 * 3
    assert all(headings.nth(n).is_visible() for n in range(0, headings.count(), 7))


def luminance(rgb: str) -> float:
    values = [int(v) / 255 for v in re.findall(r"\d+", rgb)[:3]]
    lin = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in values]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted([luminance(a), luminance(b)], reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_summary_grid_is_accessible_in_contrast_and_readable_without_colour(
    live_world, page, axe_violations, page_errors
):
    open_matrix(page, live_world.url + "/")
    violations, report = axe_violations(page)
    assert not violations, report
    items = page.locator(".glance-grid .glance-item, .legend .glance-item").evaluate_all(
        """items => items.map(i => {
            const s = getComputedStyle(i);
            const symbol = i.querySelector('.glance-symbol')?.textContent || '';
            return {cls: i.className, color: s.color, bg: s.backgroundColor,
                    symbol: symbol.trim(), text: i.textContent.replace(symbol, '').trim()};
        })"""
    )
    assert len(items) > 20
    for item in items:
        assert contrast(item["color"], item["bg"]) >= 4.5, item
        assert item["symbol"] and item["text"], item  # a symbol and words, not colour alone
    # Each state of a cell the grid shows has its own symbol and words.
    states = page.locator(".glance-grid td[data-state]").evaluate_all(
        "cells => cells.map(c =>"
        " [c.dataset.state, c.querySelector('.glance-item').textContent.trim()])"
    )
    found = {state for state, _ in states}
    assert {"provisions", "silent", "unreviewed"} <= found
    assert any(text.startswith("— Silent") for state, text in states if state == "silent")
    assert any(
        text.startswith("? Not yet reviewed") for state, text in states if state == "unreviewed"
    )
    # Each grid cell links to its detailed cell.
    href = page.locator(".glance-grid td a").first.get_attribute("href")
    assert page.locator(href).count() == 1
    # With forced colours (Windows high contrast: the tints are gone) the words are still there.
    page.emulate_media(forced_colors="active")
    assert page.locator(".glance-grid").inner_text().count("Not yet reviewed") >= 1
    assert not page_errors


def test_about_page_is_valid_and_linked_from_legend_and_footer(live_world, page, html_errors):
    open_matrix(page, live_world.url + "/")
    page.locator(".legend a[href='/about/#treatments']").click()
    page.wait_for_url(re.compile(r"/about/#treatments$"))
    expect(page.locator("h1")).to_have_text("About the atlas and its method")
    footer_link = page.locator("footer a[href='/about/']")
    expect(footer_link).to_be_visible()
    pages = {
        "about": page.request.get(live_world.url + "/about/").text(),
        "matrix with chips": page.request.get(
            live_world.url + "/?j=cn&j=us&treatment=exempts&q=open"
        ).text(),
        "matrix fragment": "<!doctype html><html lang=en><title>x</title><main>"
        + page.request.get(live_world.url + "/?j=eu", headers={"HX-Request": "true"}).text()
        + "</main>",
    }
    errors, report = html_errors(pages)
    assert not errors, report
