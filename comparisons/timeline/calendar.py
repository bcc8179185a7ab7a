"""What applies next, as an iCalendar feed (RFC 5545): the dated legal events still ahead —
instruments' events and dates (the timeline's "upcoming") and provisions that begin or cease to
apply — each linking its provision, or its instrument where the event belongs to no one
provision. ``/calendar.ics`` for the atlas, ``/calendar/<jurisdiction>.ics`` for one.

The format is small enough to write here (no runtime dependency): all-day events, text
escaped, lines folded at 75 octets, CRLF. Dates known only to the month or year are left out:
a calendar entry needs a day, and the atlas does not invent one.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from comparisons.timeline.developments import developments
from provisions.models import DatePrecision, Provision


@dataclass(frozen=True)
class Dated:
    """One event still ahead."""

    date: datetime.date
    summary: str
    path: str  # the provision's (or instrument's) page
    uid: str
    jurisdiction_order: int = 0
    jurisdiction: str = ""
    kind: str = ""  # for a provision's date: "begins" or "ceases" to apply


def provision_dates(codes, topic, today: datetime.date, until=None) -> list[Dated]:
    """Public provisions that begin or cease to apply after ``today`` (and by ``until``, if
    given), in one query."""
    until = until or datetime.date.max
    found = (
        Provision.objects.public()
        .filter(
            Q(applies_from__gt=today, applies_from__lte=until)
            | Q(ceases_on__gt=today, ceases_on__lte=until)
        )
        .select_related("instrument__jurisdiction")
        .order_by("pk")
    )
    if codes:
        found = found.filter(
            Q(instrument__jurisdiction__code__in=codes)
            | Q(instrument__jurisdiction__parent__code__in=codes)
        )
    if topic:
        found = found.filter(topics__slug=topic).distinct()
    items = []
    for provision in found:
        order = provision.instrument.jurisdiction.order
        for day, verb, key, kind in (
            (provision.applies_from, "begins to apply", "applies", "begins"),
            (provision.ceases_on, "ceases to apply", "ceases", "ceases"),
        ):
            if day and today < day <= until:
                items.append(
                    Dated(
                        day,
                        f"{provision.citation} {verb}",
                        provision.get_absolute_url(),
                        f"provision-{provision.pk}-{key}",
                        order,
                        provision.instrument.jurisdiction.code,
                        kind,
                    )
                )
    return items


def upcoming(codes, topic, today: datetime.date) -> list[Dated]:
    """Every event still ahead, soonest first (three queries whatever the data's size)."""
    items = [
        Dated(
            d.date,
            f"{d.instrument.short_title}: {d.description}",
            d.instrument.get_absolute_url(),
            d.key,
            d.jurisdiction.order,
        )
        for d in developments(codes, topic)
        if d.date > today and d.precision == DatePrecision.DAY
    ]
    items += provision_dates(codes, topic, today)
    return sorted(items, key=lambda e: (e.date, e.jurisdiction_order, e.summary, e.uid))


def escape(text: str) -> str:
    """RFC 5545 TEXT: backslash, semicolon, comma and line breaks escaped."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return text.replace("\r\n", "\\n").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines of at most 75 octets; a continuation starts with a space (never inside a
    character: UTF-8 sequences stay whole)."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def ics(events: list[Dated], absolute, name: str, host: str, now: datetime.datetime) -> str:
    """The calendar. ``absolute`` makes a path a full URL; ``host`` makes UIDs global."""
    stamp = now.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Openness Atlas//What applies next//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for event in events:
        url = absolute(event.path)
        lines += [
            "BEGIN:VEVENT",
            f"UID:{event.uid}@{host}",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{event.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{event.date + datetime.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape(event.summary)}",
            f"DESCRIPTION:{escape(f'{event.summary}. Details and sources: {url}')}",
            f"URL:{url}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
