"""One headline answer per matrix cell, chosen by the precedence rule the About page prints.

The shipped EU "Scope exemption" cell holds the open-source exclusion of Art. 2(12), the
deepfake ban of Art. 5(1)(ba) and the dates of Art. 113: read at a glance it said "exempts",
"defines" and "no exemption" at once. It must lead with the exemption, and the two rules that
cover open and closed models alike must say so and come last.
"""

import html as htmllib
import re

import pytest

from provisions.models import Headline, Provision, Treatment

pytestmark = pytest.mark.django_db

# A fixed day: the shipped ban of Art. 5(1)(ba) applies from 2 December 2026.
DAY = "2026-12-07"


def detail_cells(page: str) -> dict[str, str]:
    """The detail table's cells by id."""
    return dict(re.findall(r'<td id="(cell-[^"]+)"[^>]*>(.*?)</td>', page, re.S))


def glance_cells(page: str) -> dict[str, str]:
    """The summary grid's cells, by the id of the detail cell they link to."""
    return {
        cell_id: body
        for body, cell_id in re.findall(
            r'(<td class="glance-cell[^"]*"[^>]*><a href="#(cell-[^"]+)">.*?</td>)', page, re.S
        )
    }


def words(fragment: str) -> str:
    """What a sighted reader reads on a wide screen: the text without tags, without
    screen-reader-only text and without the column's name (seen only in a phone's cards)."""
    fragment = re.sub(r'<span class="visually-hidden">.*?</span>', "", fragment, flags=re.S)
    fragment = re.sub(r'<span class="glance-where"[^>]*>.*?</span>', "", fragment, flags=re.S)
    fragment = re.sub(r'<span class="glance-symbol"[^>]*>.*?</span>', "", fragment, flags=re.S)
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def headline(cell: str) -> str:
    match = re.search(r'<p class="headline">(.*?)</p>', cell, re.S)
    assert match, cell
    return words(match.group(1))


def entries(cell: str) -> list[tuple[str, str, bool]]:
    """Each listed provision: citation, treatment value, applies regardless of openness."""
    found = []
    for item in re.findall(r'<li class="entry[^"]*">(.*?)</li>', cell, re.S):
        citation = words(re.search(r'<a class="citation"[^>]*>(.*?)</a>', item, re.S).group(1))
        treatment = re.search(r'class="treatment treatment-([a-z_]+)"', item).group(1)
        found.append((citation, treatment, 'class="regardless"' in item))
    return found


def test_the_eu_scope_exemption_cell_leads_with_the_open_source_exemption(client, atlas):
    page = client.get("/", {"as_of": DAY}).content.decode()
    cell = detail_cells(page)["cell-scope-exemption-eu"]
    assert headline(cell) == "Exempts, with conditions (AI Act Art. 2(12))"
    listed = entries(cell)
    assert listed[0] == ("AI Act Art. 2(12)", Treatment.EXEMPTS_CONDITIONALLY, False)
    # The ban and the dates cover every model: they say so, and come after the exemption.
    regardless = {citation for citation, _, marked in listed if marked}
    assert regardless == {"AI Act Art. 5(1)(ba)–(bb), (1a), (1b)", "AI Act Art. 113"}
    assert all(marked for _, _, marked in listed[-2:])
    assert cell.count("Applies regardless of openness") == 2
    # The summary grid says one answer, and how many other provisions the cell holds.
    glance = glance_cells(page)["cell-scope-exemption-eu"]
    assert words(glance) == "Exempts, with conditions +2"
    assert "Covers open models, no exemption" not in glance
    assert "Defines" not in glance


def precedence_on_the_about_page(client) -> list[str]:
    about = client.get("/about/").content.decode()
    listed = re.search(r'<ol id="precedence"[^>]*>(.*?)</ol>', about, re.S)
    assert listed, "the About page does not print the precedence rule"
    return [words(item) for item in re.findall(r"<li>(.*?)</li>", listed.group(1), re.S)]


@pytest.mark.parametrize("path", ["/", "/compare/world/", "/components/"])
def test_every_shipped_cell_leads_by_the_rule_printed_on_the_about_page(client, atlas, path):
    """Reads the order from the About page and checks each cell of the shipped matrices
    against it: what a reader of the method would predict is what every cell says."""
    order = precedence_on_the_about_page(client)
    labels = dict(Treatment.choices)
    assert order == [str(labels[value]) for value in order_values(order, labels)]
    rank = {label: n for n, label in enumerate(order)}
    led_by_editors = set(
        Provision.objects.filter(headline=Headline.LEADS).values_list("label", flat=True)
    )
    assert not led_by_editors, "the shipped data has no editor's choice: update this test"

    page = client.get(path, {"as_of": DAY}).content.decode()
    glances = glance_cells(page)
    checked = 0
    for cell_id, cell in detail_cells(page).items():
        listed = entries(cell)
        if not listed:
            continue
        candidates = [entry for entry in listed if not entry[2]]
        if not candidates:
            assert headline(cell) == "Applies regardless of openness", cell_id
            continue
        best = min(rank[str(labels[t])] for _, t, _ in candidates)
        lead = next(entry for entry in candidates if rank[str(labels[entry[1]])] == best)
        assert headline(cell) == f"{labels[lead[1]]} ({lead[0]})", cell_id
        assert listed[0] == lead, cell_id  # the lead is listed first
        flags = [marked for _, _, marked in listed]
        assert flags == sorted(flags), cell_id  # rules regardless of openness come last
        assert words(glances[cell_id]).startswith(str(labels[lead[1]])), cell_id
        checked += 1
    assert checked >= 10, checked


def order_values(order: list[str], labels: dict) -> list[str]:
    by_label = {str(label): value for value, label in labels.items()}
    assert set(order) == set(by_label), "the About page must rank every treatment"
    return [by_label[label] for label in order]


def test_the_legend_has_at_most_seven_entries_and_the_about_page_all(client, atlas):
    from comparisons.matrix.legend import STATES, TREATMENTS

    page = client.get("/", {"as_of": DAY}).content.decode()
    legend = re.search(r'<ul class="legend-list">(.*?)</ul>', page, re.S).group(1)
    items = [words(item) for item in re.findall(r"<li>(.*?)</li>", legend, re.S)]
    assert 5 <= len(items) <= 7, items
    assert "Silent after review" in items and "Not yet reviewed" in items
    assert 'href="/about/#headline"' in page
    about = words(client.get("/about/").content.decode())
    for key in [*TREATMENTS, *STATES]:
        assert key.label in about, key.label


def test_the_summary_image_leads_each_cell_with_the_same_answer(client, atlas):
    svg = client.get("/export/compare/open-source-ai-models.svg", {"as_of": DAY}).content.decode()
    # The EU on scope exemption, over two lines of its column.
    assert ">◐ Exempts, with<" in svg and ">conditions +2<" in svg
    assert "Covers open models, no exemption ×" not in svg  # no more counts of each treatment
