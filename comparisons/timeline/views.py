"""The timeline page: legal developments across jurisdictions, oldest first."""

import datetime

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from comparisons.timeline import between, calendar
from comparisons.timeline import page as legal_timeline
from comparisons.web.dates import BadDates, date_range
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


def between_context(request: HttpRequest) -> dict:
    """The range and jurisdictions asked for, and what changed; ``error`` for dates that cannot
    be used (a 400)."""
    asked = legal_timeline.TimelineQuery.from_get(request.GET)
    today = timezone.localdate()
    context = {"asked": asked, "ignored": asked.ignored}
    try:
        start, end = date_range(request.GET, today - datetime.timedelta(days=365), today)
    except BadDates as error:
        return context | {"error": str(error)}
    query = QueryDict(mutable=True)
    query.setlist("j", asked.codes)
    for name, day in (("from", start), ("to", end)):
        if request.GET.get(name):
            query[name] = day.isoformat()
    understood(request, query)
    link = QueryDict(mutable=True)
    link.setlist("j", asked.codes)
    link["from"], link["to"] = start.isoformat(), end.isoformat()
    return context | {
        "start": start,
        "end": end,
        "chosen": [j for j in asked.jurisdictions if j.code in asked.codes],
        "changes": between.changes_between(asked.codes or None, start, end),
        "query": link.urlencode(),
    }


@require_safe
@cached_page(params=("from", "to", "j"))
def between_page(request: HttpRequest) -> HttpResponse:
    """What changed in the law between two dates (``?from=2025-01-01&to=2026-12-07&j=eu``)."""
    context = between_context(request)
    status = 400 if "error" in context else 200
    return render(request, "comparisons/timeline_between.html", context, status=status)


@require_safe
@cached_page(params=("from", "to", "j"))
def between_json(request: HttpRequest) -> JsonResponse:
    """The same changes as the page, as JSON; bad dates a 400 with the page's message."""
    context = between_context(request)
    if "error" in context:
        return JsonResponse({"error": context["error"]}, status=400)
    return JsonResponse(
        {
            "from": context["start"].isoformat(),
            "to": context["end"].isoformat(),
            "jurisdictions": [j.code for j in context["chosen"]],
            "ignored": context["ignored"],
            "changes": [c.as_json(request.build_absolute_uri) for c in context["changes"]],
        },
        json_dumps_params={"ensure_ascii": False},
    )
