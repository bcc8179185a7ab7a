"""The timeline page: legal developments across jurisdictions, oldest first."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from comparisons.timeline import page as legal_timeline
from comparisons.web.fragments import vary_on_fragment, wants_fragment
from comparisons.web.pagecache import cached_page, understood


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
