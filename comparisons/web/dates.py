"""Dates typed into addresses (``?from=2025-01-01&to=2026-12-07``): understood, or refused with
a message that says why (a 400 page), never a 500."""

import datetime


class BadDates(ValueError):
    """The dates asked for cannot be used; the message says why, for the 400 page."""


def parse_day(raw: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise BadDates(
            f"The date “{raw[:40]}” given as “{name}” was not understood: use YYYY-MM-DD, "
            "such as 2025-01-01."
        ) from None


def date_range(
    query, default_from: datetime.date, default_to: datetime.date
) -> tuple[datetime.date, datetime.date]:
    """``from`` and ``to`` from the query, each left out taking its default; raises
    ``BadDates`` for a date not understood or ``from`` after ``to``."""
    raw_from, raw_to = query.get("from", ""), query.get("to", "")
    start = parse_day(raw_from, "from") if raw_from else default_from
    end = parse_day(raw_to, "to") if raw_to else default_to
    if start > end:
        raise BadDates(
            f"“from” ({start.isoformat()}) is after “to” ({end.isoformat()}): give the earlier "
            "date first."
        )
    return start, end
