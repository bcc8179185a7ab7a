"""Withdrawn records keep their URL: it answers 410 Gone, saying what was there and where to go.

A citation in a published report must not break. A record that was public and has been
withdrawn (or a provision whose instrument was withdrawn) answers 410 with a page naming it,
when and why it was withdrawn, and its successor when it has a public one; the API answers the
same in JSON. A record that never existed, or never was public, stays a 404.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from provisions.models import Argument, EditorialState, Instrument, Provision

WITHDRAWN = EditorialState.WITHDRAWN
PUBLISHED = EditorialState.PUBLISHED


@dataclass
class Withdrawal:
    """What a reader who follows the old link is told."""

    kind: str  # "provision", "instrument", "argument"
    record: object
    title: str
    summary: str
    withdrawn_on: object
    reason: str
    successor: object | None  # a public record, or None
    # Where to go when there is no successor: the nearest public page.
    fallback_url: str
    fallback_title: str
    # The provision is gone because its instrument was withdrawn.
    with_instrument: bool = False

    @property
    def successor_title(self) -> str:
        return title_of(self.successor) if self.successor else ""

    def as_json(self, request: HttpRequest) -> dict:
        successor = self.successor
        return {
            "detail": f"This {self.kind} was withdrawn.",
            "status": "withdrawn",
            "id": self.record.pk,
            "title": self.title,
            "withdrawn_on": self.withdrawn_on.isoformat() if self.withdrawn_on else None,
            "reason": self.reason,
            "url": request.build_absolute_uri(self.record.get_absolute_url()),
            "successor": (
                {
                    "id": successor.pk,
                    "title": title_of(successor),
                    "url": request.build_absolute_uri(successor.get_absolute_url()),
                    "api_url": request.build_absolute_uri(
                        reverse(f"comparisons:api:{self.kind}-detail", kwargs={"pk": successor.pk})
                    ),
                }
                if successor
                else None
            ),
        }


def title_of(record) -> str:
    if isinstance(record, Provision):
        return record.citation
    if isinstance(record, Instrument):
        return f"{record.short_title}: {record.title}"
    return record.title


def is_public(record) -> bool:
    if record is None or record.state != PUBLISHED:
        return False
    if isinstance(record, Provision):
        return record.instrument.state == PUBLISHED
    return True


def was_public(record) -> bool:
    """A withdrawn record that was once published (its withdrawal date says so, or its history).

    One set to "withdrawn" straight from draft was abandoned, never public: it stays a 404.
    """
    return (
        record.withdrawn_on is not None
        or type(record).history.filter(id=record.pk, state=PUBLISHED).exists()
    )


def provision_withdrawal(provision: Provision | None) -> Withdrawal | None:
    if provision is None:
        return None
    instrument = provision.instrument
    jurisdiction = instrument.jurisdiction
    if provision.state == WITHDRAWN:
        cause, with_instrument = provision, False
    elif provision.state == PUBLISHED and instrument.state == WITHDRAWN:
        cause, with_instrument = instrument, True
    else:
        return None
    if not was_public(cause):
        return None
    successor = public_successor(provision)
    if successor is None and with_instrument:
        successor = public_successor(instrument)
    if instrument.state == PUBLISHED:
        fallback = (instrument.get_absolute_url(), title_of(instrument))
    else:
        fallback = (jurisdiction.get_absolute_url(), jurisdiction.name)
    return _withdrawal(
        "provision", provision, cause, successor, fallback, with_instrument=with_instrument
    )


def instrument_withdrawal(instrument: Instrument | None) -> Withdrawal | None:
    if not _withdrawn_public(instrument):
        return None
    jurisdiction = instrument.jurisdiction
    fallback = (jurisdiction.get_absolute_url(), jurisdiction.name)
    return _withdrawal("instrument", instrument, instrument, public_successor(instrument), fallback)


def argument_withdrawal(argument: Argument | None) -> Withdrawal | None:
    if not _withdrawn_public(argument):
        return None
    fallback = (reverse("comparisons:arguments"), "All arguments")
    return _withdrawal("argument", argument, argument, public_successor(argument), fallback)


def _withdrawn_public(record) -> bool:
    return record is not None and record.state == WITHDRAWN and was_public(record)


def public_successor(record):
    return record.successor if is_public(record.successor) else None


def _withdrawal(kind, record, cause, successor, fallback, *, with_instrument=False) -> Withdrawal:
    """``record`` is gone because ``cause`` (itself, or a provision's instrument) was withdrawn."""
    return Withdrawal(
        kind=kind,
        record=record,
        title=title_of(record),
        summary=record.summary,
        withdrawn_on=cause.withdrawn_on,
        reason=cause.withdrawal_reason,
        successor=successor,
        fallback_url=fallback[0],
        fallback_title=fallback[1],
        with_instrument=with_instrument,
    )


PROVISION_LOADING = (
    "instrument__jurisdiction",
    "instrument__successor__jurisdiction",
    "successor__instrument__jurisdiction",
)
INSTRUMENT_LOADING = ("jurisdiction", "successor__jurisdiction")


def find_provision(jurisdiction: str, instrument: str, slug: str) -> Withdrawal | None:
    """The withdrawal at this address: the provision's current slug, or an earlier label's."""
    place = {"instrument__jurisdiction__code": jurisdiction, "instrument__slug": instrument}
    found = Provision.objects.filter(**place, slug=slug).select_related(*PROVISION_LOADING).first()
    if found is None:
        found = (
            Provision.objects.filter(**place, earlier_labels__slug=slug)
            .select_related(*PROVISION_LOADING)
            .first()
        )
    return provision_withdrawal(found)


def find_instrument(jurisdiction: str, slug: str) -> Withdrawal | None:
    return instrument_withdrawal(
        Instrument.objects.filter(jurisdiction__code=jurisdiction, slug=slug)
        .select_related(*INSTRUMENT_LOADING)
        .first()
    )


def find_argument(slug: str) -> Withdrawal | None:
    return argument_withdrawal(
        Argument.objects.filter(slug=slug).select_related("successor").first()
    )


def find_by_pk(model, pk) -> Withdrawal | None:
    """The withdrawal of the ``model`` record with this id, for the API (None if not withdrawn)."""
    finders = {
        Provision: (provision_withdrawal, PROVISION_LOADING),
        Instrument: (instrument_withdrawal, INSTRUMENT_LOADING),
        Argument: (argument_withdrawal, ("successor",)),
    }
    if model not in finders:
        return None
    build, loading = finders[model]
    try:
        record = model.objects.filter(pk=pk).select_related(*loading).first()
    except (ValueError, TypeError, ValidationError):
        return None
    return build(record)
