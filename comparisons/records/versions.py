"""What changed in a provision's text between two dates: the versions in force on each day, and
a word-level redline of each pair (``…/<provision>/changes/?from=2025-01-01&to=2026-12-07``).

The texts are the provision's published texts (``ProvisionText``, one per version, each with the
day it applies from); which one applies on a day is ``in_force_on``, the rule the provision page
uses for ``?as_of=``. The diff itself is ``provisions/redline.py``.
"""

import datetime
from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from comparisons.web.dates import BadDates, date_range
from comparisons.web.pagecache import cached_page, understood
from comparisons.web.templatetags.sharing import formal_name
from provisions import withdrawals
from provisions.models import Provision, ProvisionText
from provisions.models.texts import in_force_on
from provisions.queries import published_texts
from provisions.redline import Piece, redline


@dataclass
class Comparison:
    """One text (a kind and a language) on the two days, and what changed between them."""

    before: ProvisionText | None
    after: ProvisionText
    pieces: list[Piece] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return any(p.kind != "equal" for p in self.pieces)

    @property
    def same_version(self) -> bool:
        return self.before is not None and self.before.pk == self.after.pk


def days_asked(query: QueryDict, texts: list[ProvisionText]) -> tuple[datetime.date, datetime.date]:
    """``from`` and ``to``; either left out: the day before and the day of the latest
    amendment (today, for a text never amended). Raises ``BadDates``."""
    amended = sorted(t.applies_from for t in texts if t.applies_from)
    default_to = amended[-1] if amended else timezone.localdate()
    default_from = default_to - datetime.timedelta(days=1) if amended else default_to
    return date_range(query, default_from, default_to)


def compare(texts: list[ProvisionText], start: datetime.date, end: datetime.date):
    """Per kind and language, the version in force on ``end`` against the one on ``start``."""
    before = {(t.kind, t.language): t for t in in_force_on(texts, start)}
    comparisons = []
    for after in in_force_on(texts, end):
        earlier = before.get((after.kind, after.language))
        pieces = redline(earlier.body if earlier else "", after.body)
        comparisons.append(Comparison(earlier, after, pieces))
    return comparisons


@dataclass
class RedlineLink:
    text: str
    url: str


def redline_link(provision, texts, current, amended_by=()) -> RedlineLink | None:
    """The provision page's link to the redline of its latest change as of the page's day:
    “Compare with the text before Regulation (EU) 2026/1744” (the act the version names, else
    its date); before any change applies, “Compare with the text from …”."""
    dated = sorted({t.applies_from for t in texts if t.applies_from})
    if not dated:
        return None
    shown = [t for t in current if t.applies_from]
    day = max(t.applies_from for t in shown) if shown else dated[0]
    url = reverse(
        "comparisons:provision-changes",
        kwargs={
            "jurisdiction": provision.instrument.jurisdiction.code,
            "instrument": provision.instrument.slug,
            "provision": provision.slug,
        },
    )
    url += f"?from={day - datetime.timedelta(days=1)}&to={day}"
    if not shown:
        return RedlineLink(f"Compare with the text from {day.day} {day:%B %Y}", url)
    names = [formal_name(r.source) for r in amended_by]
    named = [n for n in names if n and any(n in t.version_label for t in shown)]
    before = named[0] if named else f"{day.day} {day:%B %Y}"
    return RedlineLink(f"Compare with the text before {before}", url)


def provision_changes_page(
    request: HttpRequest, jurisdiction: str, instrument: str, provision: str
) -> HttpResponse:
    found = (
        Provision.objects.public()
        .filter(
            instrument__jurisdiction__code=jurisdiction,
            instrument__slug=instrument,
            slug=provision,
        )
        .select_related("instrument__jurisdiction")
        .prefetch_related(published_texts())
        .first()
    )
    if found is None:
        if withdrawals.find_provision(jurisdiction, instrument, provision):
            return HttpResponse(
                "This provision was withdrawn; its page says why and where to go instead.",
                status=410,
                content_type="text/plain; charset=utf-8",
            )
        raise Http404("No such provision.")
    # Not "provision": the sharing tags would describe this page as the provision itself.
    context = {"subject": found, "instrument_of": found.instrument}
    try:
        start, end = days_asked(request.GET, found.public_texts)
    except BadDates as error:
        context["error"] = str(error)
        return render(request, "comparisons/provision_changes.html", context, status=400)
    # The page is cached under the dates asked for (a date left out means the default).
    asked = {"from": start, "to": end}
    understood(request, QueryDict("&".join(f"{k}={asked[k]}" for k in asked if request.GET.get(k))))
    comparisons = compare(found.public_texts, start, end)
    context |= {
        "start": start,
        "end": end,
        "comparisons": comparisons,
        "any_change": any(c.changed for c in comparisons),
    }
    return render(request, "comparisons/provision_changes.html", context)


provision_changes = require_safe(cached_page(provision_changes_page, params=("from", "to")))
