"""Public pages on models: the grid of models × provisions, a model's page, the checker, exports.

Every page says that the evaluations are the atlas's analysis, not legal advice, and gives the
date of the facts. Views are thin: loading and evaluation live in ``comparisons.ai_models.grid`` and
``provisions.openness``.
"""

import csv

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from comparisons.ai_models.forms import MODEL_FACETS, CheckerForm, ModelFilterForm
from comparisons.ai_models.grid import (
    DISCLAIMER,
    build_rows,
    by_jurisdiction,
    evaluate_profile,
    facts_checked_on,
    jurisdictions_without_conditions,
    load_columns,
)
from comparisons.web.fragments import render_page_or_fragment, vary_on_fragment, wants_fragment
from comparisons.web.pagecache import cached_page
from provisions.models import ModelProfile
from provisions.openness import evaluate
from provisions.plaintext import spreadsheet_safe
from provisions.queries import public_model_profiles

MODELS_PER_PAGE = 100


def filtered_grid(request: HttpRequest):
    """(form, columns, rows) for the grid's query string; a filter with an error is ignored."""
    columns = load_columns()
    countries = sorted(
        set(ModelProfile.objects.published().values_list("provider_country", flat=True))
    )
    form = ModelFilterForm(request.GET or None, countries=countries, columns=columns)
    form.is_valid()
    profiles = public_model_profiles()
    if text := form.value("q"):
        profiles = profiles.filter(Q(name__icontains=text) | Q(provider__icontains=text))
    for facet in MODEL_FACETS:
        if value := form.value(facet.name):
            profiles = facet.apply(profiles, value)
    rows = build_rows(profiles, columns)
    key, outcome = form.value("provision"), form.value("outcome")
    if key and outcome:
        rows = [r for r in rows if (cell := r.cell(key)) and cell.verdict.outcome == outcome]
    return form, columns, rows


@require_safe
@vary_on_fragment
# Not page-cached: the grid reads many parameters (its form), and a page cached without them
# in its key would answer every query with the first one's page (the cache's rule: only parameters a
# view declares and understood may key the cache). Six queries, whatever the number of models.
def model_list(request: HttpRequest) -> HttpResponse:
    form, columns, rows = filtered_grid(request)
    page = Paginator(rows, MODELS_PER_PAGE).get_page(form.value("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "columns": columns,
        "groups": by_jurisdiction(columns),
        "page": page,
        "rows": page.object_list,
        "total": len(rows),
        "facts_date": facts_checked_on(r.profile for r in rows),
        "disclaimer": DISCLAIMER,
        "silent": jurisdictions_without_conditions(columns),
        "query": query.urlencode(),
        "fragment": wants_fragment(request),
    }
    return render_page_or_fragment(
        request, "comparisons/models.html", "grid", context, context["fragment"]
    )


@require_safe
@cached_page
def model_detail(request: HttpRequest, slug: str) -> HttpResponse:
    profile = public_model_profiles().filter(slug=slug).first()
    if profile is None:
        raise Http404("No such model.")
    columns = load_columns()
    row = evaluate_profile(profile, columns)
    context = {
        "profile": profile,
        "row": row,
        "groups": [
            (jurisdiction, [c for c in row.cells if c.column.jurisdiction == jurisdiction])
            for jurisdiction, _ in by_jurisdiction(columns)
        ],
        "silent": jurisdictions_without_conditions(columns),
        "sources": list(profile.sources.all()),
        "uncertain": set(profile.uncertain_facts),
        "disclaimer": DISCLAIMER,
    }
    return render(request, "comparisons/model.html", context)


@require_safe
@vary_on_fragment
# Not page-cached, for the same reason: each answer is its own query string.
def model_check(request: HttpRequest) -> HttpResponse:
    """The checker: answers a GET form; stores nothing."""
    form = CheckerForm(request.GET or None)
    answer = None
    if form.is_valid():
        facts = form.facts()
        columns = load_columns()
        answer = {
            "groups": [
                (jurisdiction, [(c, evaluate(facts, c.rules)) for c in group])
                for jurisdiction, group in by_jurisdiction(columns)
            ],
            "silent": jurisdictions_without_conditions(columns),
            "market_note": form.market_note(),
        }
    context = {
        "form": form,
        "answer": answer,
        "disclaimer": DISCLAIMER,
        "fragment": wants_fragment(request),
    }
    template = "comparisons/model_check.html"
    if context["fragment"]:
        template += "#answer"
    return render(request, template, context)


# -- downloads ------------------------------------------------------------------------------


def grid_records(columns, rows) -> list[dict]:
    records = []
    for row in rows:
        profile = row.profile
        records.append(
            {
                "model": profile.name,
                "slug": profile.slug,
                "provider": profile.provider,
                "provider_country": profile.provider_country,
                "licence": profile.licence_name,
                "osi": profile.licence_osi,
                "weights": profile.weights_access,
                "training_compute_flop": profile.training_compute_flop,
                "compute_confidence": profile.compute_confidence,
                "checked_on": profile.checked_on.isoformat() if profile.checked_on else None,
                "uncertain_facts": list(profile.uncertain_facts),
                "evaluations": [
                    {
                        "provision": cell.column.provision.citation,
                        "provision_id": cell.column.provision.pk,
                        "outcome": cell.verdict.outcome,
                        "label": cell.label,
                        "reasons": [
                            {
                                "condition": finding.label,
                                "outcome": finding.outcome,
                                "fact": finding.fact,
                                "imposed_by": finding.rule.cited,
                            }
                            for finding in cell.verdict.reasons
                        ],
                    }
                    for cell in row.cells
                ],
            }
        )
    return records


@require_safe
def model_export_json(request: HttpRequest) -> JsonResponse:
    form, columns, rows = filtered_grid(request)
    response = JsonResponse(
        {
            "note": DISCLAIMER,
            "facts_checked_on": str(facts_checked_on(r.profile for r in rows) or ""),
            "models": grid_records(columns, rows),
        },
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )
    response["Content-Disposition"] = 'attachment; filename="openness-atlas-models.json"'
    return response


@require_safe
def model_export_csv(request: HttpRequest) -> HttpResponse:
    form, columns, rows = filtered_grid(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="openness-atlas-models.csv"'
    writer = csv.writer(response)

    def write(cells):
        # Editors' text (a model's or provider's name, a citation) must not run as a formula
        # when the file is opened in a spreadsheet: the same guard as the matrix's CSV.
        writer.writerow([spreadsheet_safe(cell) for cell in cells])

    write(
        ["model", "provider", "country", "licence", "weights", "training_compute_flop"]
        + [c.provision.citation for c in columns]
    )
    for row in rows:
        p = row.profile
        outcomes = {cell.column.key: cell.verdict.outcome for cell in row.cells}
        write(
            [p.name, p.provider, p.provider_country, p.licence_name, p.weights_access]
            + [p.training_compute_flop or ""]
            + [outcomes.get(c.key, "") for c in columns]
        )
    return response
