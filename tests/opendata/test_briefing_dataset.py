"""A briefing on one question, for paper: each jurisdiction's headline answer, the provisions
with their official citations and a short quote of the law, the date and the permalink.
The shipped dataset; built records in test_briefing.py. (Printed to PDF in
tests/browser/test_browser_print.py.)"""

import re

import pytest

from tests.matrix.test_headline_dataset import glance_cells, words

pytestmark = pytest.mark.django_db

DAY = "2026-12-07"


def text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_the_scope_exemption_briefing_gives_three_answers_with_official_citations(client, atlas):
    response = client.get("/briefing/scope-exemption/", {"j": ["us", "eu", "cn"], "as_of": DAY})
    assert response.status_code == 200
    page = response.content.decode()
    answers = re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", page, re.S)
    read = {name: text(answer) for name, answer in answers}
    assert list(read) == ["United States", "European Union", "China"]
    assert read["European Union"] == (
        "◐ Exempts, with conditions Regulation (EU) 2024/1689, Art. 2(12), OJ L, 12.7.2024"
    )
    assert read["United States"] == "— Silent after review"
    # China's answer is the home matrix's, with the official citation of what leads it.
    matrix = client.get("/", {"as_of": DAY}).content.decode()
    answer = words(glance_cells(matrix)["cell-scope-exemption-cn"])
    symbol, china = read["China"].split(" ", 1)
    assert china.startswith(answer.split(" +")[0]), (read["China"], answer)
    flat = text(page)
    # The law's own words, shortened where marked, and the two rules for every model last.
    assert (
        "This Regulation does not apply to AI systems released under free and open-source" in flat
    )
    assert "[…]" in flat
    eu = page.split('id="b-eu"')[1].split("</section>")[0]
    headings = re.findall(r"<h3><a [^>]*>(.*?)</a></h3>", eu)
    assert headings[0].startswith("Regulation (EU) 2024/1689, Art. 2(12)")
    assert eu.count("Applies regardless of openness") == 2
    assert "The law as of 7 December 2026" in flat
    assert (
        'Permalink: <span class="permalink">http://testserver/briefing/scope-exemption/?j=us&amp;j=eu&amp;j=cn&amp;as_of=2026-12-07'
        in page
    )


def test_the_matrix_rows_link_to_their_briefing_with_the_columns_and_date(client, atlas):
    page = client.get("/", {"j": ["eu", "cn"], "as_of": DAY}).content.decode()
    assert 'href="/briefing/scope-exemption/?j=eu&amp;j=cn&amp;as_of=2026-12-07"' in page
