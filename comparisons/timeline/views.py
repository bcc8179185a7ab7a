"""The timeline page: legal developments across jurisdictions, oldest first."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from comparisons.timeline import calendar
from comparisons.timeline import page as legal_timeline
from comparisons.web.fragments import vary_on_fragment, wants_fragment
from comparisons.web.pagecache import cached_page, understood
from provisions.models import Jurisdiction


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


@require_safe
@cached_page
def calendar_ics(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """What applies next as iCalendar: the whole atlas, or one jurisdiction (with those under
    it: New York under the US). Cached per day, since "still ahead" changes with the date."""
    name = "Openness Atlas: what applies next"
    if code is not None:
        jurisdiction = Jurisdiction.objects.filter(code=code).first()
        if jurisdiction is None:
            raise Http404("No jurisdiction has this code.")
        name += f" ({jurisdiction.name})"
    events = calendar.upcoming([code] if code else None, None, timezone.localdate())
    body = calendar.ics(
        events, request.build_absolute_uri, name, request.get_host(), timezone.now()
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="atlas-{code or "all"}.ics"'
    return response
