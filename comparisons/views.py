"""Public comparison pages: the matrix (home page and curated comparisons) and search."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from comparisons import legal_timeline
from comparisons.downloads import LICENCE
from comparisons.filters import BADGE_CHOICES, ProvisionFilter
from comparisons.fragments import render_page_or_fragment, vary_on_fragment, wants_fragment
from comparisons.legend import STATES, TREATMENTS
from comparisons.matrix import build_matrix, comparisons_with_layout
from comparisons.models import Comparison
from comparisons.pagecache import cached_page, understood
from comparisons.panel import active_filters, describe_filters, filter_panel
from comparisons.search import SearchForm
from comparisons.search import search as search_atlas
from comparisons.texts import compare_texts
from provisions.models import Topic, Verification

# The query parameters a matrix page reads: its filters. Any other is left out of cache keys.
MATRIX_PARAMS = tuple(ProvisionFilter.base_filters)


def matrix_page(request: HttpRequest, comparison: Comparison) -> HttpResponse:
    # The data version the page cache read keys the filters' memo of the provisions' standing.
    version = getattr(request, "atlas_data_version", None)
    filterset = ProvisionFilter(request.GET, version=version)
    understood(request, filterset.cleaned_query())
    matrix = build_matrix(comparison, filterset, path=request.path)
    # Download links carry the valid filters only, never the raw (maybe hostile) query.
    query = filterset.cleaned_query().urlencode()
    chips = active_filters(filterset, request.path)
    context = {
        "comparison": comparison,
        "matrix": matrix,
        "panel": filter_panel(filterset, matrix.facets),
        "fragment": wants_fragment(request),
        "export_query": query,
        "chips": chips,
        "filters_line": describe_filters(chips),
        "permalink": request.build_absolute_uri(
            f"{request.path}?{query}" if query else request.path
        ),
        "treatment_keys": TREATMENTS,
        "state_keys": STATES,
    }
    return render_page_or_fragment(
        request, "comparisons/matrix.html", "matrix", context, context["fragment"]
    )


@require_safe
@vary_on_fragment
@cached_page(params=MATRIX_PARAMS)
def home(request: HttpRequest) -> HttpResponse:
    comparison = comparisons_with_layout().filter(is_home=True).first()
    if comparison is None:
        return render(request, "comparisons/nothing_yet.html")
    return matrix_page(request, comparison)


@require_safe
@vary_on_fragment
@cached_page(params=MATRIX_PARAMS)
def comparison(request: HttpRequest, slug: str) -> HttpResponse:
    found = comparisons_with_layout().filter(slug=slug).first()
    if found is None:
        raise Http404("No such comparison.")
    return matrix_page(request, found)


@require_safe
@vary_on_fragment
@cached_page(params=MATRIX_PARAMS)
def components(request: HttpRequest) -> HttpResponse:
    """The first published comparison whose rows are openness components."""
    found = (
        comparisons_with_layout()
        .filter(rows=Comparison.Rows.COMPONENTS)
        .order_by("-is_home", "title")
        .first()
    )
    if found is None:
        raise Http404("No comparison by openness component is published yet.")
    return matrix_page(request, found)


SEARCH_PARAMS = ("q", "jurisdiction", "type")


def search_request(request: HttpRequest) -> tuple[SearchForm, str, dict, list[str]]:
    """The query, the facets that apply and messages about the ones ignored: a bad facet is
    ignored with a message, never an error, and never loses the query."""
    form = SearchForm(request.GET)
    form.is_valid()
    text = form.cleaned_data.get("q", "") or ""
    facets, messages = {}, []
    if kind := form.cleaned_data.get("type"):
        facets["kind"] = kind
    elif request.GET.get("type"):
        messages.append("Unknown record type ignored.")
    if code := form.cleaned_data.get("jurisdiction"):
        facets["jurisdiction"] = code
    elif request.GET.get("jurisdiction"):
        messages.append("Unknown jurisdiction ignored.")
    return form, text, facets, messages


def run_search(request: HttpRequest, text: str, facets: dict):
    """The results for the search page and its JSON twin, telling the page cache which of the
    query's parameters the search understood."""
    version = getattr(request, "atlas_data_version", None)
    results = search_atlas(text, **facets, version=version) if text else None
    asked = QueryDict(mutable=True)
    if text:
        asked["q"] = text
        if results and results.jurisdiction:
            asked["jurisdiction"] = results.jurisdiction
        if facets.get("kind"):
            asked["type"] = facets["kind"]
    understood(request, asked)
    return results


@require_safe
@vary_on_fragment
@cached_page(params=SEARCH_PARAMS)
def search(request: HttpRequest) -> HttpResponse:
    form, text, facets, messages = search_request(request)
    results = run_search(request, text, facets)
    if results and facets.get("jurisdiction") and not results.jurisdiction:
        messages.append("Unknown jurisdiction ignored.")
    context = {
        "form": form,
        "text": text,
        "results": results,
        "facets": facets,
        "messages_": messages,
        "fragment": wants_fragment(request),
    }
    template = "comparisons/_search_results.html" if wants_fragment(request) else None
    return render(request, template or "comparisons/search.html", context)


@require_safe
@cached_page(params=SEARCH_PARAMS)
def search_json(request: HttpRequest) -> JsonResponse:
    """The search page's results as JSON: /api/search?q=… (same facets)."""
    form, text, facets, messages = search_request(request)
    if form.errors.get("q"):
        return JsonResponse({"errors": {"q": form.errors["q"]}}, status=400)
    results = run_search(request, text, facets)
    body = {"q": text, "messages": messages}
    body |= results.as_json() if results else {"total": 0}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})


@require_safe
@cached_page(params=("jurisdiction",))  # the columns asked for change the page: cache per set
def texts(request: HttpRequest, slug: str) -> HttpResponse:
    """One question's official texts side by side, a column per jurisdiction
    (``?jurisdiction=us&jurisdiction=eu``; all when none is given)."""
    topic = Topic.objects.filter(slug=slug).first()
    if topic is None:
        raise Http404("No such question.")
    today = timezone.localdate()
    asked = request.GET.getlist("jurisdiction")
    comparison = compare_texts(topic, asked, today)
    # Every code asked for is answered, as a column or as "left out": the page is the whole answer.
    answered = QueryDict(mutable=True)
    answered.setlist("jurisdiction", asked)
    understood(request, answered)
    chosen = {column.jurisdiction.code for column in comparison.columns}
    return render(
        request,
        "comparisons/texts.html",
        {"text_comparison": comparison, "topic": topic, "today": today, "chosen": chosen},
    )


def about(request: HttpRequest) -> HttpResponse:
    """How to read the atlas: the treatment scale, the states of a cell, how records are kept."""
    return render(
        request,
        "comparisons/about.html",
        {
            "treatment_keys": TREATMENTS,
            "state_keys": STATES,
            "verifications": Verification.choices,
            "badges": BADGE_CHOICES,
            "licence": LICENCE,
            "error_reports": getattr(settings, "ATLAS_ERROR_REPORTS", ""),
        },
    )


@require_safe
@vary_on_fragment
@cached_page(params=("j", "topic"))
def timeline(request: HttpRequest) -> HttpResponse:
    """Legal developments across jurisdictions, oldest first, with today marked
    (``?j=kr&j=eu&topic=frontier-safety``; unknown values are ignored and the page says so)."""
    asked = legal_timeline.TimelineQuery.from_get(request.GET)
    understood(request, asked.cleaned_query())
    context = legal_timeline.timeline_context(asked, timezone.localdate())
    context["fragment"] = wants_fragment(request)
    template = "comparisons/timeline.html"
    if context["fragment"]:
        template += "#timeline"
    return render(request, template, context)
