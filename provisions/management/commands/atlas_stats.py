"""Counts of the curated dataset, per jurisdiction and editorial state, and overall totals."""

from django.apps import apps
from django.core.management import BaseCommand
from django.db.models import Count

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
    Silence,
    Source,
    Topic,
    Verification,
)

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
        out = self.stdout
        out.write("Per jurisdiction (total, by editorial state; by verification level):")
        for jurisdiction in Jurisdiction.objects.select_related("parent"):
            name = jurisdiction.code
            if jurisdiction.parent:
                name += f" (part of {jurisdiction.parent.code})"
            out.write(f"  {name}")
            for label, counts in tables.items():
                states = cell(counts.get(jurisdiction.pk, {}))
                graded = cell(levels[label].get(jurisdiction.pk, {}), LEVELS)
                out.write(f"    {label:<12} {states}; {graded}")
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
