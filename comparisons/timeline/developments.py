"""Legal developments: the dated steps in the legal lives of published instruments, across
jurisdictions, for the timeline page, its Atom feed and the jurisdiction profiles.

These are events in the law (proposed, adopted, in force, applies, ended, amended, rulings,
guidance issued), not our edits to the atlas: those are ``comparisons.timeline.changes`` and the
"What changed" feed.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch

from provisions.models import (
    DatePrecision,
    EditorialState,
    Instrument,
    InstrumentEvent,
    Provision,
    Verification,
)

PUBLISHED = EditorialState.PUBLISHED


@dataclass(frozen=True)
class Development:
    """One dated step of one instrument."""

    date: datetime.date
    precision: str
    description: str
    instrument: Instrument
    source_url: str
    verification: str
    # The event's own record (its feed id), or the instrument's date field it comes from.
    key: str

    @property
    def jurisdiction(self):
        return self.instrument.jurisdiction


def instrument_dates(instrument: Instrument, event_days: set) -> list[tuple]:
    """The instrument's own dates that no recorded event already tells (an event on the same
    day says more and has its own source)."""
    ended = instrument.get_status_display() if instrument.ended_on else ""
    candidates = (
        ("proposed", instrument.proposed_on, "Proposed", DatePrecision.DAY),
        ("adopted", instrument.adopted_on, "Adopted or issued", instrument.adopted_on_precision),
        ("in-force", instrument.in_force_on, "In force", DatePrecision.DAY),
        ("ended", instrument.ended_on, ended, DatePrecision.DAY),
    )
    return [(name, day, text, precision) for name, day, text, precision in candidates if day]


def developments(codes: list[str] | None = None, topic: str | None = None) -> list[Development]:
    """Every legal development of the published instruments, oldest first, in two queries
    whatever the number of instruments: the instruments (with their jurisdictions), then
    their events.

    ``codes``: only these jurisdictions (and their sub-jurisdictions: New York under the US).
    ``topic``: only instruments with a published provision on that policy question.
    """
    instruments = Instrument.objects.published().select_related("jurisdiction")
    if codes:
        instruments = instruments.filter(jurisdiction__code__in=codes) | instruments.filter(
            jurisdiction__parent__code__in=codes
        )
    if topic:
        instruments = instruments.filter(
            Exists(
                Provision.objects.published().filter(instrument=OuterRef("pk"), topics__slug=topic)
            )
        )
    return developments_of(instruments.prefetch_related(events_in_order()))


def events_in_order() -> Prefetch:
    return Prefetch("events", InstrumentEvent.objects.order_by("date", "pk"))


def developments_of(instruments) -> list[Development]:
    """The developments of these instruments (their ``events`` prefetched with
    ``events_in_order()`` and their jurisdiction loaded), oldest first."""
    items: list[Development] = []
    for instrument in instruments:
        events = list(instrument.events.all())
        for event in events:
            items.append(
                Development(
                    event.date,
                    event.date_precision,
                    event.description,
                    instrument,
                    event.source_url,
                    event.verification,
                    f"event-{event.pk}",
                )
            )
        days = {event.date for event in events}
        for name, day, text, precision in instrument_dates(instrument, days):
            if day in days:
                continue
            items.append(
                Development(
                    day,
                    precision,
                    text,
                    instrument,
                    instrument.source_url,
                    instrument.verification or Verification.UNVERIFIED,
                    f"instrument-{instrument.pk}-{name}",
                )
            )
    # Same day: by jurisdiction, then instrument, so the order never depends on the database.
    items.sort(key=lambda d: (d.date, d.jurisdiction.order, d.instrument.short_title, d.key))
    return items
