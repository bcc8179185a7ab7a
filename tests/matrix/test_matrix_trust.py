"""A matrix you can trust at a glance.

Every empty cell says why (filters, date, silence or not yet reviewed) for every kind of filter,
the headline counts what is shown (and agrees with the JSON download), conditions say which way
they cut, the summary grid and its image follow the filters, and the About page explains it all.
"""

import csv
import datetime
import io
import re

import pytest
from django.core.management import call_command

from provisions.models import (
    Condition,
    Instrument,
    Jurisdiction,
    LegalStatus,
    Provision,
    Treatment,
)
from tests.builders import published as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """EU, US, China in the home comparison; California outside it."""
    eu, us, cn = make.home_places()
    ca = make.jurisdiction(code="us-ca", name="California", short_name="California", order=4)
    exemptions = make.topic(slug="exemptions", name="Exemptions", question="Exempt?")
    export = make.export_controls(question="Controlled?")
    weights = make.weights()
    data = make.component(slug="data", name="Training data")
    licence = make.condition(
        slug="foss", name="Free and open-source licence", polarity="applies_if"
    )
    monetised = make.condition(slug="monetised", name="Monetised", polarity="lost_if")
    ai_act = make.ai_act(eu)
    make.art_53_2(
        ai_act,
        summary="Open-source providers are exempt from documentation duties.",
        topics=[exemptions],
        components=[weights],
        conditions=[licence, monetised],
        applies_from=None,
    )
    guidelines = make.instrument(
        jurisdiction=eu,
        slug="gpai-guidelines",
        short_title="GPAI guidelines",
        kind=Instrument.Kind.GUIDANCE,
        binding=False,
        adopted_on=datetime.date(2025, 7, 18),
        in_force_on=datetime.date(2025, 7, 18),
    )
    make.provision(
        instrument=guidelines,
        label="Sec. 4",
        slug="sec-4",
        summary="Explains when a model counts as released openly.",
        treatment=Treatment.DEFINES,
        topics=[exemptions, export],
        components=[data],
    )
    eo = make.eo_14110(us)
    make.sec_4_6(
        eo,
        summary="Commerce to study models with widely available weights.",
        topics=[export],
        components=[weights],
    )
    # A bill with no known date, in a column the home comparison does not show.
    sb_1047 = make.instrument(
        jurisdiction=ca,
        slug="sb-1047",
        short_title="SB 1047",
        status=LegalStatus.PROPOSED,
        adopted_on=None,
        in_force_on=None,
    )
    make.provision(
        instrument=sb_1047,
        label="Sec. 22603",
        slug="sec-22603",
        treatment=Treatment.NO_EXEMPTION,
        topics=[exemptions],
        components=[weights],
    )
    # A row the home comparison does not show: its provision must not be counted there.
    liability = make.topic(slug="liability", name="Liability", question="Who is liable?")
    make.provision(instrument=ai_act, label="Art. 25(1)", slug="art-25-1", topics=[liability])
    make.silence(jurisdiction=cn, topics=[exemptions], reviewed_on=datetime.date(2026, 9, 30))
    make.comparison(
        jurisdictions=[eu, us, cn], topics=[exemptions, export], is_home=True, slug="home"
    )
    make.comparison(
        jurisdictions=[eu, us, cn, ca], topics=[exemptions, export], slug="with-california"
    )


def cell(html: str, cell_id: str) -> str:
    match = re.search(rf'<td id="{cell_id}"[^>]*>(.*?)</td>', html, re.S)
    assert match, f"no cell {cell_id}"
    return match.group(1)


def headline(html: str) -> int:
    return int(re.search(r'data-provision-count="(\d+)"', html).group(1))


def shown_provisions(html: str) -> set[str]:
    """Every provision the detailed matrix holds (on screen or, beyond the cap, for print)."""
    table = html[html.index('<table class="matrix">') :]
    return set(re.findall(r'<a class="citation" href="([^"]+)"', table))


def cells_holding_provisions(html: str) -> dict[str, str]:
    """Each cell of the page whose jurisdiction and row have a public provision at all."""
    found = {}
    for cell_id, code, body in re.findall(
        r'<td id="(cell-[^"]+)" data-jurisdiction="([^"]+)"[^>]*>(.*?)</td>', html, re.S
    ):
        row = cell_id.removeprefix("cell-").removesuffix(f"-{code}")
        if (
            Provision.objects.public()
            .filter(instrument__jurisdiction__code=code, topics__slug=row)
            .exists()
        ):
            found[cell_id] = body
    return found


# One query per filter kind, and a cell it empties (None: the filter drops rows or columns,
# so no cell is emptied, but the count must still leave them out), with what that cell says.
FILTER_KINDS = {
    "jurisdiction": ({"j": "eu"}, None, None),
    "component": ({"component": "data"}, "cell-export-controls-us", "(1 hidden)"),
    "topic": ({"topic": "export-controls"}, None, None),
    "treatment": ({"treatment": "studies"}, "cell-exemptions-eu", "(2 hidden)"),
    "status": ({"status": "proposal"}, "cell-export-controls-us", "(1 hidden)"),
    "binding": ({"binding": "yes", "as_of": "2025-12-01"}, "cell-export-controls-eu", "(1 hidden)"),
    "text": ({"q": "documentation"}, "cell-export-controls-us", "(1 hidden)"),
    "date": ({"as_of": "2023-01-01"}, "cell-exemptions-eu", "(2 later)"),
}


@pytest.mark.parametrize("kind", FILTER_KINDS)
def test_a_cell_the_filters_empty_never_says_not_yet_reviewed(client, world, kind):
    query, emptied, says = FILTER_KINDS[kind]
    query = {"as_of": "2024-12-01", **query}
    html = client.get("/", query).content.decode()
    if emptied:
        body = cell(html, emptied)
        assert 'class="citation"' not in body
        assert says in body
        if kind == "date":
            assert "Nothing in force on 1 Jan 2023 (2 later)." in body
        else:
            assert "No provision matches your filters" in body
    holding = cells_holding_provisions(html)
    assert holding, "the world has provisions in the cells shown"
    for cell_id, body in holding.items():
        assert "Not yet reviewed" not in body, (kind, cell_id)


@pytest.mark.parametrize("kind", FILTER_KINDS)
def test_the_headline_counts_what_is_shown_and_agrees_with_the_json(client, world, kind):
    # A day when California's bill exists too (its column is not in the home comparison).
    query = {"as_of": "2026-11-15", **FILTER_KINDS[kind][0]}
    html = client.get("/", query).content.decode()
    shown = shown_provisions(html)
    exported = client.get("/export/compare/home.json", query).json()
    assert headline(html) == len(shown) == exported["provision_count"], kind


def test_columns_not_shown_are_not_counted(client, world):
    html = client.get("/", {"as_of": "2026-11-15"}).content.decode()
    # The AI Act article and the guidelines (in two rows, counted once); the executive order
    # has ended; California's bill is not a column here.
    assert headline(html) == 2 == len(shown_provisions(html))
    assert "/us-ca/sb-1047/sec-22603/" not in html
    wider = client.get("/compare/with-california/", {"as_of": "2026-11-15"}).content.decode()
    assert headline(wider) == 3


def test_an_instrument_without_a_date_is_not_placed_before_it_existed(client, world):
    html = client.get("/compare/with-california/", {"as_of": "1999-01-01"}).content.decode()
    assert headline(html) == 0
    body = cell(html, "cell-exemptions-us-ca")
    assert "SB 1047" not in body
    assert "Nothing in force on 1 Jan 1999 (1 later)." in body
    assert "Not yet reviewed" not in body
    # From the day its record was checked, it is there, as a proposal.
    later = client.get("/compare/with-california/", {"as_of": "2026-11-15"}).content.decode()
    assert "SB 1047 Sec. 22603" in cell(later, "cell-exemptions-us-ca")


def test_silent_and_not_yet_reviewed_are_different_facts(client, world):
    html = client.get("/").content.decode()
    silent = cell(html, "cell-exemptions-cn")
    assert "Silent" in silent and "Texts reviewed on 30 Sep 2026" in silent
    assert "Not yet reviewed" not in silent
    assert "Not yet reviewed" in cell(html, "cell-export-controls-cn")


def test_conditions_say_which_way_they_cut(client, world):
    html = client.get("/").content.decode()
    body = cell(html, "cell-exemptions-eu")
    assert "Applies if: Free and open-source licence" in body
    assert "Lost if: Monetised" in body
    assert "Conditions:" not in body
    exported = client.get("/export/compare/home.json").json()
    entry = next(
        p
        for row in exported["rows"]
        for c in row["cells"]
        for p in c["provisions"]
        if p["citation"] == "AI Act Art. 53(2)"
    )
    assert entry["applies_if"] == ["Free and open-source licence"]
    assert entry["lost_if"] == ["Monetised"]


def test_the_shipped_conditions_all_have_a_polarity():
    """fixtures/taxonomy.json: the facts that take an exemption away are marked so."""
    call_command("load_atlas", verbosity=0)
    lost = set(
        Condition.objects.filter(polarity=Condition.Polarity.LOST_IF).values_list("slug", flat=True)
    )
    applies = set(
        Condition.objects.filter(polarity=Condition.Polarity.APPLIES_IF).values_list(
            "slug", flat=True
        )
    )
    assert {"monetised", "systemic-risk"} <= lost
    assert {"free-open-source-licence", "parameters-public"} <= applies


def test_summary_grid_follows_the_filters_and_links_to_the_cells(client, world):
    html = client.get("/", {"as_of": "2024-12-01"}).content.decode()
    grid = html[html.index('<table class="glance-grid">') : html.index("</table>")]
    assert 'href="#cell-exemptions-eu"' in grid
    assert "◐" in grid and "Exempts, with conditions" in grid
    assert "Not yet reviewed" in grid  # China on export controls
    filtered = client.get("/", {"as_of": "2024-12-01", "treatment": "studies"}).content.decode()
    grid = filtered[filtered.index('<table class="glance-grid">') : filtered.index("</table>")]
    assert "Exempts, with conditions" not in grid
    assert "Hidden by your filters" in grid


def test_every_state_has_a_symbol_and_words_in_the_legend_or_on_the_about_page(client, world):
    """The matrix's legend keeps to the seven answers met most (a legend of 14 was not read);
    the About page, which it links to, shows every treatment and state with its symbol."""
    from comparisons.matrix.legend import LEGEND, STATES, TREATMENTS

    html = client.get("/").content.decode()
    legend = html[html.index('<div class="legend"') :]
    for key in LEGEND:
        assert f'aria-hidden="true">{key.symbol}</span> {key.label}' in legend
    about = client.get("/about/").content.decode()
    for key in [*TREATMENTS, *STATES]:
        assert key.symbol.strip() and key.label.strip()
        assert f'aria-hidden="true">{key.symbol}</span> {key.label}' in about
    assert len({key.symbol for key in [*TREATMENTS, *STATES]}) == len(TREATMENTS) + len(STATES)
    assert 'href="/about/#treatments"' in legend


def test_only_the_count_is_announced(client, world):
    html = client.get("/").content.decode()
    assert re.search(r'<div id="matrix" class="matrix-region">', html)
    assert html.count("aria-live") == 1
    fragment = client.get("/", {"j": "eu"}, headers={"HX-Request": "true"}).content.decode()
    status = re.search(r'<p id="matrix-status" data-hx-swap-oob="innerHTML">(.*?)</p>', fragment)
    assert status and "provision" in status.group(1)


def test_filters_active_and_removable_chips(client, world):
    html = client.get("/", {"j": ["cn", "us"], "treatment": "studies", "q": ""}).content.decode()
    assert "3 filters active" in html
    chips = re.findall(r'<a class="chip" href="([^"]+)"[^>]*>([^<]+)<', html)
    texts = [text for _, text in chips]
    assert texts == ["Jurisdictions: China", "Jurisdictions: US", "Treatment: Studies"]
    # Removing China keeps the rest, with no empty keys.
    assert chips[0][0] == "/?j=us&amp;treatment=studies"
    assert "No filters active" in client.get("/").content.decode()


def test_print_cover_line_and_every_provision_of_a_capped_cell(client, world):
    eu_act = Instrument.objects.get(slug="ai-act")
    exemptions = Provision.objects.get(slug="art-53-2").topics.get()
    for n in range(8):
        make.provision(instrument=eu_act, topics=[exemptions], label=f"Art. {100 + n}")
    html = client.get("/", {"treatment": "exempts"}).content.decode()
    body = cell(html, "cell-exemptions-eu")
    assert body.count('class="entry"') == 6  # on screen
    assert body.count('class="entry print-only"') == 2  # on paper too
    cover = re.search(r'<p class="print-cover" id="print-cover">(.*?)</p>', html, re.S).group(1)
    assert "Treatment: Exempts" in cover
    assert "The law as of" in cover
    assert "http://testserver/?treatment=exempts" in cover


def test_chinese_text_is_marked_as_chinese(client, world):
    cn = make.instrument(
        jurisdiction=Jurisdiction.objects.get(code="cn"),
        short_title="Framework 2.0 (人工智能安全治理框架 2.0)",
        binding=False,
    )
    make.provision(
        instrument=cn,
        topics=[Provision.objects.get(slug="sec-4-6").topics.get()],
        summary="Calls for open source (开源) ecosystems.",
    )
    html = client.get("/").content.decode()
    body = cell(html, "cell-export-controls-cn")
    assert '<span lang="zh">人工智能安全治理框架 2.0</span>' in body
    assert '<span lang="zh">开源</span>' in body


def test_csv_opens_in_excel_and_file_names_carry_the_filters(client, world):
    response = client.get("/export/compare/home.csv", {"j": ["cn", "eu"], "treatment": "exempts"})
    assert response.content.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and "row_kind" in rows[0]
    disposition = response["Content-Disposition"]
    assert re.fullmatch(
        r'attachment; filename="atlas-home-\d{4}-\d\d-\d\d-j-cn-eu-treatment-exempts\.csv"',
        disposition,
    )
    json_name = client.get("/export/compare/home.json", {"as_of": "2024-12-01", "q": "Open source"})
    assert json_name["Content-Disposition"] == (
        'attachment; filename="atlas-home-2024-12-01-q-open-source.json"'
    )


def test_summary_image_carries_its_date_filters_and_legend(client, world):
    response = client.get("/export/compare/home.svg", {"as_of": "2024-12-01", "j": ["eu", "cn"]})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert response["Content-Disposition"].endswith('-j-eu-cn.svg"')
    svg = response.content.decode()
    assert svg.startswith("<?xml") and "<svg" in svg
    assert "The law as of 1 December 2024" in svg
    assert "Jurisdictions: EU; Jurisdictions: China." in svg
    assert "◐ Exempts, with conditions" in svg
    assert "— Silent" in svg  # China on exemptions
    assert "? Not yet reviewed" in svg  # China on export controls
    assert "http://testserver/?j=eu&amp;j=cn&amp;as_of=2024-12-01" in svg
    assert "United States" not in svg and ">US<" not in svg
    from xml.etree import ElementTree

    ElementTree.fromstring(response.content)  # well-formed


def test_about_page_explains_the_method_and_is_linked_from_the_footer(client, world):
    response = client.get("/about/")
    assert response.status_code == 200
    html = response.content.decode()
    for anchor in (
        "treatments",
        "cells",
        "verification",
        "checking",
        "editors",
        "errors",
        "licence",
        "glossary",
    ):
        assert f'id="{anchor}"' in html
    assert "Not yet reviewed" in html and "Silent" in html
    assert "CC BY 4.0" in html
    for page in ("/", "/about/", "/search/"):
        footer = client.get(page).content.decode().split('<footer class="site-footer">')[1]
        assert 'href="/about/"' in footer


def test_about_page_names_where_to_report_an_error_when_configured(client, settings):
    settings.ATLAS_ERROR_REPORTS = "mailto:corrections@example.org"
    html = client.get("/about/").content.decode()
    assert '<a href="mailto:corrections@example.org">' in html


def test_option_counts_count_the_columns_shown(client, world):
    html = client.get("/", {"as_of": "2026-11-15"}).content.decode()
    # California's bill is in the Exemptions row but not a column of the home comparison: the
    # row's option counts the AI Act article and the guidelines only; California's own option
    # says what ticking it would add.
    assert '<span class="count" id="count-topic-exemptions">(2)</span>' in html
    assert '<span class="count" id="count-treatment-no_exemption">(0)</span>' in html
    assert '<span class="count" id="count-j-us-ca">(1)</span>' in html
    wider = client.get("/compare/with-california/", {"as_of": "2026-11-15"}).content.decode()
    assert '<span class="count" id="count-topic-exemptions">(3)</span>' in wider
