"""The checker for your own model (/models/check/), and /models/ at scale.

The checker is a GET form: its answer is a URL that the plain test client (no JavaScript)
reproduces; bad input is a form error, never a 500. /models/ costs the same number of queries at
20 and at 2,000 models (the synthetic generator makes them).
"""

import re
from html import unescape
from urllib.parse import urlencode

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench import synthetic
from provisions.models import ModelProfile

pytestmark = pytest.mark.django_db

CHECK = reverse("comparisons:model-check")
APACHE = {
    "licence": "apache-2.0",
    "weights": "open",
    "documentation": "yes",
    "monetised": "no",
    "compute": "1e24",
    "established_in_eu": "no",
    "use_restrictions": "none",
}


@pytest.fixture
def atlas(db):
    call_command("load_atlas", verbosity=0)


def text_of(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def verdict_block(response, provision_pk: int) -> str:
    """One provision's outcome, and the reasoning of its jurisdiction (where each condition is
    shown once), as text."""
    html = response.content.decode()
    match = re.search(
        rf'<details class="reasoning"[^>]*>((?:(?!</details>).)*?'
        rf'<li id="p{provision_pk}" data-outcome="(\w+)">.*?)</details>',
        html,
        re.S,
    )
    assert match, f"no answer for provision {provision_pk}"
    return match[2], re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", match[1])))


ART_53_2 = 28  # the dataset's pk of AI Act Art. 53(2)


def test_apache_public_weights_not_monetised_below_the_threshold_meets_art_53_2(atlas, client):
    response = client.get(CHECK, APACHE)
    assert response.status_code == 200
    outcome, text = verdict_block(response, ART_53_2)
    assert outcome == "meets"
    assert "Meets the conditions" in text
    assert "Apache-2.0 grants access, use, modification and redistribution" in text
    assert "not legal advice" in text_of(response)


def test_a_700m_monthly_user_cap_fails_art_53_2_with_that_reason(atlas, client):
    answers = APACHE | {"licence": "custom", "user_cap": "700000000"}
    query = urlencode(answers) + "&rights=access&rights=use&rights=modify&rights=redistribute"
    response = client.get(f"{CHECK}?{query}")
    outcome, text = verdict_block(response, ART_53_2)
    assert outcome == "fails"
    assert "requires a further licence from the provider above 700,000,000 monthly active" in text
    assert "usage restrictions triggered by user scale thresholds" in text


def test_3e25_flop_loses_art_53_2_for_presumed_systemic_risk(atlas, client):
    response = client.get(CHECK, APACHE | {"compute": "3×10^25"})
    outcome, text = verdict_block(response, ART_53_2)
    assert outcome == "fails"
    assert "3 × 10^25 FLOP" in text and "presumed (rebuttably) to have systemic risk" in text
    # And Art. 51(2) now reaches the model.
    outcome_51, _ = verdict_block(response, 21)
    assert outcome_51 == "meets"


def test_each_answer_is_a_url_that_reproduces_it_without_javascript(atlas, client):
    query = urlencode(APACHE | {"compute": "3e25", "placed_on_market": "2025-03-01"})
    first = client.get(f"{CHECK}?{query}")
    link = re.search(r'<a href="([^"]+)" id="answer-link">', first.content.decode())[1]
    assert unescape(link) == f"{CHECK}?{query}"
    again = client.get(unescape(link))
    assert verdict_block(again, ART_53_2) == verdict_block(first, ART_53_2)
    assert "Art. 111(3)" in text_of(again)
    # The form comes back filled in, so the reader can change one answer and ask again.
    assert 'name="compute" value="3e25"' in again.content.decode()


def test_the_checker_stores_nothing(atlas, client):
    before = ModelProfile.objects.count()
    with CaptureQueriesContext(connection) as queries:
        client.get(CHECK, APACHE)
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert ModelProfile.objects.count() == before
    assert not client.cookies


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"compute": "-1e24"}, "compute", "more than zero"),
        ({"compute": "0"}, "compute", "more than zero"),
        ({"compute": "1e40"}, "compute", "10^30"),
        ({"compute": "10^999"}, "compute", "like 1e24"),
        ({"compute": "nan"}, "compute", "more than zero"),
        ({"compute": "lots"}, "compute", "like 1e24"),
        ({"licence": "wtfpl-custom"}, "licence", "valid choice"),
        ({"user_cap": "-700"}, "user_cap", "greater than or equal to 1"),
        ({"placed_on_market": "2025-13-45"}, "placed_on_market", "valid date"),
        ({"weights": "\x00"}, "weights", "valid choice"),
        ({"documentation": ""}, "documentation", "required"),
    ],
)
def test_bad_input_gets_form_errors_never_a_500(atlas, client, changes, field, message):
    response = client.get(CHECK, APACHE | changes)
    assert response.status_code == 200
    form = response.context["form"]
    assert field in form.errors
    assert message in " ".join(form.errors[field])
    assert 'role="alert"' in response.content.decode()
    assert response.context["answer"] is None


BAD_INPUTS = [
    ({"compute": "-1e24"}, "compute"),
    ({"compute": "lots"}, "compute"),
    ({"compute": "1e40"}, "compute"),
    ({"licence": "wtfpl-custom"}, "licence"),
    ({"user_cap": "-700"}, "user_cap"),
    ({"placed_on_market": "2025-13-45"}, "placed_on_market"),
    ({"weights": "\x00"}, "weights"),
    ({"documentation": ""}, "documentation"),
    ({"rights": "everything", "licence": "custom"}, "rights"),
    ({"on": "1800-01-01"}, "on"),
    ({"compute_grade": "guessed"}, "compute_grade"),
]


@pytest.mark.parametrize(("changes", "field"), BAD_INPUTS)
def test_each_bad_input_is_named_at_its_field_with_valid_aria(atlas, client, changes, field):
    response = client.get(CHECK, APACHE | changes)
    assert response.status_code == 200
    html = response.content.decode()
    # The error is printed inside the field's own block, not only in the summary.
    block = re.search(
        rf'id="field-{field}".*?'
        r'(?=<div class="field(?: field-check)?" id="field-|<fieldset|<div class="actions)',
        html,
        re.S,
    )
    assert block, field
    assert f'id="id_{field}_error"' in block[0], field
    assert 'class="field-errors"' in block[0], field
    # And in the summary, linked to the field.
    assert f'href="#field-{field}"' in html
    # Every id that aria-describedby names exists on the page.
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    for names in re.findall(r'aria-describedby="([^"]+)"', html):
        for name in names.split():
            assert name in ids, (field, name)


def test_the_answer_gives_one_verdict_line_per_jurisdiction_first(atlas, client):
    response = client.get(CHECK, APACHE | {"on": "2026-12-07"})
    html = response.content.decode()
    lines = re.findall(r'data-jurisdiction="([^"]+)" data-outcome="([^"]+)"', html)
    codes = [code for code, _ in lines]
    assert len(codes) == len(set(codes))
    assert dict(lines)["eu"] == "exempt"
    assert dict(lines)["us-ca"] == "not_applicable"
    # Every jurisdiction without condition data says so, in one line.
    assert dict(lines)["us"] == "no_data"
    assert "No condition data" in text_of(response)
    # The verdicts come before the reasoning, which is collapsed.
    assert html.index('class="verdict-lines"') < html.index('<details class="reasoning"')
    assert "<details open" not in html


def test_the_date_asked_changes_the_answer(atlas, client):
    before = client.get(CHECK, APACHE | {"on": "2025-01-01"}).content.decode()
    lines = dict(re.findall(r'data-jurisdiction="([^"]+)" data-outcome="([^"]+)"', before))
    assert lines["eu"] == "not_applicable"
    assert "applies from 2 August 2025" in before


def test_start_from_a_known_model_fills_the_form_at_a_shareable_address(atlas, client):
    response = client.get(CHECK, {"start": "llama-3-1-405b"})
    assert response.status_code == 302
    filled = client.get(response["Location"])
    form = filled.context["form"]
    assert form.is_valid()
    assert form.cleaned_data["user_cap"] == 700_000_000
    assert form.cleaned_data["compute"] == 3.8e25
    assert form.cleaned_data["placed_on_market"].isoformat() == "2024-07-23"
    html = filled.content.decode()
    assert 'value="700000000"' in html  # still there to be changed
    lines = dict(re.findall(r'data-jurisdiction="([^"]+)" data-outcome="([^"]+)"', html))
    assert lines["eu"] == "not_exempt"
    unknown = client.get(CHECK, {"start": "no-such-model"})
    assert unknown.status_code == 200
    assert 'id="id_start_error"' in unknown.content.decode()


def test_two_models_side_by_side_with_the_rows_aligned(atlas, client):
    response = client.get(
        reverse("comparisons:model-compare"),
        {"a": "llama-3-1-405b", "b": "olmo-2", "on": "2026-12-07"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    rows = re.findall(r'<tr data-jurisdiction="([^"]+)">(.*?)</tr>', html, re.S)
    by_code = {code: re.findall(r'<td data-outcome="([^"]+)"', row) for code, row in rows}
    assert by_code["eu"] == ["not_exempt", "exempt"]
    assert by_code["us-ca"] == ["not_applicable", "not_applicable"]
    assert "No condition data" in dict(rows)["us"]
    for bad in (
        {"a": "nope", "b": "olmo-2"},
        {"a": "olmo-2"},
        {"a": "olmo-2", "b": "olmo-2", "on": "x"},
    ):
        assert client.get(reverse("comparisons:model-compare"), bad).status_code == 400, bad


def test_htmx_gets_the_answer_alone(atlas, client):
    response = client.get(CHECK, APACHE, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert '<h2 id="answer-title">' in html
    assert "<html" not in html and 'id="checker"' not in html
    assert "HX-Request" in response["Vary"]


def test_an_empty_checker_shows_the_form_and_no_answer(atlas, client):
    response = client.get(CHECK)
    assert response.status_code == 200
    assert response.context["answer"] is None and not response.context["form"].errors
    assert 'id="checker"' in response.content.decode()


# -- /models/ at scale --------------------------------------------------------------------

SCALE = synthetic.Scale(
    jurisdictions=4,
    subnational=1,
    instruments=10,
    provisions=80,
    arguments=5,
    sources=3,
    topics=4,
    components=3,
    conditions=3,
    silences=2,
    earlier_labels=2,
    home_columns=2,
    comparison_rows=3,
    model_provisions=4,
)


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_models_grid_costs_the_same_queries_at_20_and_2000_models(client):
    import dataclasses

    counts = {}
    for n in (20, 2000):
        synthetic.generate(seed=3, scale=dataclasses.replace(SCALE, models=n), force=True)
        assert ModelProfile.objects.count() == n
        assert ModelProfile.objects.published().count() > n * 0.8
        first, second = ModelProfile.objects.published().order_by("pk")[:2]
        urls = {
            "grid": "/models/",
            "filtered": "/models/?page=3&weights=published&provision=p1&outcome=fails",
            "detail": first.get_absolute_url(),
            "detail on a day": f"{first.get_absolute_url()}?on=2025-01-01",
            "checker": f"{CHECK}?{urlencode(APACHE)}",
            "compare": f"/models/compare/?a={first.slug}&b={second.slug}",
            "csv": "/models/export.csv",
        }
        with transaction.atomic():
            counts[n] = {name: count_queries(client, url) for name, url in urls.items()}
    print(f"queries per page at 20 and 2000 models: {counts}")  # for the record (-s)
    assert counts[20] == counts[2000], counts
    assert counts[20]["grid"] <= 8
    # The verdicts, their dates and the reasoning are computed, not queried.
    assert counts[20]["detail"] <= 8, counts
    assert counts[20]["checker"] <= 4, counts
    assert counts[20]["compare"] <= 5, counts
