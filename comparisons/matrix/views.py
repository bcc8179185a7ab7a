"""The matrix pages: the home page, curated comparisons and the comparison by component."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from comparisons.matrix.build import build_matrix, comparisons_with_layout
from comparisons.matrix.filters import ProvisionFilter
from comparisons.matrix.legend import LEGEND
from comparisons.matrix.panel import active_filters, describe_filters, filter_panel
from comparisons.models import Comparison
from comparisons.web.fragments import render_page_or_fragment, vary_on_fragment, wants_fragment
from comparisons.web.pagecache import cached_page, understood

# The query parameters a matrix page reads: its filters. Any other is left out of cache keys.
MATRIX_PARAMS = tuple(ProvisionFilter.base_filters)


def matrix_page(request: HttpRequest, comparison: Comparison) -> HttpResponse:
    filterset = ProvisionFilter(request.GET)
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
        "legend_keys": LEGEND,
        # The briefings linked from the rows keep the date asked for (not today's by default).
        "matrix_as_of": filterset.cleaned_query().get("as_of", ""),
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
