"""The argument list (filters, counts, htmx fragment) and the argument page."""

import datetime
import re

import pytest

from provisions.models import EditorialState, EvidenceKind, Stance
from tests.builders import published as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def arguments():
    weights = make.weights()
    data = make.component(slug="training-data", name="Training data")
    eu = make.jurisdiction(code="eu", short_name="EU")
    act = make.instrument(jurisdiction=eu, slug="ai-act", short_title="AI Act")
    art = make.provision(instrument=act, label="Art. 53(2)", slug="art-53-2")
    topic = make.topic(slug="exemptions", name="Exemptions")
    research = make.argument(
        slug="research",
        title="Open weights enable safety research",
        stance=Stance.FOR,
        evidence_kind=EvidenceKind.EMPIRICAL,
        components=[weights],
        provisions=[art],
        topics=[topic],
        quotation="Access to weights is necessary for research.",
        source=make.source(
            title="On the societal impact of open foundation models",
            authors="Kapoor, Bommasani et al.",
            arxiv_id="2403.07918",
            doi="10.48550/arXiv.2403.07918",
            published_on=datetime.date(2024, 2, 27),
        ),
    )
    misuse = make.argument(
        slug="misuse",
        title="Open weights cannot be recalled",
        stance=Stance.AGAINST,
        evidence_kind=EvidenceKind.STATEMENT,
        components=[weights],
    )
    data_arg = make.argument(
        slug="data",
        title="Data transparency is a middle path",
        stance=Stance.MIDDLE,
        evidence_kind=EvidenceKind.POLICY_PAPER,
        components=[data],
    )
    make.argument(slug="hidden", title="Unpublished claim", state=EditorialState.DRAFT)
    return {"research": research, "misuse": misuse, "data": data_arg, "art": art}


def listed(html: str) -> list[str]:
    return re.findall(r'<li><a href="/arguments/[\w-]+/">([^<]+)</a>', html)


def test_argument_list_shows_published_arguments(client, arguments):
    response = client.get("/arguments/")
    assert response.status_code == 200
    html = response.content.decode()
    assert set(listed(html)) == {
        "Open weights enable safety research",
        "Open weights cannot be recalled",
        "Data transparency is a middle path",
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"stance": "against"}, {"Open weights cannot be recalled"}),
        ({"evidence": "empirical"}, {"Open weights enable safety research"}),
        ({"component": "training-data"}, {"Data transparency is a middle path"}),
        (
            {"component": "weights", "stance": ["for", "middle"]},
            {"Open weights enable safety research"},
        ),
    ],
)
def test_argument_filters(client, arguments, query, expected):
    assert set(listed(client.get("/arguments/", query).content.decode())) == expected


def test_argument_counts_and_bad_values(client, arguments):
    html = client.get("/arguments/", {"component": ["weights", "nope\x00"]}).content.decode()
    assert '<span class="count" id="count-stance-for">(1)</span>' in html
    assert '<span class="count" id="count-stance-middle">(0)</span>' in html
    assert '<span class="count" id="count-component-training-data">(1)</span>' in html
    assert "Unknown value ignored" in html


def test_argument_list_htmx_fragment(client, arguments):
    response = client.get("/arguments/", {"stance": "for"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert "<html" not in html and '<form id="filters"' not in html
    assert listed(html) == ["Open weights enable safety research"]
    full = client.get("/arguments/", {"stance": "for"}).content.decode()
    assert full.startswith("<!doctype html>") and '<div id="arguments"' in full


def test_argument_page(client, arguments):
    html = client.get("/arguments/research/").content.decode()
    assert "<h1>Open weights enable safety research</h1>" in html
    assert "Kapoor, Bommasani et al." in html
    assert "27 February 2024" in html
    assert 'href="https://arxiv.org/abs/2403.07918"' in html
    assert 'href="https://doi.org/10.48550/arXiv.2403.07918"' in html
    assert "Access to weights is necessary for research." in html
    assert 'href="/eu/ai-act/art-53-2/">AI Act Art. 53(2)</a>' in html
    assert "supports" in html
    assert 'href="/components/?component=weights"' in html
    assert 'href="/?topic=exemptions"' in html


def test_unpublished_or_unknown_argument_is_404(client, arguments):
    assert client.get("/arguments/hidden/").status_code == 404
    assert client.get("/arguments/nothing-here/").status_code == 404


def test_argument_page_hides_unpublished_provisions(client, arguments):
    arguments["art"].state = EditorialState.IN_REVIEW
    arguments["art"].save()
    html = client.get("/arguments/research/").content.decode()
    assert "Art. 53(2)" not in html


@pytest.mark.parametrize("size", [1, 5])
def test_argument_query_counts_are_constant(client, django_assert_num_queries, arguments, size):
    for _ in range(size):
        c = make.component()
        make.argument(components=[c], provisions=[arguments["art"]])
        p = make.provision(instrument=arguments["art"].instrument)
        arguments["research"].argumentprovision_set.create(provision=p, stance="informs")
        arguments["research"].components.add(c, through_defaults={"stance": "informs"})
        arguments["research"].topics.add(make.topic(), through_defaults={"stance": "informs"})
    # Each count includes the data-version lookup of the page cache (pagecache.py).
    with django_assert_num_queries(3):
        assert client.get("/arguments/", {"stance": "for"}).status_code == 200
    with django_assert_num_queries(5):
        assert client.get("/arguments/research/").status_code == 200


def test_argument_list_pages_and_survives_garbage_page_numbers(client, arguments):
    for n in range(55):
        make.argument(title=f"Extra claim {n:02d}", stance=Stance.FOR)
    html = client.get("/arguments/", {"stance": "for"}).content.decode()
    assert len(listed(html)) == 50
    assert "Page 1 of 2" in html
    assert 'href="?stance=for&amp;page=2"' in html
    assert (
        len(listed(client.get("/arguments/", {"stance": "for", "page": "2"}).content.decode())) == 6
    )
    # A garbage page number shows the first page; one out of range shows the last.
    expected = {"0": 2, "-1": 2, "999": 2, "abc": 1, "1\x00": 1}
    for garbage, page in expected.items():
        response = client.get("/arguments/", {"stance": "for", "page": garbage})
        assert response.status_code == 200
        html = response.content.decode()
        assert f"Page {page} of 2" in html, garbage
        assert len(listed(html)) == (50 if page == 1 else 6), garbage
