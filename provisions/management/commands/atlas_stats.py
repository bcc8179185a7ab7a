"""Counts of the curated dataset, per jurisdiction and editorial state, and overall totals."""

from django.apps import apps
from django.core.management import BaseCommand
from django.db.models import Count, Min, Q

from provisions.models import (
    Argument,
    Component,
    Condition,
    EarlierLabel,
    EditorialState,
    Instrument,
    InstrumentEvent,
    InstrumentRelation,
    Jurisdiction,
    Provision,
    ProvisionText,
    Silence,
    Source,
    Topic,
    Verification,
)
from provisions.models.texts import LegalValue

# The binding instruments that the December 2026 fact bases read in a faithful copy or better:
# each must be published with a finding (a public provision or a published finding of silence).
BINDING_READ_IN_DECEMBER = (
    ("cn", "algorithmic-recommendation"),
    ("cn", "deep-synthesis"),
    ("cn", "genai-interim-measures"),
    ("cn", "cybersecurity-law-2025-amendment"),
    ("cn", "anthropomorphic-interaction-measures"),
    ("cn", "network-data-security-regulations"),
    ("cn", "cybersecurity-review-measures"),
    ("eu", "cyber-resilience-act"),
    ("us", "ai-diffusion-rule"),
    ("us", "eo-14110"),
    ("us", "eo-14365"),
    ("us", "eo-14409"),
    ("us", "eo-14320"),
    ("jp", "ai-promotion-act"),
    ("ca", "directive-automated-decision-making"),
)
LEGAL_VALUES = list(LegalValue.values)
STATES = list(EditorialState.values)
LEVELS = list(Verification.values)


def by_jurisdiction_and_state(queryset, jurisdiction_field: str) -> dict:
    """{jurisdiction_id: {state: count}} in one grouped query."""
    counts: dict = {}
    rows = queryset.values(jurisdiction_field, "state").annotate(n=Count("pk"))
    for row in rows:
        counts.setdefault(row[jurisdiction_field], {})[row["state"]] = row["n"]
    return counts


def by_state(queryset) -> dict:
    return dict(queryset.values_list("state").annotate(n=Count("pk")).values_list("state", "n"))


def cell(counts: dict, keys=STATES) -> str:
    total = sum(counts.values())
    parts = ", ".join(f"{counts[s]} {s}" for s in keys if counts.get(s))
    return f"{total} ({parts})" if parts else "0"


def texts_by_legal_value(jurisdiction_field: str) -> dict:
    """{jurisdiction_id: {legal value: count}} of published texts, in one query."""
    counts: dict = {}
    rows = ProvisionText.objects.public().values(jurisdiction_field, "legal_value")
    for row in rows.annotate(n=Count("pk")):
        counts.setdefault(row[jurisdiction_field], {})[row["legal_value"]] = row["n"]
    return counts


def oldest_dates(field: str) -> dict:
    """{jurisdiction_id: the oldest ``field`` day} over the published records of each kind."""
    oldest: dict = {}
    for model, path in (
        (Instrument, "jurisdiction"),
        (Provision, "instrument__jurisdiction"),
        (Silence, "jurisdiction"),
        (ProvisionText, "provision__instrument__jurisdiction"),
    ):
        rows = model.objects.published().exclude(**{field: None}).values(path)
        for row in rows.annotate(day=Min(field)):
            day = oldest.get(row[path])
            oldest[row[path]] = row["day"] if day is None else min(day, row["day"])
    return oldest


def binding_without_finding() -> list[str]:
    """Binding instruments read in December that are missing, unpublished or without a finding
    graded official (read in the official publication or a faithful copy of it)."""
    missing = []
    for code, slug in BINDING_READ_IN_DECEMBER:
        instrument = Instrument.objects.published().filter(jurisdiction__code=code, slug=slug)
        # The finding itself rests on the copy read: official or a faithful copy of it.
        official = Verification.OFFICIAL
        found = instrument.filter(
            Q(provisions__state=EditorialState.PUBLISHED, provisions__verification=official)
            | Q(silences__state=EditorialState.PUBLISHED, silences__verification=official)
        )
        if not found.exists():
            missing.append(f"{code}/{slug}")
    return missing


def by_verification(queryset, jurisdiction_field: str | None = None) -> dict:
    """{verification: count}, or {jurisdiction_id: {verification: count}}, in one query."""
    if jurisdiction_field is None:
        rows = queryset.values_list("verification").annotate(n=Count("pk"))
        return dict(rows.values_list("verification", "n"))
    counts: dict = {}
    for row in queryset.values(jurisdiction_field, "verification").annotate(n=Count("pk")):
        counts.setdefault(row[jurisdiction_field], {})[row["verification"]] = row["n"]
    return counts


class Command(BaseCommand):
    help = (
        "Print how much of the atlas is loaded: per jurisdiction and editorial state, and totals."
    )

    def handle(self, *args, **options):
        tables = {
            "instruments": by_jurisdiction_and_state(Instrument.objects, "jurisdiction"),
            "provisions": by_jurisdiction_and_state(Provision.objects, "instrument__jurisdiction"),
            "silences": by_jurisdiction_and_state(Silence.objects, "jurisdiction"),
        }
        levels = {
            "instruments": by_verification(Instrument.objects, "jurisdiction"),
            "provisions": by_verification(Provision.objects, "instrument__jurisdiction"),
            "silences": by_verification(Silence.objects, "jurisdiction"),
        }
        texts = texts_by_legal_value("provision__instrument__jurisdiction")
        oldest_checked = oldest_dates("checked_on")
        # Entered but never checked on its own: the records that say "entered on".
        oldest_entered = {}
        for model, path in (
            (Instrument, "jurisdiction"),
            (Provision, "instrument__jurisdiction"),
        ):
            rows = model.objects.published().filter(checked_on=None).values(path)
            for row in rows.annotate(day=Min("entered_on")):
                day = oldest_entered.get(row[path])
                oldest_entered[row[path]] = row["day"] if day is None else min(day, row["day"])
        out = self.stdout
        out.write(
            "Per jurisdiction (total, by editorial state; by verification level; published "
            "texts by legal value; oldest check date):"
        )
        for jurisdiction in Jurisdiction.objects.select_related("parent"):
            name = jurisdiction.code
            if jurisdiction.parent:
                name += f" (part of {jurisdiction.parent.code})"
            out.write(f"  {name}")
            for label, counts in tables.items():
                states = cell(counts.get(jurisdiction.pk, {}))
                graded = cell(levels[label].get(jurisdiction.pk, {}), LEVELS)
                out.write(f"    {label:<12} {states}; {graded}")
            out.write(f"    {'texts':<12} {cell(texts.get(jurisdiction.pk, {}), LEGAL_VALUES)}")
            checked = oldest_checked.get(jurisdiction.pk)
            entered = oldest_entered.get(jurisdiction.pk)
            out.write(
                f"    {'oldest check':<12} {checked or 'none recorded'}"
                + (f"; oldest entry without a check {entered}" if entered else "")
            )
        out.write("Totals:")
        for label, counts in tables.items():
            merged: dict = {}
            for per_state in counts.values():
                for state, n in per_state.items():
                    merged[state] = merged.get(state, 0) + n
            out.write(f"  {label:<16} {cell(merged)}")
        # The public atlas's curated matrices, by name: the data layer imports no public app.
        for label, model in [
            ("arguments", Argument),
            ("comparisons", apps.get_model("comparisons", "Comparison")),
        ]:
            out.write(f"  {label:<16} {cell(by_state(model.objects))}")
        for label, model in [
            ("sources", Source),
            ("topics", Topic),
            ("components", Component),
            ("conditions", Condition),
            ("earlier labels", EarlierLabel),
        ]:
            out.write(f"  {label:<16} {model.objects.count()}")
        out.write("By verification level (every record, whatever its editorial state):")
        for label, model in [
            ("instruments", Instrument),
            ("provisions", Provision),
            ("silences", Silence),
            ("arguments", Argument),
            ("sources", Source),
            ("earlier labels", EarlierLabel),
            ("timeline events", InstrumentEvent),
            ("instrument links", InstrumentRelation),
        ]:
            out.write(f"  {label:<16} {cell(by_verification(model.objects), LEVELS)}")
        reviewed = Jurisdiction.objects.with_reviewed_findings().exclude(kind="international")
        out.write("Coverage:")
        out.write(
            f"  jurisdictions with a reviewed finding  {reviewed.count()} "
            f"({', '.join(reviewed.values_list('code', flat=True))})"
        )
        being_reviewed = Jurisdiction.objects.being_reviewed().values_list("code", flat=True)
        out.write(f"  being reviewed                         {', '.join(being_reviewed) or 'none'}")
        out.write(
            f"  published instruments                  {Instrument.objects.published().count()}"
        )
        missing = binding_without_finding()
        out.write(
            f"  binding instruments read in Dec 2026   {len(BINDING_READ_IN_DECEMBER)}, "
            f"{len(BINDING_READ_IN_DECEMBER) - len(missing)} published with a finding"
            + (f"; missing: {', '.join(missing)}" if missing else "")
        )
