"""The matrix: one selector that turns a comparison and a filter into rows × columns of cells.

Everything is read in a fixed number of queries (comparison, taxonomy, silences, provisions);
the templates only walk the plain objects built here and never query.
"""

import datetime
from dataclasses import dataclass, field
from urllib.parse import quote_plus

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat

from comparisons.matrix.filters import (
    DEFAULT_BADGES,
    FacetRow,
    Facets,
    ProvisionFilter,
    apply_facets,
)
from comparisons.matrix.legend import STATE_KEYS, TREATMENT_KEYS, Key
from comparisons.models import Comparison, ComparisonColumn
from comparisons.web.headline import editor_choices, lead_first
from provisions.models import (
    Condition,
    Headline,
    Instrument,
    Jurisdiction,
    Provision,
    Silence,
    StatusBadge,
    Treatment,
)
from provisions.models.provisions import badge_words
from provisions.queries import public_silences

CELL_CAP = 6  # provisions shown in one cell before "and N more"
# Wider than this, a matrix is read at a glance: fewer provisions per cell, citation and badges
# only (the summary is a click away). 50 columns at the full cap made a 2 MB page.
WIDE_COLUMNS = 6
WIDE_CELL_CAP = 2


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
    treatment_label: str
    conditions: list[str]  # every condition, in order (the downloads)
    applies_if: list[str] = field(default_factory=list)  # needed for the treatment
    lost_if: list[str] = field(default_factory=list)  # take the treatment away
    # Covers open and closed models alike (a ban, when a law applies): never a cell's headline.
    regardless: bool = False


@dataclass
class Glance:
    """One treatment in a summary cell: how many of the cell's provisions take it."""

    treatment: str
    label: str
    count: int
    symbol: str


@dataclass
class Cell:
    id: str
    jurisdiction: Jurisdiction
    entries: list[Entry] = field(default_factory=list)
    # Beyond the cap: not on screen ("and N more"), but on paper, which has no links to follow.
    print_entries: list[Entry] = field(default_factory=list)
    more: int = 0
    more_url: str = ""
    hidden: int = 0  # provisions here that the filters (text and date included) hide
    hidden_ended: int = 0  # of which no longer in force on the day
    hidden_later: int = 0  # of which not yet proposed or adopted on the day
    show_ended_url: str = ""
    glance: list[Glance] = field(default_factory=list)
    # Every published finding of silence that covers this empty cell, one per text reviewed.
    silences: list[Silence] = field(default_factory=list)

    @property
    def silence(self) -> Silence | None:
        """The latest finding, for readers that show one (the downloads)."""
        return self.silences[0] if self.silences else None

    @property
    def total(self) -> int:
        return len(self.entries) + self.more

    @property
    def headline(self) -> Key:
        """The one answer the cell leads with (comparisons/web/headline.py): its first
        provision's treatment, or the state of a cell without one."""
        if not self.entries:
            return self.state_key
        lead = self.entries[0]
        if lead.regardless:
            return STATE_KEYS["regardless"]
        return TREATMENT_KEYS[lead.provision.treatment]

    @property
    def lead(self) -> "Entry | None":
        """The provision the headline comes from (None: a state, or only rules that apply
        regardless of openness)."""
        if self.entries and not self.entries[0].regardless:
            return self.entries[0]
        return None

    @property
    def others(self) -> int:
        """The cell's provisions besides the one that leads."""
        return sum(item.count for item in self.glance) - 1 if self.glance else 0

    @property
    def state(self) -> str:
        """Why the cell reads as it does: one of CELL_STATES."""
        if self.entries:
            return "provisions"
        if self.hidden and self.hidden == self.hidden_later:
            return "later"
        if self.hidden and self.hidden == self.hidden_ended:
            return "ended"
        if self.hidden:
            return "filtered"
        if self.silence:
            return "silent"
        return "unreviewed"

    @property
    def state_key(self):
        """The legend's symbol and words for an empty cell (None when it shows provisions)."""
        return STATE_KEYS.get(self.state)


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
    compact: bool = False

    shown_pks: frozenset = frozenset()

    @property
    def provision_count(self) -> int:
        """The provisions in the cells shown: not those of columns or rows left out."""
        return len(self.shown_pks)


def badge_label(badge: str, date) -> str:
    """The words of a badge printed with its date (provisions.models.provisions.badge_words)."""
    return badge_words(badge, date, dated=True)


class EntryWords:
    """What many of a matrix's entries share, worked out once per matrix: the wide matrix lists
    a thousand provisions from a few dozen jurisdictions with a dozen distinct badges, and a
    ``reverse()`` and a translated badge per provision were a fifth of its build."""

    # Slugs the URL pattern accepts, as the instrument's and the provision's: the model's own
    # URL is reversed once per jurisdiction with these, and each provision's made by putting
    # its slugs in their place (the last "-" and "_": after them the URL holds only "/").
    INSTRUMENT, PROVISION = "-", "_"

    def __init__(self):
        self.urls: dict[int, tuple[str, str, str]] = {}
        self.badges: dict[tuple, str] = {}

    def url(self, provision: Provision) -> str:
        """``provision.get_absolute_url()``."""
        instrument = provision.instrument
        parts = self.urls.get(instrument.jurisdiction_id)
        if parts is None:
            sample = Provision(
                instrument=Instrument(jurisdiction=instrument.jurisdiction, slug=self.INSTRUMENT),
                slug=self.PROVISION,
            )
            head, _, end = sample.get_absolute_url().rpartition(self.PROVISION)
            start, _, middle = head.rpartition(self.INSTRUMENT)
            parts = self.urls[instrument.jurisdiction_id] = (start, middle, end)
        return f"{parts[0]}{instrument.slug}{parts[1]}{provision.slug}{parts[2]}"

    def badge(self, badge: str, date) -> str:
        key = (badge, date)
        if key not in self.badges:
            self.badges[key] = badge_label(badge, date)
        return self.badges[key]


def entry_for(
    provision: Provision,
    day: datetime.date,
    treatments: dict[str, str],
    words: EntryWords | None = None,
) -> Entry:
    badge, date = provision.status_on(day)
    words = words or EntryWords()
    return Entry(
        provision=provision,
        citation=provision.citation,
        url=words.url(provision),
        badge=badge,
        badge_label=words.badge(badge, date),
        badge_date=date,
        # Not provision.get_treatment_display(): it rebuilds and translates every choice on
        # each call, which was a quarter of a 600-cell matrix's render time.
        treatment_label=treatments.get(provision.treatment, provision.treatment),
        **conditions_by_polarity(provision.tagged_conditions),
        regardless=provision.headline == Headline.REGARDLESS,
    )


def conditions_by_polarity(tagged: list[str]) -> dict[str, list[str]]:
    """An Entry's conditions from ``tagged_conditions``: all of them, then those the treatment
    needs (applies if) and those that take it away (lost if), each in order."""
    split = [condition.partition(":")[::2] for condition in tagged]
    applies_if, lost_if = Condition.Polarity.APPLIES_IF, Condition.Polarity.LOST_IF
    return {
        "conditions": [name for _, name in split],
        "applies_if": [name for polarity, name in split if polarity == applies_if],
        "lost_if": [name for polarity, name in split if polarity == lost_if],
    }


# The fields ``entry_for`` (Provision.citation, get_absolute_url, status_on), the matrix
# template and the exports read; anything else would be a query per provision.
ENTRY_FIELDS = (
    "slug",
    "label",
    "kind",
    "treatment",
    "headline",
    "summary",
    "applies_from",
    "ceases_on",
    "instrument",
)
ENTRY_INSTRUMENT_FIELDS = (
    "slug",
    "short_title",
    "status",
    "binding",
    "adopted_on",
    "in_force_on",
    "ended_on",
    "jurisdiction",
)


def tagged_conditions() -> ArraySubquery:
    """Per provision, its conditions in order, each as "polarity:name" (a polarity is a slug
    without a colon): one subquery per provision, where one per polarity took three."""
    links = Provision.conditions.through.objects.filter(provision_id=OuterRef("pk"))
    return ArraySubquery(
        links.order_by("condition__order", "condition__name").values(
            tagged=Concat("condition__polarity", Value(":"), "condition__name")
        )
    )


def condition_names() -> ArraySubquery:
    """Per provision, its conditions' names in order (the provision page)."""
    links = Provision.conditions.through.objects.filter(provision_id=OuterRef("pk"))
    return ArraySubquery(
        links.order_by("condition__order", "condition__name").values("condition__name")
    )


def provisions_for_cells(
    pks: set[int], jurisdictions: dict[int, Jurisdiction] | None = None
) -> list[Provision]:
    """The full records of the provisions the cells show (capped, so a bounded number).

    ``jurisdictions`` (by id): those already loaded (the matrix's taxonomy), given to each
    provision's instrument rather than read again, a thousand times, with every provision."""
    # Only what an Entry, the cell and the exports read (citation, URL, badge on the day,
    # treatment, summary): the wide matrix loads a thousand of these, and building model
    # instances of every column was a fifth of its uncached render.
    fields = [*ENTRY_FIELDS, *(f"instrument__{name}" for name in ENTRY_INSTRUMENT_FIELDS)]
    # Unordered: the cells take them by id, in the universe's order (the model's ordering
    # joined and sorted by jurisdiction, instrument and provision for nothing).
    provisions = (
        Provision.objects.filter(pk__in=pks)
        .order_by()
        .annotate(tagged_conditions=tagged_conditions())
    )
    if jurisdictions is None:
        return list(
            provisions.select_related("instrument__jurisdiction").only(
                *fields, "instrument__jurisdiction__code"
            )
        )
    found = list(provisions.select_related("instrument").only(*fields))
    # As select_related would: into the relation's cache (assigning ``instrument.jurisdiction``
    # asks the database routers about each of a thousand pairs).
    cache = Instrument.jurisdiction.field
    for provision in found:
        instrument = provision.instrument
        cache.set_cached_value(instrument, jurisdictions[instrument.jurisdiction_id])
    return found


def cell_id(row_slug: str, code: str) -> str:
    return f"cell-{row_slug}-{code}"


@dataclass
class Layout:
    """What the matrix lays out: its columns (jurisdictions) and its rows (topics or components)."""

    row_key: str  # "topic" or "component": what a row is, and the query key that narrows it
    columns: list[Jurisdiction]
    terms: list  # Topic or Component, in order

    @property
    def column_codes(self) -> set[str]:
        return {j.code for j in self.columns}


def lay_out(comparison: Comparison, filterset: ProvisionFilter) -> Layout:
    """The columns ticked (in the order ticked) or the comparison's; its rows, as filtered."""
    taxonomy = filterset.taxonomy
    row_key = "topic" if comparison.rows == Comparison.Rows.TOPICS else "component"
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
    chosen_terms = filterset.selections()[row_key]
    if chosen_terms:
        terms = [t for t in terms if t.slug in chosen_terms]
    return Layout(row_key=row_key, columns=columns, terms=terms)


@dataclass
class Buckets:
    """Per cell (row slug, jurisdiction code): the provisions shown, and those the filters hid."""

    shown: dict[tuple[str, str], list[int]] = field(default_factory=dict)
    hidden: dict[tuple[str, str], int] = field(default_factory=dict)
    hidden_ended: dict[tuple[str, str], int] = field(default_factory=dict)
    hidden_later: dict[tuple[str, str], int] = field(default_factory=dict)
    treatment_of: dict[int, str] = field(default_factory=dict)


def bucket(universe: list[FacetRow], matching: set[int], layout: Layout) -> Buckets:
    """Sort every provision of the layout's columns into its cells: shown, or hidden and why."""
    buckets = Buckets()
    shown, treatment_of = buckets.shown, buckets.treatment_of
    hidden, hidden_ended, hidden_later = (
        buckets.hidden,
        buckets.hidden_ended,
        buckets.hidden_later,
    )
    column_codes = layout.column_codes
    row_slugs = {t.slug for t in layout.terms}
    by_topic = layout.row_key == "topic"
    for row in universe:
        if row.j not in column_codes:
            continue
        for slug in row_slugs.intersection(row.topic if by_topic else row.component):
            key = (slug, row.j)
            if row.pk in matching:
                shown.setdefault(key, []).append(row.pk)
                treatment_of[row.pk] = row.treatment
            else:
                # Every provision here that is not shown, whatever hid it (a facet, the text,
                # the date): a cell the filters emptied must not read "not yet reviewed".
                hidden[key] = hidden.get(key, 0) + 1
                if not row.existed:
                    hidden_later[key] = hidden_later.get(key, 0) + 1
                elif row.status == StatusBadge.ENDED:
                    hidden_ended[key] = hidden_ended.get(key, 0) + 1
    return buckets


@dataclass(frozen=True)
class Caps:
    """How many provisions a cell lists on screen (``limit``) and on paper (``print_limit``);
    None is every one."""

    limit: int | None
    print_limit: int | None
    compact: bool


def caps_for(layout: Layout, cap: int | None) -> Caps:
    single_cell = len(layout.columns) == 1 and len(layout.terms) == 1
    compact = len(layout.columns) > WIDE_COLUMNS
    if compact and cap is not None:  # None: the downloads, every provision of every cell
        cap = min(cap, WIDE_CELL_CAP)
    limit = None if single_cell else cap
    # Paper has no "and N more" to follow: a narrow matrix loads every provision of its cells
    # for print. A wide one (up to 50 columns, thousands of provisions) keeps the cap and
    # prints where the rest is.
    print_limit = None if not compact else limit
    return Caps(limit=limit, print_limit=print_limit, compact=compact)


def build_matrix(
    comparison: Comparison, filterset: ProvisionFilter, *, path: str, cap: int = CELL_CAP
) -> Matrix:
    """Lay out the provisions that pass ``filterset`` in ``comparison``'s rows and columns."""
    layout = lay_out(comparison, filterset)
    universe = filterset.universe()
    selections = filterset.selections()
    # With no jurisdiction ticked, the columns are the comparison's: the other facets' counts
    # then count what these columns show (a jurisdiction outside them counts only toward its
    # own option, which would add its column).
    facets = apply_facets(universe, {**selections, "j": selections["j"] or layout.column_codes})
    buckets = bucket(universe, {row.pk for row in facets.matching}, layout)
    marks = editor_choices()
    for key, pks in buckets.shown.items():
        buckets.shown[key] = lead_first(pks, buckets.treatment_of, marks)
    caps = caps_for(layout, cap)
    day = filterset.day
    treatments = {value: str(label) for value, label in Treatment.choices}
    wanted = {pk for pks in buckets.shown.values() for pk in pks[: caps.print_limit]}
    words = EntryWords()
    known = {j.pk: j for j in filterset.taxonomy.jurisdictions}
    entries = {
        p.pk: entry_for(p, day, treatments, words) for p in provisions_for_cells(wanted, known)
    }
    silences = silences_on(layout.columns, day)
    links = CellLinks(path, filterset, layout.row_key)
    rows = [
        Row(
            slug=term.slug,
            name=term.name,
            question=getattr(term, "question", "") or "",
            cells=[
                make_cell(
                    term, jurisdiction, layout, buckets, caps, entries, treatments, silences, links
                )
                for jurisdiction in layout.columns
            ],
        )
        for term in layout.terms
    ]
    return Matrix(
        comparison=comparison,
        rows_are=comparison.rows,
        columns=layout.columns,
        rows=rows,
        day=day,
        facets=facets,
        compact=caps.compact,
        shown_pks=frozenset(pk for pks in buckets.shown.values() for pk in pks),
    )


def make_cell(term, jurisdiction, layout, buckets, caps, entries, treatments, silences, links):
    """One cell: its entries up to the cap, what the filters hid, its links and its silences."""
    key = (term.slug, jurisdiction.code)
    pks = buckets.shown.get(key, [])
    limit, print_limit = caps.limit, caps.print_limit
    cell = Cell(
        id=cell_id(term.slug, jurisdiction.code),
        jurisdiction=jurisdiction,
        entries=[entries[pk] for pk in pks[:limit]],
        print_entries=([entries[pk] for pk in pks[limit:print_limit]] if limit is not None else []),
        more=len(pks[limit:]) if limit is not None else 0,
        hidden=buckets.hidden.get(key, 0),
        hidden_ended=buckets.hidden_ended.get(key, 0),
        hidden_later=buckets.hidden_later.get(key, 0),
        glance=glance(pks, buckets.treatment_of, treatments),
    )
    if not pks and cell.hidden_ended and cell.state in ("ended", "filtered"):
        cell.show_ended_url = links.show_ended(cell.id)
    if cell.more:
        cell.more_url = links.whole_cell(term.slug, jurisdiction)
    if not pks:
        cell.silences = covering_silences(silences, jurisdiction, layout.row_key, term.pk)
    return cell


# The treatments from the most open-friendly to the least, the order a summary cell lists them.
TREATMENT_ORDER = [
    Treatment.EXEMPTS,
    Treatment.EXEMPTS_CONDITIONALLY,
    Treatment.PROMOTES,
    Treatment.DEFINES,
    Treatment.STUDIES,
    Treatment.REQUIRES,
    Treatment.NO_EXEMPTION,
    Treatment.RESTRICTS,
    Treatment.SILENT,
]
TREATMENT_RANK = {value: rank for rank, value in enumerate(TREATMENT_ORDER)}


def glance(pks: list[int], treatment_of: dict[int, str], labels: dict[str, str]) -> list[Glance]:
    """The treatments a cell's provisions take (every provision, not only those on screen)."""
    counts: dict[str, int] = {}
    for pk in pks:
        counts[treatment_of[pk]] = counts.get(treatment_of[pk], 0) + 1
    return [
        Glance(
            treatment=value,
            label=labels.get(value, value),
            count=count,
            symbol=TREATMENT_KEYS[value].symbol if value in TREATMENT_KEYS else "•",
        )
        for value, count in sorted(counts.items(), key=lambda item: TREATMENT_RANK.get(item[0], 99))
    ]


def silences_on(columns: list[Jurisdiction], day: datetime.date) -> list[Silence]:
    """The published findings of silence about these columns that speak to ``day`` (1 query)."""
    silences = (
        public_silences()
        .filter(jurisdiction__in=[j.pk for j in columns])
        .annotate(
            component_ids=ArraySubquery(
                Silence.components.through.objects.filter(silence_id=OuterRef("pk")).values(
                    "component_id"
                )
            ),
            # When the texts it reviewed first existed: a finding about orders of 2025 says
            # nothing about the law of 2024.
            texts_from=Subquery(
                Instrument.objects.filter(silences=OuterRef("pk"))
                .annotate(start=Coalesce("adopted_on", "proposed_on"))
                .order_by(F("start").asc(nulls_last=True))
                .values("start")[:1]
            ),
        )
        .order_by("-reviewed_on", "pk")
    )
    return [s for s in silences if silence_applies_on(s, day)]


def silence_applies_on(silence: Silence, day: datetime.date) -> bool:
    start = silence.texts_from or silence.period_start
    return start is None or start <= day


def covering_silences(silences, jurisdiction, row_key, term_id) -> list[Silence]:
    """The findings of silence for this jurisdiction and row: those naming the row first, then
    those covering every row; the latest review first within each. Findings are per text, so a
    cell lists each text that was read and found silent."""
    named, blanket = [], []
    for silence in silences:
        if silence.jurisdiction_id != jurisdiction.pk:
            continue
        ids = silence.topic_ids if row_key == "topic" else silence.component_ids
        if term_id in ids:
            named.append(silence)
        elif not ids:
            blanket.append(silence)
    return named + blanket


class CellLinks:
    """The URLs a cell links to: the same filters, changed for that one cell.

    Built from the filters' valid values only (``cleaned_query``), once per matrix."""

    # Stand-ins for a cell's jurisdiction and row in a query string encoded once per matrix: no
    # valid value holds a NUL (the text filter refuses it), so "%00" appears nowhere else.
    COLUMN, ROW = "\x00j", "\x00r"

    def __init__(self, path: str, filterset: ProvisionFilter, row_key: str):
        self.path = path
        self.query = filterset.cleaned_query()
        self.row_key = row_key
        self._whole_cell_query: str | None = None

    def show_ended(self, anchor: str) -> str:
        """The same matrix with ended provisions shown too, back at this cell."""
        query = self.query.copy()
        statuses = query.getlist("status") or sorted(DEFAULT_BADGES)
        query.setlist("status", [*statuses, StatusBadge.ENDED])
        return f"{self.path}?{query.urlencode()}#{anchor}"

    def whole_cell(self, slug: str, jurisdiction) -> str:
        """The same filters, narrowed to one cell: every provision there, uncapped.

        Hundreds of cells link so in a wide matrix: the query is encoded once, with stand-ins
        for the cell's two values (an encoding of its own per cell was a tenth of the build)."""
        if self._whole_cell_query is None:
            query = self.query.copy()
            query.setlist("j", [self.COLUMN])
            query.setlist(self.row_key, [self.ROW])
            self._whole_cell_query = query.urlencode()
        encoded = self._whole_cell_query.replace(
            quote_plus(self.COLUMN), quote_plus(jurisdiction.code)
        ).replace(quote_plus(self.ROW), quote_plus(slug))
        return f"{self.path}?{encoded}#{cell_id(slug, jurisdiction.code)}"
