"""Page or fragment: the one answer to "does this request want only the part htmx swaps in?".

An htmx swap (``HX-Request``) gets the fragment; a history restore (Back after a push, which
sends ``HX-History-Restore-Request`` too) gets the whole page. The views choose their template
with ``wants_fragment`` and the page cache keys its entries with it (comparisons/web/pagecache.py),
so a cached fragment can never answer a request for the page. A response that depends on it
varies on ``FRAGMENT_HEADERS`` (``vary_on_fragment``), so no browser or proxy mixes them up.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.vary import vary_on_headers

FRAGMENT_HEADERS = ("HX-Request", "HX-History-Restore-Request")


def wants_fragment(request: HttpRequest) -> bool:
    # django-htmx's reading of the headers (HtmxMiddleware runs before every view).
    return bool(request.htmx) and not request.htmx.history_restore_request


def render_page_or_fragment(
    request: HttpRequest, template: str, partial: str, context: dict, fragment: bool
) -> HttpResponse:
    """The whole ``template``, or only its ``{% partialdef partial %}`` when ``fragment``."""
    return render(request, f"{template}#{partial}" if fragment else template, context)


vary_on_fragment = vary_on_headers(*FRAGMENT_HEADERS)
