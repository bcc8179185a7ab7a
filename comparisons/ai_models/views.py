"""Public pages on models: the grid of models × provisions, a model's page, the checker, exports.

Every page says that the evaluations are the atlas's analysis, not legal advice, and gives the
date of the facts. Views are thin: loading and evaluation live in ``comparisons.ai_models.grid`` and
``provisions.openness``.
"""

import csv
import datetime
from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from comparisons.ai_models.forms import (
    MODEL_FACETS,
    CheckerForm,
    CompareForm,
    ModelFilterForm,
    StartForm,
    answers_from_profile,
)
from comparisons.ai_models.grid import (
    DISCLAIMER,
    build_rows,
    by_jurisdiction,
    evaluate_profile,
    facts_checked_on,
    jurisdictions_without_conditions,
    jurisdictions_without_data,
    load_columns,
    rulings,
    verdict_changes,
)
from comparisons.web.fragments import render_page_or_fragment, vary_on_fragment, wants_fragment
from comparisons.web.pagecache import cached_page, understood
from provisions.models import ModelProfile
from provisions.openness import ModelFacts
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


# The earliest and latest day a verdict can be asked for: before the first AI law there is
# nothing to evaluate, and far future dates are typing errors.
FIRST_DAY = datetime.date(2000, 1, 1)
LAST_DAY = datetime.date(2100, 12, 31)


def verdict_day(request: HttpRequest) -> tuple[datetime.date, bool]:
    """``?on=YYYY-MM-DD``: the day the verdicts are for, today by default. A bad or
    out-of-range date is ignored and the page says so (the boolean), never an error."""
    today = timezone.localdate()
    raw = request.GET.get("on", "")
    if not raw:
        return today, False
    try:
        day = datetime.date.fromisoformat(raw)
    except ValueError:
        return today, True
    if not FIRST_DAY <= day <= LAST_DAY:
        return today, True
    return day, False


@require_safe
@cached_page(params=("on",))  # ?on= changes the verdicts: it must be part of the cache key
def model_detail(request: HttpRequest, slug: str) -> HttpResponse:
    profile = public_model_profiles().filter(slug=slug).first()
    if profile is None:
        raise Http404("No such model.")
    on, on_ignored = verdict_day(request)
    asked = request.GET.get("on") and not on_ignored
    understood(request, QueryDict(f"on={on.isoformat()}" if asked else ""))
    columns = load_columns()
    row = evaluate_profile(profile, columns)
    since = profile.release_date or FIRST_DAY
    context = {
        "profile": profile,
        "row": row,
        "on": on,
        "on_asked": asked,
        "on_ignored": on_ignored,
        "rulings": rulings(row.facts, columns, on),
        "changes": verdict_changes(row.facts, columns, since),
        "since_ruling": rulings(row.facts, columns, since),
        "since": since,
        "groups": [
            (jurisdiction, [c for c in row.cells if c.column.jurisdiction == jurisdiction])
            for jurisdiction, _ in by_jurisdiction(columns)
        ],
        "silent": jurisdictions_without_data(columns),
        "sources": list(profile.sources.all()),
        "uncertain": set(profile.uncertain_facts),
        "disclaimer": DISCLAIMER,
    }
    return render(request, "comparisons/model.html", context)


def profile_choices() -> list:
    """Published profiles, name and slug only, for the "start from" and compare menus."""
    return list(ModelProfile.objects.published().only("slug", "name").order_by("name"))


@require_safe
@vary_on_fragment
# Not page-cached, for the same reason: each answer is its own query string.
def model_check(request: HttpRequest) -> HttpResponse:
    """The checker: answers a GET form; stores nothing. ``?start=<model>`` fills it from a
    profile: it redirects to the answer's own address, so the form is filled and editable, the
    answer shown, and the address shareable, all without JavaScript."""
    if "start" in request.GET:
        start = StartForm(request.GET, profiles=profile_choices())
        if start.is_valid():
            profile = public_model_profiles().get(slug=start.cleaned_data["start"])
            query = urlencode(answers_from_profile(profile), doseq=True)
            return redirect(f"{reverse('comparisons:model-check')}?{query}")
        form = CheckerForm(None)
    else:
        start = StartForm(None, profiles=profile_choices())
        form = CheckerForm(request.GET or None)
    answer = None
    if form.is_valid():
        facts = form.facts()
        columns = load_columns()
        on = form.cleaned_data["on"] or timezone.localdate()
        answer = {
            "on": on,
            "rulings": rulings(facts, columns, on),
            "silent": jurisdictions_without_data(columns),
            "market_note": form.market_note(),
        }
    context = {
        "form": form,
        "start": start,
        "answer": answer,
        "disclaimer": DISCLAIMER,
        "fragment": wants_fragment(request),
    }
    template = "comparisons/model_check.html"
    if context["fragment"]:
        template += "#answer"
    return render(request, template, context)


@require_safe
# Not page-cached: each pair is its own query string.
def model_compare(request: HttpRequest) -> HttpResponse:
    """Two models side by side, one row per jurisdiction: ``?a=<model>&b=<model>&on=``."""
    form = CompareForm(request.GET or None, profiles=profile_choices())
    rows = None
    if form.is_valid():
        columns = load_columns()
        on = form.cleaned_data["on"] or timezone.localdate()
        found = {
            p.slug: p
            for p in public_model_profiles().filter(
                slug__in=[form.cleaned_data["a"], form.cleaned_data["b"]]
            )
        }
        a, b = found[form.cleaned_data["a"]], found[form.cleaned_data["b"]]
        left = rulings(ModelFacts.from_profile(a), columns, on)
        right = dict(rulings(ModelFacts.from_profile(b), columns, on))
        rows = {
            "a": a,
            "b": b,
            "on": on,
            "pairs": [(j, ruling, right[j]) for j, ruling in left],
            "silent": jurisdictions_without_data(columns),
        }
    status = 400 if form.is_bound and form.errors else 200
    context = {"form": form, "rows": rows, "disclaimer": DISCLAIMER}
    return render(request, "comparisons/model_compare.html", context, status=status)


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
