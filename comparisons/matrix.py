"""The matrix: one selector that turns a comparison and a filter into rows × columns of cells.

Everything is read in a fixed number of queries (comparison, taxonomy, silences, provisions);
the templates only walk the plain objects built here and never query.
"""

import datetime
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from comparisons.filters import Facets, ProvisionFilter, apply_facets, facet_values
from comparisons.models import Comparison, ComparisonColumn
from provisions.models import Jurisdiction, Provision, Silence, StatusBadge

CELL_CAP = 6  # provisions shown in one cell before "and N more"


def comparisons_with_layout():
    """Published comparisons with their column and row ids, ready for ``build_matrix``."""
    return Comparison.objects.published().annotate(
        column_ids=ArraySubquery(
            ComparisonColumn.objects.filter(comparison_id=OuterRef("pk"))
            .order_by("order", "pk")
            .values("jurisdiction_id")
        ),
        topic_ids=ArraySubquery(
            Comparison.topics.through.objects.filter(comparison_id=OuterRef("pk")).values(
                "topic_id"
            )
        ),
        component_ids=ArraySubquery(
            Comparison.components.through.objects.filter(comparison_id=OuterRef("pk")).values(
                "component_id"
            )
        ),
    )


@dataclass
class Entry:
    """A provision as a cell shows it."""

    provision: Provision
    citation: str
    url: str
    badge: str
    badge_label: str
    badge_date: datetime.date | None
    conditions: list[str]


@dataclass
class Cell:
    id: str
    jurisdiction: Jurisdiction
    entries: list[Entry] = field(default_factory=list)
    more: int = 0
    more_url: str = ""
    hidden: int = 0  # provisions here that the filters hide
    silence: Silence | None = None

    @property
    def total(self) -> int:
        return len(self.entries) + self.more


@dataclass
class Row:
    slug: str
    name: str
    question: str
    cells: list[Cell]


@dataclass
class Matrix:
    comparison: Comparison
    rows_are: str
    columns: list[Jurisdiction]
    rows: list[Row]
    day: datetime.date
    facets: Facets

    @property
    def provision_count(self) -> int:
        return len(self.facets.matching)


BADGE_LABELS = {
    StatusBadge.IN_FORCE: "In force",
    StatusBadge.APPLIES_LATER: "Applies from",
    StatusBadge.ENDED: "Ended",
    StatusBadge.PROPOSAL: "Proposal",
    StatusBadge.NON_BINDING: "Non-binding",
}


def entry_for(provision: Provision, day: datetime.date) -> Entry:
    badge, date = provision.status_on(day)
    return Entry(
        provision=provision,
        citation=provision.citation,
        url=provision.get_absolute_url(),
        badge=badge,
        badge_label=BADGE_LABELS.get(badge, StatusBadge(badge).label),
        badge_date=date,
        conditions=list(provision.condition_names),
    )


def cell_id(row_slug: str, code: str) -> str:
    return f"cell-{row_slug}-{code}"


def build_matrix(
    comparison: Comparison, filterset: ProvisionFilter, *, path: str, cap: int = CELL_CAP
) -> Matrix:
    """Lay out the provisions that pass ``filterset`` in ``comparison``'s rows and columns."""
    taxonomy = filterset.taxonomy
    selections = filterset.selections()
    rows_are = comparison.rows
    row_key = "topic" if rows_are == Comparison.Rows.TOPICS else "component"

    by_id = {j.pk: j for j in taxonomy.jurisdictions}
    by_code = {j.code: j for j in taxonomy.jurisdictions}
    chosen_codes = filterset.value("j")
    if chosen_codes:
        columns = [by_code[code] for code in chosen_codes]
    else:
        columns = [by_id[pk] for pk in comparison.column_ids if pk in by_id]

    terms = taxonomy.topics if row_key == "topic" else taxonomy.components
    wanted_ids = set(comparison.topic_ids if row_key == "topic" else comparison.component_ids)
    terms = [t for t in terms if not wanted_ids or t.pk in wanted_ids]
    if selections[row_key]:
        terms = [t for t in terms if t.slug in selections[row_key]]

    universe = filterset.universe()
    facets = apply_facets(universe, selections)
    matching = {p.pk for p in facets.matching}

    day = filterset.day
    shown: dict[tuple[str, str], list[Provision]] = {}
    hidden: dict[tuple[str, str], int] = {}
    for provision in universe:
        values = facet_values(provision)
        code = provision.instrument.jurisdiction.code
        for slug in values[row_key]:
            key = (slug, code)
            if provision.pk in matching:
                shown.setdefault(key, []).append(provision)
            else:
                hidden[key] = hidden.get(key, 0) + 1

    silences = list(
        Silence.objects.published()
        .filter(jurisdiction__in=[j.pk for j in columns])
        .annotate(
            topic_ids=ArraySubquery(
                Silence.topics.through.objects.filter(silence_id=OuterRef("pk")).values("topic_id")
            ),
            component_ids=ArraySubquery(
                Silence.components.through.objects.filter(silence_id=OuterRef("pk")).values(
                    "component_id"
                )
            ),
        )
        .order_by("-reviewed_on", "pk")
    )

    single_cell = len(columns) == 1 and len(terms) == 1
    rows = []
    for term in terms:
        cells = []
        for jurisdiction in columns:
            key = (term.slug, jurisdiction.code)
            provisions = shown.get(key, [])
            limit = len(provisions) if single_cell else cap
            cell = Cell(
                id=cell_id(term.slug, jurisdiction.code),
                jurisdiction=jurisdiction,
                entries=[entry_for(p, day) for p in provisions[:limit]],
                more=max(0, len(provisions) - limit),
                hidden=hidden.get(key, 0),
            )
            if cell.more:
                cell.more_url = cell_url(path, filterset, row_key, term.slug, jurisdiction)
            if not provisions:
                cell.silence = covering_silence(silences, jurisdiction, row_key, term.pk)
            cells.append(cell)
        rows.append(
            Row(
                slug=term.slug,
                name=term.name,
                question=getattr(term, "question", "") or "",
                cells=cells,
            )
        )
    return Matrix(
        comparison=comparison,
        rows_are=rows_are,
        columns=columns,
        rows=rows,
        day=day,
        facets=facets,
    )


def covering_silence(silences, jurisdiction, row_key, term_id) -> Silence | None:
    """The latest finding of silence for this jurisdiction that covers this row, if any."""
    for silence in silences:
        if silence.jurisdiction_id != jurisdiction.pk:
            continue
        ids = silence.topic_ids if row_key == "topic" else silence.component_ids
        if not ids or term_id in ids:
            return silence
    return None


def cell_url(path: str, filterset: ProvisionFilter, row_key: str, slug: str, jurisdiction) -> str:
    """The same filters, narrowed to one cell: every provision there, uncapped."""
    query = filterset.cleaned_query()
    query.setlist("j", [jurisdiction.code])
    query.setlist(row_key, [slug])
    return f"{path}?{query.urlencode()}#{cell_id(slug, jurisdiction.code)}"
