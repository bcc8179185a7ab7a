"""What a matrix cell says when it mixes kinds of emptiness, and facet counts across columns.

The world is ``hard_cases`` (tests/builders.py): the "mixed" cell of the EU holds a finding of
silence, a provision that only the treatment filter hides, and a provision revoked on 20 January
2025.
Each test names the one-line bug it was seen to catch (planted, run, reverted).
"""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.builders import published as make

pytestmark = pytest.mark.django_db

AFTER_REVOCATION = "2025-06-01"


@pytest.fixture
def cases():
    eu = make.place("eu")
    us = make.place("us")
    duties = make.topic(slug="duties", name="Duties")
    mixed = make.topic(slug="mixed", name="Mixed")
    made = make.hard_cases(jurisdiction=eu, topic=duties, mixed_topic=mixed)
    us_law = make.instrument(jurisdiction=us, short_title="US Law")
    made["us_provision"] = make.provision(instrument=us_law, topics=[duties])
    make.comparison(jurisdictions=[eu, us], topics=[duties, mixed], is_home=True, slug="home")
    return made


def cell(html: str, cell_id: str) -> str:
    match = re.search(rf'<td id="{cell_id}"[^>]*>(.*?)</td>', html, re.S)
    assert match, f"no cell {cell_id}"
    return match.group(1)


def test_show_ended_is_offered_only_when_every_hidden_provision_has_ended(client, cases):
    """Two provisions hidden here, only one of them ended: the cell must not offer to "show 2
    ended provisions" (showing ended ones would bring back one, not two).

    Planted and caught: ``if not pks and cell.hidden and cell.hidden_ended`` for
    ``cell.hidden == cell.hidden_ended`` in ``build_matrix``.
    A filtered cell offers to show its ended provisions, counting only those:
    "Show 1 ended provision", never "Show 2" (``cell.hidden`` for ``cell.hidden_ended`` in the
    filtered-cell message of ``matrix.html``)."""
    html = client.get("/", {"as_of": AFTER_REVOCATION, "treatment": "requires"}).content.decode()
    mixed = cell(html, "cell-mixed-eu")
    assert "No provision matches your filters (2 hidden)." in mixed
    assert re.search(r'<a href="[^"]+">Show 1 ended provision<', mixed), mixed
    assert "Show 2 ended" not in mixed
    # The cell says one reason: the filters, not the silence. The finding is still
    # quoted in the downloads (test_csv_says_filtered_out_for_a_cell_with_a_silence_...).
    assert "Silent" not in mixed
    assert "Not yet reviewed" not in mixed


def test_a_filtered_cell_with_nothing_ended_offers_no_show_ended_link(client, cases):
    """Before the order was revoked, the treatment filter hides both provisions of the mixed
    cell and neither has ended: the cell says so and offers no "Show 0 ended provisions".

    Found by ``make mutation``: make_cell 59, 60 (the link's condition with ``or`` for either
    ``and``: every emptied cell, or every filtered one, got the link)."""
    html = client.get("/", {"as_of": "2024-12-01", "treatment": "requires"}).content.decode()
    mixed = cell(html, "cell-mixed-eu")
    assert "No provision matches your filters (2 hidden)." in mixed
    assert "ended provision" not in mixed, mixed


def test_a_cell_whose_only_hidden_provision_has_ended_offers_to_show_it(client, cases):
    """Planted and caught: the ended count taken as ``row.badge != StatusBadge.ENDED``."""
    cases["defining"].topics.clear()
    html = client.get("/", {"as_of": AFTER_REVOCATION}).content.decode()
    mixed = cell(html, "cell-mixed-eu")
    link = re.search(r'<a href="([^"]+)">Show 1 ended provision<', mixed)
    assert link, mixed
    shown = client.get(link.group(1).replace("&amp;", "&").split("#")[0]).content.decode()
    assert "Revoked Order" in cell(shown, "cell-mixed-eu")
    assert "Ended 20 Jan 2025" in cell(shown, "cell-mixed-eu")


def csv_states(client, query: str) -> dict[tuple[str, str], dict]:
    content = client.get(f"/export/compare/home.csv?{query}").content.decode()
    return {(r["row"], r["jurisdiction"]): r for r in csv.DictReader(io.StringIO(content))}


def test_csv_says_filtered_out_for_a_cell_with_a_silence_and_hidden_provisions(client, cases):
    """The cell holds provisions, hidden by the filters: "filtered_out", not "silent" (a
    silence says no text was found; here texts were found). The finding is still quoted.

    Planted and caught: ``cell_state`` testing ``cell.silence`` before ``cell.hidden``."""
    rows = csv_states(client, f"as_of={AFTER_REVOCATION}&treatment=requires")
    mixed = rows[("mixed", "eu")]
    assert mixed["cell"] == "filtered_out"
    assert mixed["silence"] == "No text of this mixed cell mentions open-source models."
    assert rows[("duties", "eu")]["cell"] == "provisions"
    assert rows[("mixed", "us")]["cell"] == "not_reviewed"
    body = client.get(
        f"/export/compare/home.json?as_of={AFTER_REVOCATION}&treatment=requires"
    ).json()
    states = {
        (row["slug"], c["jurisdiction"]): c["state"] for row in body["rows"] for c in row["cells"]
    }
    assert states[("mixed", "eu")] == "filtered_out"


def test_facet_counts_of_other_jurisdictions_stay_while_one_is_chosen(client, cases):
    """With only the EU chosen, the US option still says how many provisions choosing it
    would add (the jurisdiction facet is counted without its own selection).

    Planted and caught: the jurisdiction count kept only for rows that pass every filter
    (``if failing is None`` for ``failing is None or failing == "j"`` in ``apply_facets``)."""
    html = client.get("/", {"as_of": AFTER_REVOCATION, "j": "eu"}).content.decode()
    assert '<span class="count" id="count-j-us">(1)</span>' in html
    # EU, as of 1 June 2025, default statuses: Art. 1, Art. 2, Art. 9, the published child
    # and the child of the unpublished parent (Late Start Act) and the bill. The revoked order
    # has ended; the dateless proposal is not placed before its record's check date; the
    # unpublished records are not counted.
    assert '<span class="count" id="count-j-eu">(6)</span>' in html
    # Other facets are counted under the jurisdiction filter: the US provision is out.
    assert '<span class="count" id="count-treatment-exempts">(2)</span>' in html


def cell_ids(html: str) -> list[str]:
    return re.findall(r'<td id="(cell-[\w-]+)"', html)


def test_a_comparison_shows_only_its_own_topics_as_rows(client, cases):
    """A topic outside the comparison gets no row, even when it holds provisions of its
    columns.

    Found by ``make mutation``: ``wanted_ids = None`` in ``build_matrix`` (every topic of the
    atlas became a row)."""
    other = make.topic(slug="other", name="Other matters")
    make.provision(instrument=cases["late"], label="Art. 30", topics=[other])
    html = client.get("/").content.decode()
    assert cell_ids(html) == ["cell-duties-eu", "cell-duties-us", "cell-mixed-eu", "cell-mixed-us"]


def test_a_components_comparison_shows_only_its_own_components_as_rows(client, cases):
    """The same for a comparison by openness component: only its components are rows.

    Found by ``make mutation``: ``build_matrix`` taking ``comparison.topic_ids`` whatever the
    rows (``row_key == "topic" or True``): a components comparison showed every component."""
    from comparisons.models import Comparison

    weights = make.component(slug="weights", name="Weights")
    data = make.component(slug="data", name="Training data")
    make.provision(instrument=cases["late"], label="Art. 31", components=[weights])
    make.provision(instrument=cases["late"], label="Art. 32", components=[data])
    eu = cases["late"].jurisdiction
    make.comparison(
        jurisdictions=[eu],
        topics=[cases["undated"].topics.get()],
        components=[weights],
        rows=Comparison.Rows.COMPONENTS,
        slug="by-component",
    )
    html = client.get("/compare/by-component/").content.decode()
    assert cell_ids(html) == ["cell-weights-eu"]
    assert "Late Start Act Art. 31" in html


def test_facet_counts_count_only_the_comparisons_columns_when_none_is_chosen(client, cases):
    """With no jurisdiction ticked, the other facets count what the comparison's columns show:
    a provision of a jurisdiction outside them (China here) adds to its own option only.

    Found by ``make mutation``: ``build_matrix`` passing the comparison's columns to
    ``apply_facets`` under another key than ``"j"`` (or ``selections["j"] and …``): the topic
    and treatment counts then counted China's provision too."""
    cn = make.jurisdiction(code="cn", name="China", short_name="CN", order=3)
    law = make.instrument(jurisdiction=cn, short_title="CN Measures")
    make.provision(instrument=law, treatment="exempts", topics=[cases["undated"].topics.get()])

    def count(html, facet):
        return re.search(rf'<span class="count" id="count-{facet}">\((\d+)\)</span>', html)[1]

    html = client.get("/", {"as_of": AFTER_REVOCATION}).content.decode()
    assert count(html, "j-cn") == "1"
    # The EU's and US's "exempts" provisions only: Art. 1(2) and Art. 5(1) of the Late Start
    # Act, and the US provision; not China's.
    assert count(html, "treatment-exempts") == "3"
    assert cell_ids(html) == ["cell-duties-eu", "cell-duties-us", "cell-mixed-eu", "cell-mixed-us"]


def test_empty_cells_count_every_provision_they_hide(client, cases):
    """An emptied cell counts all it hides, not one: the provisions that come later, and the
    ended ones it offers to show.

    Found by ``make mutation``: ``hidden_later.get(None, 0) + 1`` and
    ``hidden_ended.get(None, 0) + 1`` in ``build_matrix`` (each count stuck at 1)."""
    # Before the Late Start Act was proposed nothing on duties existed: five provisions later
    # (Art. 1 and Art. 2 of the act, the bill, the dateless draft and the revoked order).
    html = client.get("/", {"as_of": "2021-04-20"}).content.decode()
    assert "Nothing in force on 20 Apr 2021 (5 later)." in cell(html, "cell-duties-eu")
    # After Art. 2 ceased and the order was revoked, with a filter that hides the rest: two
    # ended provisions to show.
    html = client.get("/", {"as_of": "2025-07-01", "treatment": "defines"}).content.decode()
    duties = cell(html, "cell-duties-eu")
    assert re.search(r'<a href="[^"]+">Show 2 ended provisions<', duties), duties


def test_one_column_with_several_rows_keeps_the_cell_cap(client, cases):
    """Only a single cell (one column, one row) lists every provision; one column with two
    rows still shows six and links to the rest.

    Found by ``make mutation``: ``single_cell = len(columns) == 1 or len(terms) == 1``."""
    duties = cases["undated"].topics.get()
    for n in range(7):
        make.provision(instrument=cases["late"], label=f"Art. {40 + n}", topics=[duties])
    html = client.get("/", {"as_of": AFTER_REVOCATION, "j": "eu"}).content.decode()
    assert cell_ids(html) == ["cell-duties-eu", "cell-mixed-eu"]
    shown = cell(html, "cell-duties-eu")
    # Ten on duties that day (Art. 1, Art. 2, the bill and the seven): six, then the link.
    assert re.search(r'<a href="[^"]+">and 4 more<', shown), shown


@pytest.mark.parametrize(("extra", "compact"), [(4, False), (5, True)])
def test_a_matrix_turns_compact_only_beyond_six_columns(client, cases, extra, compact):
    """Six columns keep the summaries; a seventh makes the matrix compact (no summaries, two
    entries a cell). (tests/matrix/test_matrix_wide.py has the wide page itself; it is not among the
    files ``make mutation`` runs.)

    Found by ``make mutation``: ``compact = None`` and ``len(columns) >= WIDE_COLUMNS`` in
    ``build_matrix``."""
    from comparisons.matrix.build import WIDE_COLUMNS

    columns = [cases["late"].jurisdiction, cases["us_provision"].instrument.jurisdiction]
    columns += [make.jurisdiction(order=10 + n) for n in range(extra)]
    assert len(columns) == WIDE_COLUMNS + compact
    make.comparison(jurisdictions=columns, topics=[cases["undated"].topics.get()], slug="wide")
    html = client.get("/compare/wide/", {"as_of": AFTER_REVOCATION}).content.decode()
    duties = cell(html, "cell-duties-eu")
    assert (cases["undated"].summary in duties) is not compact
    assert duties.count('class="entry"') == (2 if compact else 3)


def test_entries_link_to_their_own_pages_whatever_the_slugs_hold(client):
    """Entry URLs are reversed once per jurisdiction with stand-in slugs ("-", "_") and each
    provision's slugs put in their place (comparisons.matrix.build.EntryWords): slugs that hold the
    stand-ins' characters must still link to their own page. Seen failing when the stand-ins
    were found with ``partition`` (the first "-") instead of ``rpartition``."""
    places = [make.jurisdiction(code=code, order=n) for n, code in enumerate(["eu-fr", "x_y-z"])]
    topic = make.topic(slug="duties", name="Duties")
    provisions = []
    for place in places:
        for slug in ("ai-act_2", "law"):
            law = make.instrument(jurisdiction=place, slug=slug, short_title=f"Law {slug}")
            for label in ("art-1_a", "a-_-b"):
                provisions.append(make.provision(instrument=law, slug=label, topics=[topic]))
    make.comparison(jurisdictions=places, topics=[topic], is_home=True, slug="home")
    html = client.get("/").content.decode()
    links = set(re.findall(r'<a class="citation" href="([^"]+)">', html))
    assert links == {p.get_absolute_url() for p in provisions}
    assert "/x_y-z/ai-act_2/a-_-b/" in links
    for url in links:
        assert client.get(url).status_code == 200


def test_the_whole_cell_link_keeps_every_filter_and_names_the_cell(client, cases):
    """The "and N more" link's query is encoded once per matrix with stand-ins for the cell's
    jurisdiction and row (comparisons.matrix.build.CellLinks.whole_cell): a text that looks like an
    encoded stand-in must come back as typed, and the link must name this one cell. Seen
    failing with stand-ins a typed text can hold ("%00j" rather than "\\x00j")."""
    law = make.instrument(jurisdiction=cases["us_provision"].instrument.jurisdiction)
    duties = cases["us_provision"].topics.get()
    for n in range(8):
        make.provision(instrument=law, topics=[duties], summary=f"Open %00j & %00r {n}")
    text = "%00j & %00r"
    html = client.get("/", {"q": text, "as_of": "2025-06-01"}).content.decode()
    link = re.search(r'<p class="more"><a href="([^"]+)">and 2 more', cell(html, "cell-duties-us"))
    assert link, cell(html, "cell-duties-us")
    url = link.group(1).replace("&amp;", "&")
    path, _, fragment = url.partition("#")
    assert fragment == "cell-duties-us"
    query = dict(pair.split("=") for pair in path.split("?")[1].split("&"))
    assert query == {"q": "%2500j+%26+%2500r", "as_of": "2025-06-01", "j": "us", "topic": "duties"}
    assert path.split("?")[1].split("&")[:2] == ["q=%2500j+%26+%2500r", "as_of=2025-06-01"]
    whole = client.get(path).content.decode()
    assert cell(whole, "cell-duties-us").count('class="entry"') == 8


@pytest.mark.parametrize(
    ("chosen", "statuses"),
    [
        ([], ["applies_later", "in_force", "non_binding", "proposal", "ended"]),
        (["in_force"], ["in_force", "ended"]),
        (["proposal", "in_force"], ["proposal", "in_force", "ended"]),
    ],
)
def test_show_ended_keeps_the_chosen_statuses_and_adds_ended(client, cases, chosen, statuses):
    """The link shows the same matrix plus the ended provisions: the reader's own status choice
    stays (the defaults only when none was chosen), back at the cell.

    Found by make mutation: CellLinks.show_ended 3 (the defaults always; nothing but "ended"
    without a choice) and 4-6 (the chosen statuses read under another key) survived."""
    cases["defining"].topics.clear()
    html = client.get("/", {"as_of": AFTER_REVOCATION, "status": chosen}).content.decode()
    link = re.search(r'<a href="([^"]+)">Show 1 ended provision<', cell(html, "cell-mixed-eu"))
    assert link, cell(html, "cell-mixed-eu")
    url = urlsplit(link.group(1).replace("&amp;", "&"))
    assert parse_qs(url.query)["status"] == statuses
    assert parse_qs(url.query)["as_of"] == [AFTER_REVOCATION]
    assert url.fragment == "cell-mixed-eu"


def test_the_whole_cell_lists_every_provision_once_and_no_more_link(client, cases):
    """The "and 4 more" link opens the single cell, which has no cap: every provision once, no
    print-only copies and no "and N more" (CELL_CAP limit is None there).

    Found by ``make mutation`` (make_cell 32, 35, 37: with no limit, the print list repeated
    every entry, or an "and N more" link appeared)."""
    duties = cases["undated"].topics.get()
    for n in range(7):
        make.provision(instrument=cases["late"], label=f"Art. {40 + n}", topics=[duties])
    html = client.get("/", {"as_of": AFTER_REVOCATION, "j": "eu"}).content.decode()
    more = re.search(r'<a href="([^"]+)">and 4 more<', cell(html, "cell-duties-eu")).group(1)
    whole = client.get(more.replace("&amp;", "&")).content.decode()
    assert cell_ids(whole) == ["cell-duties-eu"]
    shown = cell(whole, "cell-duties-eu")
    assert shown.count('<li class="entry">') == 10
    assert "print-only" not in shown
    assert "more<" not in shown


def test_the_json_download_counts_hidden_provisions_as_numbers_even_when_none(client, cases):
    """Every cell of the JSON download says how many provisions the filters hid, 0 included:
    a number for API users to add up, never null.

    Found by ``make mutation`` (make_cell 39, 41: a cell with nothing hidden said null)."""
    body = client.get("/export/compare/home.json", {"as_of": AFTER_REVOCATION}).json()
    counts = [cell["hidden"] for row in body["rows"] for cell in row["cells"]]
    assert counts and all(isinstance(n, int) for n in counts), counts
    assert 0 in counts


def test_the_headline_counts_the_provisions_the_cells_show(client, cases):
    """The line above the matrix says how many provisions its cells show: each once, however
    many cells list it.

    Found by ``make mutation``: build_matrix 114 (``shown_pks`` left out: "0 provisions")."""
    html = client.get("/", {"as_of": AFTER_REVOCATION}).content.decode()
    shown = set(re.findall(r'<a class="citation" href="([^"]+)">', html))
    count = int(re.search(r'data-provision-count="(\d+)"', html)[1])
    assert count == len(shown) > 1
    assert f"{count} provisions in 2 jurisdictions" in html
