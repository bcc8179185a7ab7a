"""Our summaries print "10^25" as the law's texts do: 10 with a superscript 25, on the matrix,
the provision page and the briefing; everything else an editor typed stays plain text."""

import pytest

from tests.builders import published as make

pytestmark = pytest.mark.django_db

SUMMARY = "Models trained with more than 10^25 operations <b>must</b> report."
PRINTED = "10<sup>25</sup> operations &lt;b&gt;must&lt;/b&gt; report"


@pytest.fixture
def provision():
    eu = make.place("eu")
    question = make.topic(slug="scope", name="Scope")
    made = make.provision(
        instrument=make.instrument(jurisdiction=eu), summary=SUMMARY, topics=[question]
    )
    make.comparison(jurisdictions=[eu], topics=[question], is_home=True, slug="home")
    return made


@pytest.mark.parametrize("where", ["matrix", "provision", "briefing"])
def test_a_power_of_ten_is_a_superscript_and_nothing_else_is_markup(client, provision, where):
    path = {
        "matrix": "/",
        "provision": provision.get_absolute_url(),
        "briefing": "/briefing/scope/",
    }[where]
    page = client.get(path).content.decode()
    assert PRINTED in page
    assert "10^25" not in page.split("<body>")[1]
