"""The matrix pages: layout, cells, filters, facet counts, htmx fragments and hostile input."""

import datetime
import re

import pytest
from django.urls import reverse

from comparisons.matrix.filters import ProvisionFilter, apply_facets
from comparisons.models import Comparison
from provisions.models import EditorialState
from tests.builders import published as make

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    """Two jurisdictions (EU, US), two topics, one component, a home comparison."""
    eu, us, cn = make.home_places()
    exemptions = make.exemptions()
    export = make.export_controls(question="Are weights controlled?")
    weights = make.weights()
    monetised = make.condition(name="Not monetised")
    ai_act = make.ai_act(eu)
    art_53 = make.art_53_2(
        ai_act,
        topics=[exemptions],
        components=[weights],
        conditions=[monetised],
    )
    eo = make.eo_14110(us, title="Executive Order 14110")
    sec_4_6 = make.sec_4_6(
        eo,
        summary="Commerce to study dual-use foundation models with widely available weights.",
        topics=[export],
        components=[weights],
    )
    make.silence(jurisdiction=cn, topics=[exemptions], reviewed_on=datetime.date(2026, 9, 30))
    home = make.comparison(
        jurisdictions=[eu, us, cn],
        topics=[exemptions, export],
        is_home=True,
        title="Open-source AI models: US · EU · China",
    )
    return {
        "eu": eu,
        "us": us,
        "cn": cn,
        "exemptions": exemptions,
        "export": export,
        "weights": weights,
        "ai_act": ai_act,
        "art_53": art_53,
        "eo": eo,
        "sec_4_6": sec_4_6,
        "home": home,
    }


def cell(html: str, cell_id: str) -> str:
    match = re.search(rf'<td id="{cell_id}"[^>]*>(.*?)</td>', html, re.S)
    assert match, f"no cell {cell_id}"
    return match.group(1)


def test_home_is_a_real_table_of_questions_by_jurisdiction(client, world):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<caption" in html
    assert re.findall(r'<th scope="col" id="col-(\w+)"', html) == ["eu", "us", "cn"]
    assert html.count('<th scope="row">') == 2
    eu_cell = cell(html, "cell-exemptions-eu")
    assert "AI Act Art. 53(2)" in eu_cell
    assert 'href="/eu/ai-act/art-53-2/"' in eu_cell
    assert "Exempts, with conditions" in eu_cell
    assert "Not monetised" in eu_cell
    assert "In force" in eu_cell  # as of today (after 2 Aug 2025)


def test_empty_cells_say_silent_or_not_yet_reviewed(client, world):
    html = client.get("/").content.decode()
    assert "Silent" in cell(html, "cell-exemptions-cn")
    assert "30 Sep 2026" in cell(html, "cell-exemptions-cn")
    assert "Not yet reviewed" in cell(html, "cell-export-controls-cn")
    assert "Not yet reviewed" in cell(html, "cell-exemptions-us")


def test_drafts_are_invisible(client, world):
    make.provision(
        instrument=world["ai_act"],
        label="Art. 99",
        slug="art-99",
        topics=[world["exemptions"]],
        state=EditorialState.DRAFT,
        summary="Draft-only provision text.",
    )
    draft_instrument = make.instrument(jurisdiction=world["eu"], state=EditorialState.IN_REVIEW)
    make.provision(
        instrument=draft_instrument,
        topics=[world["exemptions"]],
        summary="Under review text.",
    )
    html = client.get("/").content.decode()
    assert "Draft-only provision text." not in html
    assert "Under review text." not in html
    assert client.get("/eu/ai-act/art-99/").status_code == 404
    assert (
        client.get(
            reverse("comparisons:instrument", args=["eu", draft_instrument.slug])
        ).status_code
        == 404
    )


def test_as_of_shows_the_law_as_it_stood(client, world):
    before = client.get("/", {"as_of": "2024-06-01"}).content.decode()
    assert "EO 14110 Sec. 4.6" in cell(before, "cell-export-controls-us")
    # The AI Act was adopted on 13 June 2024 and this world gives it no proposal date: on
    # 1 June 2024 it is not placed at all (not even as a proposal), since nothing says it
    # existed then. An instrument with a proposal date shows as a proposal from that day
    # (tests/matrix/test_legal_status.py). The empty cell says why: its provision is
    # later, not unreviewed.
    eu_before = cell(before, "cell-exemptions-eu")
    assert "AI Act" not in eu_before
    assert "Nothing in force on 1 Jun 2024 (1 later)." in eu_before
    assert "Not yet reviewed" not in eu_before
    after = client.get("/", {"as_of": "2025-02-01"}).content.decode()
    assert "EO 14110" not in cell(after, "cell-export-controls-us")
    us_cell = cell(after, "cell-export-controls-us")
    assert "Nothing in force here on 1 Feb 2025." in us_cell
    link = re.search(r'<a href="([^"]+)">Show 1 ended provision', us_cell).group(1)
    shown = client.get(link.replace("&amp;", "&").split("#")[0]).content.decode()
    assert "Ended 20 Jan 2025" in cell(shown, "cell-export-controls-us")
    # Applies-later shows as "applies from".
    eu_cell = cell(after, "cell-exemptions-eu")
    assert "Applies from 2 Aug 2025" in eu_cell


def test_filtered_out_cell_says_so_rather_than_not_reviewed(client, world):
    html = client.get("/", {"treatment": "defines"}).content.decode()
    eu_cell = cell(html, "cell-exemptions-eu")
    # Worded "your filters", as in every other empty-cell message.
    assert "No provision matches your filters (1 hidden)." in eu_cell
    assert "Not yet reviewed" not in eu_cell


def test_ended_provisions_show_with_their_badge_when_asked_for(client, world):
    html = client.get("/", {"as_of": "2025-02-01", "status": "ended"}).content.decode()
    us_cell = cell(html, "cell-export-controls-us")
    assert "EO 14110 Sec. 4.6" in us_cell
    assert "Ended 20 Jan 2025" in us_cell


def test_jurisdiction_filter_picks_and_orders_columns(client, world):
    html = client.get("/?j=us&j=eu").content.decode()
    assert re.findall(r'<th scope="col" id="col-(\w+)"', html) == ["us", "eu"]
    html = client.get("/?j=cn").content.decode()
    assert re.findall(r'<th scope="col" id="col-(\w+)"', html) == ["cn"]


def test_unknown_jurisdiction_is_reported_and_the_rest_applies(client, world):
    response = client.get("/?j=eu&j=atlantis")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r'<th scope="col" id="col-(\w+)"', html) == ["eu"]
    assert "Unknown value ignored: “atlantis”" in html


@pytest.mark.parametrize(
    "query",
    [
        {"as_of": "2025-13-45"},
        {"as_of": "yesterday"},
        {"q": "x" * 5000},
        {"q": "abc\x00def"},
        {"j": "e\x00u"},
        {"treatment": "<script>alert(1)</script>"},
        {"binding": "maybe"},
        {"status": ["in_force"] * 60},
        {"topic": "%00%ff"},
        {"as_of": "0000-01-01"},
        {"as_of": "9999-12-31"},
        {"q": "'\"!):&|<->*"},
    ],
)
def test_hostile_query_strings_never_break_the_page(client, world, query):
    response = client.get("/", query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>alert(1)" not in html
    assert '<table class="matrix">' in html


def test_bad_date_is_ignored_with_a_message_next_to_the_field(client, world):
    html = client.get("/", {"as_of": "2025-13-45"}).content.decode()
    message = re.search(r'<div class="filter-message" id="msg-as_of">(.*?)</div>', html, re.S)
    assert "Enter a valid date" in message.group(1)
    assert "AI Act Art. 53(2)" in html  # today's law shown instead


def test_over_long_text_is_ignored_with_a_message(client, world):
    html = client.get("/", {"q": "x" * 500}).content.decode()
    message = re.search(r'<div class="filter-message" id="msg-q">(.*?)</div>', html, re.S)
    assert "at most 200 characters" in message.group(1)
    assert "AI Act Art. 53(2)" in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"treatment": "studies"}, {"EO 14110 Sec. 4.6"}),
        ({"treatment": "exempts_conditionally"}, {"AI Act Art. 53(2)"}),
        ({"component": "weights"}, {"AI Act Art. 53(2)", "EO 14110 Sec. 4.6"}),
        ({"topic": "export-controls"}, {"EO 14110 Sec. 4.6"}),
        ({"binding": "no"}, set()),
        ({"status": "in_force"}, {"EO 14110 Sec. 4.6"}),
        ({"status": "applies_later"}, {"AI Act Art. 53(2)"}),
        ({"q": "documentation"}, {"AI Act Art. 53(2)"}),
        ({"q": "widely available weights"}, {"EO 14110 Sec. 4.6"}),
        ({"q": "53(2)"}, {"AI Act Art. 53(2)"}),
    ],
)
def test_each_filter_narrows_the_cells(client, world, query, expected):
    query = {"as_of": "2024-12-01", **query}
    html = client.get("/", query).content.decode()
    shown = set(re.findall(r'<a class="citation" href="[^"]+">([^<]+)</a>', html))
    assert shown == expected


def test_facet_counts_are_computed_under_the_other_filters(client, world):
    html = client.get("/", {"as_of": "2024-12-01", "treatment": "studies"}).content.decode()
    # Under treatment=studies only EO 14110 is left: one provision in the US, none in the EU.
    assert '<span class="count" id="count-j-us">(1)</span>' in html
    assert '<span class="count" id="count-j-eu">(0)</span>' in html
    # The treatment facet ignores its own selection: both treatments keep their counts.
    assert '<span class="count" id="count-treatment-exempts_conditionally">(1)</span>' in html
    assert '<span class="count" id="count-treatment-studies">(1)</span>' in html


def test_python_facets_agree_with_the_filterset_queryset(world):
    """The matrix filters in Python; the API uses filterset.qs. They must select the same."""
    queries = [
        {},
        {"as_of": "2024-12-01"},
        {"as_of": "2025-02-01", "status": ["ended", "in_force"]},
        {"treatment": ["studies"], "as_of": "2024-01-01"},
        {"component": ["weights"], "j": ["eu"]},
        {"topic": ["exemptions", "export-controls"], "binding": "yes"},
        {"q": "weights", "as_of": "2024-06-01"},
        {"status": ["applies_later"], "as_of": "2025-01-01"},
    ]
    from django.http import QueryDict

    for query in queries:
        data = QueryDict(mutable=True)
        for key, value in query.items():
            data.setlist(key, value if isinstance(value, list) else [value])
        filterset = ProvisionFilter(data)
        in_python = {
            p.pk for p in apply_facets(filterset.universe(), filterset.selections()).matching
        }
        in_sql = set(filterset.qs.values_list("pk", flat=True))
        assert in_python == in_sql, query


@pytest.mark.parametrize(
    "day", ["2023-01-01", "2024-07-01", "2025-01-19", "2025-01-20", "2026-01-01"]
)
def test_sql_badge_agrees_with_status_on(world, day):
    filterset = ProvisionFilter(
        {"as_of": day, "status": ["in_force", "applies_later", "proposal", "non_binding", "ended"]}
    )
    parsed = datetime.date.fromisoformat(day)
    for provision in filterset.base():
        assert provision.badge == provision.status_on(parsed)[0], (provision, day)


def test_cells_are_capped_with_a_link_to_the_full_cell(client, world):
    for n in range(8):
        make.provision(
            instrument=world["ai_act"],
            topics=[world["exemptions"]],
            label=f"Art. {100 + n}",
            slug=f"art-{100 + n}",
        )
    html = client.get("/").content.decode()
    eu_cell = cell(html, "cell-exemptions-eu")
    assert eu_cell.count('class="entry"') == 6
    link = re.search(r'<p class="more"><a href="([^"]+)">and 3 more', eu_cell)
    assert link
    url = link.group(1).replace("&amp;", "&")
    assert url.endswith("#cell-exemptions-eu")
    full = client.get(url.split("#")[0]).content.decode()
    assert cell(full, "cell-exemptions-eu").count('class="entry"') == 9


def test_htmx_request_gets_only_the_fragment_with_vary(client, world):
    response = client.get("/", {"j": "eu"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert "<html" not in html
    assert '<form id="filters"' not in html
    assert '<table class="matrix">' in html
    assert "AI Act Art. 53(2)" in html
    # Facet counts come along as out-of-band swaps.
    assert '<span class="count" id="count-j-us" data-hx-swap-oob="true">' in html


def test_full_page_for_the_same_url(client, world):
    response = client.get("/", {"j": "eu"})
    html = response.content.decode()
    assert "HX-Request" in response["Vary"]
    assert html.startswith("<!doctype html>")
    assert '<form id="filters"' in html
    # The matrix is no longer one live region (a screen reader could read all of it
    # on every change); only the count is announced, from its own status element.
    assert '<div id="matrix" class="matrix-region">' in html
    assert '<p class="visually-hidden" id="matrix-status" role="status" aria-live="polite">' in html
    assert "data-hx-swap-oob" not in html


def test_history_restore_gets_the_full_page(client, world):
    response = client.get(
        "/", {"j": "eu"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert response.content.decode().startswith("<!doctype html>")


def test_filter_form_is_enhanced_with_htmx_and_works_without_it(client, world):
    html = client.get("/").content.decode()
    form = re.search(r'<form id="filters"[^>]*>', html, re.S).group(0)
    assert 'method="get"' in form
    assert 'data-hx-get="/"' in form
    assert 'data-hx-target="#matrix"' in form
    assert 'data-hx-push-url="true"' in form
    assert "input changed delay:" in form
    assert '<button type="submit">' in html
    assert " hx-" not in html  # data-hx-* only, so the HTML validates


def weights_by_component(world):
    """The /components/ comparison: the EU and the US, one row for open weights."""
    return make.comparison(
        jurisdictions=[world["eu"], world["us"]],
        components=[world["weights"]],
        rows=Comparison.Rows.COMPONENTS,
        slug="components",
        title="What each says about weights",
    )


def test_components_view_swaps_rows_for_components(client, world):
    weights_by_component(world)
    response = client.get("/components/", {"as_of": "2024-12-01"})
    html = response.content.decode()
    assert "Openness component</th>" in html
    assert "AI Act Art. 53(2)" in cell(html, "cell-weights-eu")
    assert "EO 14110 Sec. 4.6" in cell(html, "cell-weights-us")


def test_curated_comparison_at_its_own_url(client, world):
    make.comparison(
        jurisdictions=[world["us"]], topics=[world["export"]], slug="us-only", title="US only"
    )
    html = client.get("/compare/us-only/").content.decode()
    assert "<h1>US only</h1>" in html
    assert re.findall(r'<th scope="col" id="col-(\w+)"', html) == ["us"]


def test_unknown_or_unpublished_comparison_is_404(client, world):
    make.comparison(jurisdictions=[world["us"]], slug="draft-one", state=EditorialState.DRAFT)
    assert client.get("/compare/nope/").status_code == 404
    assert client.get("/compare/draft-one/").status_code == 404


def test_home_without_a_comparison_says_so(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No comparison has been published yet" in response.content.decode()


def test_page_has_the_site_frame(client, world):
    html = client.get("/").content.decode()
    assert '<a class="skip-link" href="#main">' in html
    assert 'href="/arguments/"' in html and 'href="/search/"' in html
    assert 'href="/components/"' in html
    # Our own script file, no nonce: the page is cached whole (comparisons/web/pagecache.py) and the
    # CSP allows 'self' scripts; no inline script exists to need one.
    assert re.search(r'<script src="/static/vendor/htmx[.\w]*js" defer>', html)
    assert "<script>" not in html
    assert "style=" not in html  # strict CSP: no inline styles


@pytest.mark.parametrize("size", [1, 5])
def test_matrix_query_count_is_constant(client, django_assert_num_queries, world, size):
    extra = [make.jurisdiction() for _ in range(size)]
    for j in extra + [world["eu"]]:
        inst = make.instrument(jurisdiction=j)
        for _ in range(size):
            make.provision(
                instrument=inst,
                topics=[world["exemptions"], world["export"]],
                components=[world["weights"]],
                conditions=[make.condition()],
            )
        make.silence(jurisdiction=j, topics=[world["export"]])
    query = "?" + "&".join(f"j={j.code}" for j in [world["eu"], *extra])
    # 8 to build the page (one of them the editors' choices of headline, web/headline.py),
    # plus 1 for the data version its cache key needs (pagecache.py).
    with django_assert_num_queries(9):
        response = client.get("/" + query)
    assert response.status_code == 200
    # Another page at the same data version (not cached yet) takes the provisions' standing
    # from this process's memo (comparisons/matrix/filters.py, ``Standing``): one query fewer.
    with django_assert_num_queries(8):
        client.get("/" + query, headers={"HX-Request": "true"})
    # A text is matched in PostgreSQL: the universe is read again, with it.
    with django_assert_num_queries(9):
        client.get("/", {"q": "summary", "treatment": "exempts"})
    # The same page again comes from the cache: the data version only.
    with django_assert_num_queries(1):
        again = client.get("/" + query)
    assert again.content == response.content


def test_a_silence_about_later_texts_does_not_cover_an_earlier_day(client, world):
    revoking = make.instrument(
        jurisdiction=world["us"],
        slug="eo-14148",
        adopted_on=datetime.date(2025, 1, 20),
        in_force_on=datetime.date(2025, 1, 20),
    )
    finding = make.silence(
        jurisdiction=world["us"],
        topics=[world["exemptions"]],
        statement="The revoking orders say nothing on open source.",
    )
    finding.instruments.set([revoking])
    now = client.get("/").content.decode()
    assert "The revoking orders say nothing" in cell(now, "cell-exemptions-us")
    then = client.get("/", {"as_of": "2024-06-01"}).content.decode()
    assert "Not yet reviewed" in cell(then, "cell-exemptions-us")
    make.silence(
        jurisdiction=world["us"],
        period_start=datetime.date(2026, 1, 1),
        statement="Nothing in 2026 texts.",
    )
    early = client.get("/", {"as_of": "2025-06-01"}).content.decode()
    assert "Nothing in 2026 texts." not in early


def test_a_silence_naming_the_row_wins_over_a_blanket_one(client, world):
    make.silence(
        jurisdiction=world["cn"],
        statement="Blanket finding.",
        reviewed_on=datetime.date(2026, 11, 1),
    )
    html = client.get("/").content.decode()
    assert "30 Sep 2026" in cell(html, "cell-exemptions-cn")  # the finding naming the topic
    assert "Blanket finding." in cell(html, "cell-export-controls-cn")


def test_a_topic_row_asks_its_question_and_a_component_row_asks_none(client, world):
    """A policy question's row header carries the question; an openness component has none, so
    its row shows no question at all. Planted and caught: the question dropped or read under
    another name (``x_build_matrix__mutmut_57``, ``_63``, ``_64``, ``_70``, ``_71``) and a
    placeholder for a component's missing question (``_72``)."""
    from django.utils.html import escape

    topic = world["export"]
    assert topic.question
    make.comparison(jurisdictions=[world["us"]], topics=[topic], slug="us-only", title="US only")
    html = client.get("/compare/us-only/").content.decode()
    assert f'<span class="row-question">{escape(topic.question)}</span>' in html
    weights_by_component(world)
    html = client.get("/components/").content.decode()
    assert "Openness component</th>" in html
    assert 'class="row-question"' not in html


@pytest.mark.parametrize(
    ("value", "quoted"),
    [
        ("e\x00u\u202e", "“e\ufffdu\ufffd”"),
        ("atlantis", "“atlantis”"),
        ("x" * 40, "“" + "x" * 40 + "”"),
        ("y" * 41, "“" + "y" * 39 + "…”"),
        ("z" * 300, "“" + "z" * 39 + "…”"),
    ],
)
def test_an_unknown_value_is_quoted_back_readable_and_short(client, world, value, quoted):
    """Control characters show as �; a value over 40 characters is cut to 39 and an ellipsis.

    Found by make mutation (comparisons.web.facets.printable 1, 4–14: the replacement character, the
    40-character limit and the ellipsis were pinned only by a test outside the selection).
    """
    html = client.get("/", {"j": ["eu", value]}).content.decode()
    message = re.search(r'<div class="filter-message" id="msg-j">(.*?)</div>', html, re.S)
    assert f"Unknown value ignored: {quoted}." in message.group(1)


def test_the_models_page_weights_filter_reads_published_as_every_published_kind(client, world):
    """The models grid shares the matrix's facet declarations (comparisons.web.facets.Facet).

    Found by make mutation: Facet.filter 7-10 broke the call of a facet's own narrowing (the
    models page's "weights" filter, where "published" means open, licence-gated or data-gated)
    and no test in the selection used it. Kept here because the selection must not change.
    """
    profile = make.model_profile(world["art_53"])  # sourced, with a condition
    profile.state, profile.verification = EditorialState.PUBLISHED, "official"
    profile.source_url, profile.checked_on = "https://example.org/card", datetime.date(2026, 1, 5)
    kinds = {}
    for kind in ("open", "licence_gate", "api_only", "none"):
        profile.pk, profile.id, profile._state.adding = None, None, True
        profile.slug, profile.name = f"m-{kind.replace('_', '-')}", f"M {kind}"
        profile.weights_access = kind
        profile.save()
        kinds[kind] = profile.slug

    def rows(**query):
        response = client.get(reverse("comparisons:models"), query)
        assert response.status_code == 200
        return set(re.findall(r'<tr id="model-([-a-z0-9]+)"', response.content.decode()))

    assert rows() == set(kinds.values())
    assert rows(weights="published") == {kinds["open"], kinds["licence_gate"]}
    assert rows(weights="api_only") == {kinds["api_only"]}


def test_the_arguments_list_counts_each_option_under_the_other_filters(client):
    """The arguments list counts with comparisons.web.facets.count_facets (the matrix's twin).

    Found by make mutation: count_facets 3, 4, 6 (the choices ignored), 16 (a single value read
    as its letters), 21 (the test inverted), 25 (``break``: the rows after one failing two
    filters not counted) and 30 (every count 1) survived: the selection's tests never filtered
    that list. Kept here because the selection must not change.
    """
    weights = make.weights()
    data = make.component(slug="training-data", name="Training data")
    for slug, stance, evidence, component in [
        ("a", "for", "empirical", weights),
        ("b", "against", "statement", weights),
        ("c", "middle", "policy_paper", data),  # fails both filters: counts toward nothing
        ("d", "for", "statement", data),
        ("e", "against", "analysis", data),  # the same, and listed first (stance, title)
        ("f", "for", "empirical", weights),
    ]:
        make.argument(
            slug=slug, title=f"Argument {slug}", stance=stance, evidence_kind=evidence,
            components=[component],
        )  # fmt: skip
    html = client.get("/arguments/", {"stance": "for", "component": "weights"}).content.decode()
    listed = re.findall(r'<li><a href="/arguments/[\w-]+/">([^<]+)</a>', html)
    assert listed == ["Argument a", "Argument f"]
    counts = dict(re.findall(r'<span class="count" id="count-([\w-]+)">\((\d+)\)</span>', html))
    assert counts == {
        # stance, under the component filter alone
        "stance-for": "2", "stance-against": "1", "stance-middle": "0",
        # component, under the stance filter alone
        "component-weights": "2", "component-training-data": "1",
        # evidence, under both
        "evidence-empirical": "2", "evidence-statement": "0", "evidence-policy_paper": "0",
        "evidence-report": "0", "evidence-model_release": "0", "evidence-analysis": "0",
    }  # fmt: skip


def test_a_silence_applies_from_its_first_day(client, world):
    """Found by make mutation: matrix.silence_applies_on 5 (``start < day``) hid a finding on
    the first day of the period it covers."""
    make.silence(
        jurisdiction=world["us"],
        period_start=datetime.date(2026, 1, 1),
        statement="Nothing in 2026 texts.",
    )
    first_day = client.get("/", {"as_of": "2026-01-01"}).content.decode()
    assert "Nothing in 2026 texts." in cell(first_day, "cell-exemptions-us")
    day_before = client.get("/", {"as_of": "2025-12-31"}).content.decode()
    assert "Nothing in 2026 texts." not in day_before


def test_a_silence_naming_a_component_fills_that_row_only_in_the_components_view(client, world):
    """Found by make mutation: matrix.covering_silences 6 read a finding's topics on the
    components view too, so a finding naming one component covered every component."""
    data = make.component(slug="training-data", name="Training data")
    make.comparison(
        jurisdictions=[world["cn"]],
        components=[world["weights"], data],
        rows=Comparison.Rows.COMPONENTS,
        slug="components",
    )
    make.silence(jurisdiction=world["cn"], components=[data], statement="Nothing on training data.")
    html = client.get("/components/").content.decode()
    assert "Nothing on training data." in cell(html, "cell-training-data-cn")
    assert "Nothing on training data." not in cell(html, "cell-weights-cn")


def test_topic_and_component_options_show_how_many_provisions_they_would_leave(client, world):
    """Found by make mutation: filters.apply_facets 38 dropped the counts of the facets a
    provision holds several values of (topics, components): every such option read (0)."""
    count = r'<span class="count" id="count-((?:component|topic)-[\w-]+)">\((\d+)\)</span>'
    before_revocation = client.get("/", {"as_of": "2024-12-01"}).content.decode()
    assert dict(re.findall(count, before_revocation)) == {
        "component-weights": "2", "topic-exemptions": "1", "topic-export-controls": "1",
    }  # fmt: skip
    today = client.get("/").content.decode()  # EO 14110 has ended: hidden, not counted
    assert dict(re.findall(count, today)) == {
        "component-weights": "1", "topic-exemptions": "1", "topic-export-controls": "0",
    }  # fmt: skip


def test_fifty_values_are_read_and_fifty_one_refused_with_a_message(client, world):
    """Found by make mutation: LenientMultipleChoiceField.clean 4 (``>=``: fifty refused) and 5
    (the refusal without its message)."""
    html = client.get("/", {"j": ["eu"] * 50}).content.decode()
    assert re.findall(r'<th scope="col" id="col-(\w+)"', html) == ["eu"]
    assert "Too many values" not in html
    html = client.get("/", {"j": ["eu"] * 51}).content.decode()
    message = re.search(r'<div class="filter-message" id="msg-j">(.*?)</div>', html, re.S)
    assert message.group(1) == (
        "<p>Too many values (at most 50); filter ignored.</p><p>This filter is ignored.</p>"
    )
    assert len(re.findall(r'<th scope="col" id="col-(\w+)"', html)) == 3  # every column


@pytest.mark.parametrize(
    ("query", "status", "body"),
    [
        ("stance=sideways", 400, {"stance": ["Unknown value: “sideways”."]}),
        ("stance=", 200, None),  # empty: any stance
        (
            "stance=for&stance=%00x&stance=&stance=a&stance=b&stance=c&stance=d&stance=e",
            400,
            {"stance": ["Unknown value: “\ufffdx”, “a”, “b”, “c”, “d”."]},
        ),
        ("evidence=" + "q" * 60, 400, {"evidence": ["Unknown value: “" + "q" * 39 + "…”."]}),
    ],
)
def test_the_api_refuses_an_unknown_value_of_a_fixed_list_and_says_which(
    client, world, query, status, body
):
    """The API's older filters (``refuse_unknown``) answer 400 and quote the first five unknown
    values; an empty value means "any". They share LenientMultipleChoiceField with the matrix.

    Found by make mutation: LenientMultipleChoiceField.clean 11 (unknown values accepted) and
    12 (only the empty value refused) survived: the selection's tests never called the API.
    Kept here because the selection must not change."""
    response = client.get(f"/api/arguments/?{query}")
    assert response.status_code == status
    if body is not None:
        assert response.json() == body
