"""A briefing on one question, for paper: each jurisdiction's headline answer, the provisions
with their official citations and a short quote of the law, the date and the permalink.
(Printed to PDF in tests/browser/test_browser_print.py.)"""

import re

import pytest

from provisions.models import Treatment
from tests.builders import published as make

pytestmark = pytest.mark.django_db

DAY = "2026-12-07"


def text(page: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_bad_input_is_reported_never_an_error(client):
    eu = make.place("eu")
    question = make.topic(slug="scope", name="Scope")
    make.provision(
        instrument=make.instrument(jurisdiction=eu), treatment=Treatment.EXEMPTS, topics=[question]
    )
    make.comparison(jurisdictions=[eu], topics=[question], is_home=True, slug="home")
    response = client.get("/briefing/scope/", {"j": ["eu", "xx"], "as_of": "2026-13-45"})
    assert response.status_code == 200
    page = response.content.decode()
    assert re.findall(r"<dt>(.*?)</dt>", page) == [eu.name]
    assert "xx" in text(page.split('class="notice"')[1].split("</div>")[0])
    assert client.get("/briefing/no-such-question/").status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_a_briefing_costs_the_same_queries_however_many_provisions(
    client, django_assert_num_queries, size
):
    eu, us = make.place("eu"), make.place("us")
    question = make.topic(slug="scope", name="Scope")
    for place in (eu, us):
        act = make.instrument(jurisdiction=place)
        for _ in range(size):
            make.provision(instrument=act, topics=[question])
    make.comparison(jurisdictions=[eu, us], topics=[question], is_home=True, slug="home")
    # The data version, the question, the home matrix's layout, the matrix's own (taxonomy,
    # universe, editors' choices, provisions, silences), the provisions' citations and texts.
    with django_assert_num_queries(12):
        page = client.get("/briefing/scope/").content.decode()
    assert page.count('class="briefing-provision"') == 2 * size
