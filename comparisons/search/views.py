"""The search page and its JSON twin (``/api/search``)."""

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.views.decorators.http import require_safe

from comparisons.search.engine import SearchForm
from comparisons.search.engine import search as search_atlas
from comparisons.web.fragments import vary_on_fragment, wants_fragment
from comparisons.web.pagecache import cached_page, understood

SEARCH_PARAMS = ("q", "jurisdiction", "type", "as_typed")


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
    if form.cleaned_data.get("as_typed"):
        facets["as_typed"] = True
    return form, text, facets, messages


def run_search(request: HttpRequest, text: str, facets: dict):
    """The results for the search page and its JSON twin, telling the page cache which of the
    query's parameters the search understood."""
    results = search_atlas(text, **facets) if text else None
    asked = QueryDict(mutable=True)
    if text:
        asked["q"] = text
        if results and results.jurisdiction:
            asked["jurisdiction"] = results.jurisdiction
        if facets.get("kind"):
            asked["type"] = facets["kind"]
        if facets.get("as_typed"):
            asked["as_typed"] = "1"
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
    if results and results.message:
        messages.append(results.message)
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
    if results and results.message:
        messages.append(results.message)
    body = {"q": text, "messages": messages}
    body |= results.as_json() if results else {"total": 0}
    return JsonResponse(body, json_dumps_params={"ensure_ascii": False})
