"""The provision filters: one FilterSet for the matrix, the JSON API and the exports.

Every query string is hostile. A value we do not know (a jurisdiction code that does not exist,
a misspelt treatment) is dropped and reported in ``messages``; the other values still apply.
A value we cannot read at all (a bad date, an over-long text) makes that one filter inactive,
also with a message. Nothing here raises on bad input.

The legal standing of a provision on the as-of day is the data layer's rule, in one home:
``Provision.status_on`` (Python, which pages display) and its SQL twin, the queryset's
``with_badge_on`` (so the API can filter on it), side by side in provisions/models/provisions.py.
"""

import datetime
from collections import Counter, namedtuple
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from types import SimpleNamespace

import django_filters
from django.contrib.postgres.search import SearchQuery
from django.db import connections
from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    Q,
    QuerySet,
    Value,
)
from django.utils import timezone

from comparisons.web.facets import (
    MAX_TEXT,
    Facet,
    FacetFilterSet,
    Taxonomy,
    printable,  # noqa: F401 (re-exported: tests/matrix/test_filter_messages.py)
)
from config import dataversion
from provisions.models import Instrument, Provision, StatusBadge, Treatment
from provisions.models.provisions import badge_on, existing_on

# The badges a provision can show on a day (StatusBadge.ADOPTED is never computed).
BADGE_CHOICES = [
    (badge, badge.label)
    for badge in (
        StatusBadge.IN_FORCE,
        StatusBadge.APPLIES_LATER,
        StatusBadge.PROPOSAL,
        StatusBadge.NON_BINDING,
        StatusBadge.ENDED,
    )
]
# Without a status filter the atlas shows the law as it stands: ended provisions stay hidden.
DEFAULT_BADGES = frozenset(value for value, _ in BADGE_CHOICES) - {StatusBadge.ENDED}

BINDING_CHOICES = [("yes", "Legally binding"), ("no", "Not binding")]

# The matrix's filters whose options show counts, in the order the form shows them. Each is
# the whole definition of its filter: the form field, the queryset filter (the API), the
# universe's column and its count, the panel's options and the OpenAPI parameter.
JURISDICTION = Facet(
    "j",
    "Jurisdictions",
    "Jurisdiction code (`/api/jurisdictions/`).",
    choices=lambda taxonomy: [(j.code, j.short_name) for j in taxonomy.jurisdictions],
    lookup="instrument__jurisdiction__code",
    # Kept by the URL (the server lays columns out in its order) and, with JavaScript, by
    # the order the boxes are ticked (static/js/matrix.js); without it, in the list's order.
    hint="Columns appear in the order you tick them (without JavaScript, in this order).",
)
COMPONENT = Facet(
    "component",
    "Openness components",
    "Openness component slug.",
    choices=lambda taxonomy: [(c.slug, c.name) for c in taxonomy.components],
    links="components",
)
BINDING = Facet(
    "binding",
    "Binding",
    "`yes`: legally binding instruments only; `no`: non-binding only.",
    choices=BINDING_CHOICES,
    lookup="instrument__binding",
    stored={True: "yes", False: "no"},
    multiple=False,
)
PROVISION_FACETS = (
    JURISDICTION,
    COMPONENT,
    Facet(
        "topic",
        "Policy questions",
        "Topic slug (`/api/topics/`).",
        choices=lambda taxonomy: [(t.slug, t.name) for t in taxonomy.topics],
        links="topics",
    ),
    Facet(
        "treatment",
        "Treatment",
        "Treatment of openness.",
        choices=Treatment.choices,
        lookup="treatment",
    ),
    Facet(
        "status",
        "Legal status",
        "Legal standing on the as-of day; without it, ended provisions are left out, "
        "as on the matrix.",
        choices=BADGE_CHOICES,
        lookup="badge",  # annotated: Provision.objects.with_badge_on(day)
        hint="On the as-of day. With none ticked: everything except ended provisions.",
    ),
    BINDING,
)
FACETS = tuple(facet.name for facet in PROVISION_FACETS)


def text_matches(text: str) -> Q:
    """Full text (web-search syntax) over what we wrote and quoted, or the citation itself.

    The provision's and its instrument's stored vectors (provisions/models/search.py): nothing
    is parsed per row at query time.
    """
    query = SearchQuery(text, search_type="websearch", config="english")
    return (
        Q(search=query)
        | Q(instrument__search=query)
        | Q(label__icontains=text)
        | Q(instrument__short_title__icontains=text)
        | Q(instrument__title__icontains=text)
    )


class ProvisionFilter(FacetFilterSet):
    facets = PROVISION_FACETS
    q = django_filters.CharFilter(label="Text", method="filter_nothing", max_length=MAX_TEXT)
    as_of = django_filters.DateFilter(
        label="As of", method="filter_nothing", input_formats=["%Y-%m-%d"]
    )

    openapi_extra = (
        {
            "name": "q",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "maxLength": MAX_TEXT, "pattern": r"^[^\x00]*$"},
            "description": 'Full text, web-search syntax (`"open source" -weights`).',
        },
        {
            "name": "as_of",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "format": "date"},
            "description": "The law as it stood on this day (YYYY-MM-DD); default today.",
        },
    )

    class Meta:
        model = Provision
        fields = []

    def __init__(self, data=None, queryset=None, *, taxonomy=None, **kwargs):
        if queryset is None:
            queryset = Provision.objects.public()
        super().__init__(data, queryset, taxonomy=taxonomy, **kwargs)

    @classmethod
    def load_taxonomy(cls) -> Taxonomy:
        return Taxonomy.load()  # the matrix lays its rows and columns out from all three

    # --- what the request asked for, once validated ---------------------------------------

    @property
    def day(self) -> datetime.date:
        """The as-of day: the one asked for, or today."""
        return self.value("as_of") or timezone.localdate()

    @property
    def text(self) -> str:
        return self.value("q") or ""

    def selections(self) -> dict[str, frozenset | None]:
        """Per facet, the values a provision must have one of; None when unconstrained."""
        result = super().selections()
        if result["status"] is None:
            result["status"] = DEFAULT_BADGES
        return result

    # --- querysets -------------------------------------------------------------------------

    def narrow(self, queryset: QuerySet) -> QuerySet:
        """Keep what existed on the as-of day and matches the text; annotate the day's badge."""
        day = self.day
        queryset = (
            queryset.existing_on(day).select_related("instrument__jurisdiction").with_badge_on(day)
        )
        if self.text:
            queryset = queryset.filter(text_matches(self.text))
        return queryset

    def base(self) -> QuerySet:
        """The facets' universe: every filter but the facets applied."""
        return self.narrow(self.queryset.all())

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(self.narrow(queryset))
        if not self.value("status"):
            queryset = queryset.filter(badge__in=DEFAULT_BADGES)
        return queryset

    def universe(self) -> list["FacetRow"]:
        """Every public provision, reduced to what the facets and the cells need.

        Each row says whether it existed on the as-of day and matches the text: those that do
        not are not facet material, but the cells count them, so that a cell the text or the
        date emptied says so instead of "not yet reviewed".

        Plain tuples, not model instances: at a hundred times today's data the universe holds
        tens of thousands of provisions, and only the few shown in cells need full records.

        Without a text, the rows come from this process's memo of the provisions' standing
        (``Standing``, kept per data version): only the day's badges are worked out per request.
        """
        if self.text:
            return self.universe_in_sql()
        version = dataversion.remembered(self.queryset.db)
        if version is None:
            return self.universe_in_sql()  # a database never migrated has no version to key on
        return standing(self.queryset, version).on(self.day)

    def universe_in_sql(self) -> list["FacetRow"]:
        """The universe read and worked out in one query (a text needs the full-text index)."""
        day = self.day
        text_ok = (
            ExpressionWrapper(text_matches(self.text), output_field=BooleanField())
            if self.text
            else Value(True)
        )
        queryset = self.queryset.all().annotate(
            badge=badge_on(day),
            existed=ExpressionWrapper(existing_on(day), output_field=BooleanField()),
            text_ok=text_ok,
        )
        return list(map(FacetRow._make, facet_rows(queryset, ["existed", "text_ok"])))

    def filter_nothing(self, queryset, name, value):
        return queryset  # q: applied in narrow(); as_of: the day every filter reads


def facet_rows(queryset: QuerySet, trailing: list[str]) -> list[tuple]:
    """Per provision of ``queryset``: its id, one value per facet (for a ``links`` facet, the
    list of slugs it links to), then the ``trailing`` fields; in the matrix's order.

    Each link table is folded to one array per provision before it meets the provisions
    (a hash aggregate of each table), rather than joining both link tables and grouping
    the product: that grouping sorted every provision's topics × components on disk.
    """
    scalars = [facet for facet in PROVISION_FACETS if not facet.links]
    base = queryset.order_by().values_list(
        "pk",
        *(facet.lookup for facet in scalars),
        *trailing,
        "instrument__jurisdiction__order",
        "instrument__adopted_on",
        "order",
    )
    base_sql, params = base.query.sql_with_params()
    columns, joins = [], []
    for index, facet in enumerate(PROVISION_FACETS):
        if facet.links:
            field = Provision._meta.get_field(facet.links)
            joins.append(
                f"LEFT JOIN ({link_slugs(field)}) l{index} ON l{index}.provision_id = b.pk"
            )
            columns.append(f"COALESCE(l{index}.slugs, '{{}}')")
        else:
            columns.append(f"b.f{index}")
    aliases = [f"f{i}" for i, facet in enumerate(PROVISION_FACETS) if not facet.links]
    aliases += [f"t{i}" for i in range(len(trailing))]
    columns += [f"b.t{i}" for i in range(len(trailing))]
    sql = f"""
        SELECT b.pk, {", ".join(columns)}
        FROM ({base_sql}) b (pk, {", ".join(aliases)}, j_order, adopted_on, p_order)
        {" ".join(joins)}
        ORDER BY b.j_order, b.adopted_on, b.p_order, b.pk
    """
    with connections[base.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def link_slugs(field) -> str:
    """SQL: per provision, the array of slugs a many-to-many ``field`` links it to."""
    through = field.remote_field.through._meta
    term = field.related_model._meta
    column = through.get_field(field.m2m_reverse_field_name()).column
    return (
        f'SELECT l."provision_id" AS provision_id, array_agg(t."slug") AS slugs '
        f'FROM "{through.db_table}" l JOIN "{term.db_table}" t ON t."id" = l."{column}" '
        f'GROUP BY l."provision_id"'
    )


# What ``Provision.status_on`` and ``Instrument.existed_on`` read: a provision's dates and its
# instrument's. Provisions that share them share their standing on every day.
PROVISION_DATES = ("ceases_on", "applies_from")
INSTRUMENT_DATES = (
    "status",
    "ended_on",
    "adopted_on",
    "proposed_on",
    "checked_on",
    "binding",
    "in_force_on",
)
STATUS_AT = FACETS.index("status")


class Standing:
    """The day-independent universe: per provision its facet values but the status, and which
    of the distinct sets of dates (``situations``) it has; ``on(day)`` works out each
    situation's badge and existence once, in Python, and gives the day's ``FacetRow``s."""

    def __init__(self, queryset: QuerySet):
        dates = [*PROVISION_DATES, *(f"instrument__{name}" for name in INSTRUMENT_DATES)]
        # The status column is the day's: a placeholder here, filled in by ``on``.
        rows = facet_rows(queryset.annotate(badge=Value("")), dates)
        width = 1 + len(FACETS)
        index: dict[tuple, int] = {}
        self.situations: list[SimpleNamespace] = []
        self.rows: list[tuple[tuple, tuple, int]] = []
        # One copy of each distinct list of slugs (a few hundred), not one per provision: the
        # memo stays a few megabytes per worker.
        lists: dict[tuple, list] = {}
        links = [1 + k for k, facet in enumerate(PROVISION_FACETS) if facet.links]
        for row in rows:
            known = row[width:]
            at = index.get(known)
            if at is None:
                at = index[known] = len(self.situations)
                self.situations.append(situation(known))
            row = list(row[:width])
            for k in links:
                row[k] = lists.setdefault(tuple(row[k]), row[k])
            self.rows.append((tuple(row[: 1 + STATUS_AT]), tuple(row[2 + STATUS_AT :]), at))

    def on(self, day: datetime.date) -> list["FacetRow"]:
        # The model's own rules, read from plain objects (``situation``).
        status_on, existed_on = Provision.status_on, Instrument.existed_on
        badges = [str(status_on(s, day)[0]) for s in self.situations]
        existed = [existed_on(s.instrument, day) for s in self.situations]
        # tuple.__new__ rather than FacetRow._make: a third of the time for 16,610 rows.
        new = tuple.__new__
        return [
            new(FacetRow, (*head, badges[at], *tail, existed[at], True))
            for head, tail, at in self.rows
        ]


def situation(dates: tuple) -> SimpleNamespace:
    """A provision's dates (``PROVISION_DATES`` then ``INSTRUMENT_DATES``) as the attributes
    ``Provision.status_on`` and ``Instrument.existed_on`` read: plain objects, because two
    thousand model instances (and their instrument relations) took a third of a second."""
    mine, theirs = dates[: len(PROVISION_DATES)], dates[len(PROVISION_DATES) :]
    return SimpleNamespace(
        **dict(zip(PROVISION_DATES, mine, strict=True)),
        instrument=SimpleNamespace(**dict(zip(INSTRUMENT_DATES, theirs, strict=True))),
    )


# Per process: (database, data version, the provisions' query) -> Standing. A data version
# names the data exactly (config/dataversion.py), so an entry is never stale; the few newest
# are kept: the current one, and the one before for requests that began before a publish.
_standings: dict[tuple, Standing] = {}
STANDINGS_KEPT = 2


def standing(queryset: QuerySet, version) -> Standing:
    key = (queryset.db, version, str(queryset.query))
    found = _standings.get(key)
    if found is None:
        found = Standing(queryset)
        while len(_standings) >= STANDINGS_KEPT:
            _standings.pop(next(iter(_standings)), None)
        _standings[key] = found
    return found


def forget_standings() -> None:
    """Empty the memo (tests: a rolled-back test's data version can come back with other data)."""
    _standings.clear()


# A provision as the facets see it (see ``ProvisionFilter.universe``): its id, one value per
# facet (a list of slugs for a ``links`` facet: row.topic, row.component), whether it existed on
# the as-of day and matches the text (the cells count those that do not, as hidden).
# A named tuple: tens of thousands are made per uncached matrix, three times faster than a
# frozen dataclass.
FacetRow = namedtuple("FacetRow", ["pk", *FACETS, "existed", "text_ok"])


@dataclass
class Facets:
    """The provisions that pass every filter, and per facet option how many would pass."""

    matching: list[FacetRow]
    counts: dict[str, dict[str, int]]


def apply_facets(universe: list[FacetRow], selections: dict[str, frozenset | None]) -> Facets:
    """Count each option under all the *other* filters (so choosing it would leave that many).

    This runs over every provision in the universe (tens of thousands at the synthetic scale),
    so the per-row work is only the test: the plan (per constrained facet, its position in the
    row, whether it holds several values, the chosen values as the row stores them, binding's
    True and not "yes") is made once per call, and a row that fails one facet is set aside for
    that facet's counts. The counting itself is ``Counter`` over the rows (in C).
    """
    constrained = [
        (k, 1 + k, bool(facet.links), facet.raw(selections[facet.name]))
        for k, facet in enumerate(PROVISION_FACETS)
        if selections[facet.name] is not None
    ]
    matching: list[FacetRow] = []
    near: list[list[FacetRow]] = [[] for _ in PROVISION_FACETS]  # fail that facet only
    for row in universe:
        if not (row.existed and row.text_ok):
            continue  # only the cells count these (as hidden)
        failing = None
        for k, index, many, chosen in constrained:
            if chosen.isdisjoint(row[index]) if many else row[index] not in chosen:
                if failing is not None:
                    break  # fails two filters: counts toward no option
                failing = k
        else:
            if failing is None:
                matching.append(row)
            else:
                near[failing].append(row)
    counts = {}
    for k, facet in enumerate(PROVISION_FACETS):
        values = map(itemgetter(1 + k), chain(matching, near[k]))
        if facet.links:
            values = chain.from_iterable(map(set, values))
        counts[facet.name] = {facet.shown(raw): n for raw, n in Counter(values).items()}
    return Facets(matching=matching, counts=counts)
