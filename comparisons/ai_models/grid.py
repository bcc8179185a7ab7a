"""Which models does the law treat as open? Loads profiles and conditions, evaluates every pair.

Three queries whatever the number of models or provisions: the published profiles, their
sources (prefetched), and every condition of a public provision with the texts that impose them.
The evaluation itself is ``provisions.openness`` (pure functions); this module only loads, groups
into columns (one per provision that sets conditions, by jurisdiction) and rows (one per model).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Max, Q

from provisions.models import (
    EditorialState,
    Jurisdiction,
    ModelProfile,
    Provision,
)
from provisions.openness import (  # noqa: F401 (DISCLAIMER: re-exported for the views)
    DISCLAIMER,
    Change,
    ModelFacts,
    Part,
    Rule,
    Ruling,
    Verdict,
    changes,
    evaluate,
    rule_jurisdiction,
)
from provisions.queries import public_requirements

PUBLISHED = EditorialState.PUBLISHED


@dataclass
class Column:
    """A provision that sets openness conditions, with its conditions as rules."""

    provision: Provision
    rules: list[Rule] = field(default_factory=list)

    @property
    def key(self) -> str:
        return f"p{self.provision.pk}"

    @property
    def jurisdiction(self) -> Jurisdiction:
        return self.provision.instrument.jurisdiction

    @property
    def part(self) -> Part:
        """The provision as the jurisdiction's answer needs it: conditions, dates, standing."""
        provision, instrument = self.provision, self.provision.instrument
        return Part(
            citation=provision.citation,
            treatment=provision.treatment,
            rules=tuple(self.rules),
            url=provision.get_absolute_url(),
            applies_from=provision.applies_from,
            ends_on=provision.ceases_on,
            status=instrument.status,
            adopted_on=instrument.adopted_on,
            binding=instrument.binding,
            in_force_on=instrument.in_force_on,
            instrument_ended_on=instrument.ended_on,
            grace_placed_before=provision.transition_placed_before,
            grace_until=provision.transition_until,
            grace_cited=provision.transition_cited,
            anchor=self.key,
        )


@dataclass
class Cell:
    column: Column
    verdict: Verdict

    @property
    def label(self) -> str:
        return self.verdict.label(self.column.provision.treatment)

    @property
    def style(self) -> str:
        return self.verdict.style(self.column.provision.treatment)


@dataclass
class Row:
    profile: ModelProfile
    facts: ModelFacts
    cells: list[Cell]

    def cell(self, key: str) -> Cell | None:
        return next((c for c in self.cells if c.column.key == key), None)


def load_columns(provision_id: int | None = None) -> list[Column]:
    """Every public provision with conditions, by jurisdiction and instrument order (1 query)."""
    requirements = (
        public_requirements()
        .select_related(
            "provision__instrument__jurisdiction", "imposed_by__instrument__jurisdiction"
        )
        .order_by(
            "provision__instrument__jurisdiction__order",
            "provision__instrument__jurisdiction__name",
            "provision__instrument__adopted_on",
            "provision__instrument_id",
            "provision__order",
            "provision_id",
            "order",
            "pk",
        )
    )
    if provision_id is not None:
        requirements = requirements.filter(provision_id=provision_id)
    columns: dict[int, Column] = {}
    for requirement in requirements:
        column = columns.setdefault(requirement.provision_id, Column(requirement.provision))
        column.rules.append(Rule.from_requirement(requirement))
    return list(columns.values())


def evaluate_profile(profile: ModelProfile, columns: list[Column]) -> Row:
    facts = ModelFacts.from_profile(profile)
    cells = []
    for column in columns:
        verdict = evaluate(facts, column.rules)
        if verdict is not None:
            cells.append(Cell(column, verdict))
    return Row(profile, facts, cells)


def rulings(
    facts: ModelFacts, columns: list[Column], on: datetime.date
) -> list[tuple[Jurisdiction, Ruling]]:
    """One answer per jurisdiction with conditions, in the columns' order."""
    return [
        (jurisdiction, rule_jurisdiction(facts, [c.part for c in group], on))
        for jurisdiction, group in by_jurisdiction(columns)
    ]


def verdict_changes(
    facts: ModelFacts, columns: list[Column], since: datetime.date
) -> list[tuple[Jurisdiction, Change]]:
    """Every day after ``since`` on which a jurisdiction's answer changes, by date."""
    found = [
        (jurisdiction, change)
        for jurisdiction, group in by_jurisdiction(columns)
        for change in changes(facts, [c.part for c in group], since)
    ]
    return sorted(found, key=lambda pair: pair[1].on)


def build_rows(profiles, columns: list[Column]) -> list[Row]:
    return [evaluate_profile(p, columns) for p in profiles]


def facts_checked_on(profiles) -> datetime.date | None:
    """The latest day any of these profiles was checked (pages show the facts' date)."""
    days = [p.checked_on for p in profiles if p.checked_on]
    return max(days) if days else None


def latest_check() -> datetime.date | None:
    return ModelProfile.objects.published().aggregate(day=Max("checked_on"))["day"]


def jurisdictions_without_conditions(columns: list[Column]):
    """Top-level jurisdictions where no public provision sets conditions a model can meet."""
    covered = {c.jurisdiction.pk for c in columns}
    covered |= {c.jurisdiction.parent_id for c in columns if c.jurisdiction.parent_id}
    return list(Jurisdiction.objects.filter(~Q(pk__in=covered), parent__isnull=True))


def jurisdictions_without_data(columns: list[Column]):
    """Every jurisdiction, federal and state levels each on their own, where no public provision
    sets conditions a model can be checked against: each says so in one line. Reference texts
    (kind "international", e.g. the OSI's definition) are not law and get no line."""
    covered = {c.jurisdiction.pk for c in columns}
    return list(
        Jurisdiction.objects.exclude(pk__in=covered)
        .exclude(kind="international")
        .order_by("order", "name")
    )


def by_jurisdiction(columns: list[Column]) -> list[tuple[Jurisdiction, list[Column]]]:
    groups: dict[int, tuple[Jurisdiction, list[Column]]] = {}
    for column in columns:
        groups.setdefault(column.jurisdiction.pk, (column.jurisdiction, []))[1].append(column)
    return list(groups.values())
