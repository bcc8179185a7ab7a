"""One headline answer per matrix cell: the editor's choice, rules for every model, the filters,
and the two kinds of empty cell (silent after review, not yet reviewed) told apart.

The shipped cells are checked in test_headline_dataset.py.
"""

import html as htmllib
import re

import pytest

from provisions.models import Headline, Treatment
from tests.builders import published as make
from tests.matrix.test_headline_dataset import detail_cells, entries, glance_cells, headline, words

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_cell():
    """One jurisdiction, one question: an exemption, a duty and a ban for every model."""
    eu = make.place("eu")
    question = make.topic(slug="scope", name="Scope")
    act = make.instrument(jurisdiction=eu, short_title="Act")
    made = {
        "duty": make.provision(
            instrument=act, label="Art. 1", treatment=Treatment.REQUIRES, topics=[question]
        ),
        "exemption": make.provision(
            instrument=act, label="Art. 2", treatment=Treatment.EXEMPTS, topics=[question]
        ),
        "ban": make.provision(
            instrument=act,
            label="Art. 3",
            treatment=Treatment.NO_EXEMPTION,
            headline=Headline.REGARDLESS,
            topics=[question],
        ),
    }
    make.comparison(jurisdictions=[eu], topics=[question], is_home=True, slug="home")
    return made


def test_an_editor_can_make_another_provision_lead(client, one_cell):
    cell = detail_cells(client.get("/").content.decode())["cell-scope-eu"]
    assert headline(cell) == "Exempts (Act Art. 2)"
    one_cell["duty"].headline = Headline.LEADS
    one_cell["duty"].save()
    page = client.get("/").content.decode()
    cell = detail_cells(page)["cell-scope-eu"]
    assert headline(cell) == "Requires (Act Art. 1)"
    assert [citation for citation, _, _ in entries(cell)] == [
        "Act Art. 1",
        "Act Art. 2",
        "Act Art. 3",
    ]
    assert words(glance_cells(page)["cell-scope-eu"]) == "Requires +2"


def test_a_rule_for_every_model_never_leads_even_when_alone(client, one_cell):
    one_cell["duty"].delete()
    one_cell["exemption"].delete()
    page = client.get("/").content.decode()
    cell = detail_cells(page)["cell-scope-eu"]
    assert headline(cell) == "Applies regardless of openness"
    assert words(glance_cells(page)["cell-scope-eu"]) == "Applies regardless of openness"


def test_the_headline_follows_the_filters(client, one_cell):
    """Filtered to duties, the cell's answer is the duty's: the headline is of what is shown."""
    page = client.get("/", {"treatment": Treatment.REQUIRES}).content.decode()
    assert headline(detail_cells(page)["cell-scope-eu"]) == "Requires (Act Art. 1)"


def test_silent_after_review_and_not_reviewed_look_and_read_differently(client):
    silent, unread = make.place("eu"), make.place("us")
    question = make.topic(slug="scope", name="Scope")
    make.silence(jurisdiction=silent, topics=[question])
    make.comparison(jurisdictions=[silent, unread], topics=[question], is_home=True, slug="home")
    page = client.get("/").content.decode()
    glances = glance_cells(page)
    read, not_read = glances["cell-scope-eu"], glances["cell-scope-us"]
    assert words(read) == "Silent after review"
    assert words(not_read) == "Not yet reviewed"
    # Another look (class and symbol), not only other words.
    assert "glance-is-silent" in read and "glance-is-unreviewed" not in read
    assert "glance-is-unreviewed" in not_read
    assert "—" in read and "?" in not_read
    # Neither looks like the treatment "Silent on openness" (a provision that says nothing).
    assert 'class="glance-item glance-silent"' not in read + not_read
    # A screen reader hears the jurisdiction, the question and the answer in one link.
    assert re.search(r"Silent after review\s*: EU, Scope, details", words_with_hidden(read))


def words_with_hidden(fragment: str) -> str:
    return " ".join(htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())
