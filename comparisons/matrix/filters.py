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

import django_filters
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.search import SearchQuery
from django.db.models import (
    BooleanField,
    CharField,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from comparisons.web.facets import (
    MAX_TEXT,
    Facet,
    FacetFilterSet,
    Taxonomy,
    printable,  # noqa: F401 (re-exported: tests/matrix/test_filter_messages.py)
)
from config import dataversion
from provisions.models import Provision, StatusBadge, Treatment
from provisions.models.instruments import existed_from_dates
from provisions.models.provisions import badge_on, existing_on, status_from_dates

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
    list of slugs it links to), then the ``trailing`` fields; in the matrix's order."""
    links = {
        f"{facet.name}_slugs": linked_slugs(facet.links)
        for facet in PROVISION_FACETS
        if facet.links
    }
    columns = [f"{facet.name}_slugs" if facet.links else facet.lookup for facet in PROVISION_FACETS]
    return list(
        queryset.annotate(**links)
        .order_by("instrument__jurisdiction__order", "instrument__adopted_on", "order", "pk")
        .values_list("pk", *columns, *trailing)
    )


def linked_slugs(name: str) -> Coalesce:
    """The slugs of the terms a provision's many-to-many field ``name`` links it to."""
    field = Provision._meta.get_field(name)
    through = field.remote_field.through
    slugs = through.objects.filter(provision_id=OuterRef("pk")).values(
        f"{field.m2m_reverse_field_name()}__slug"
    )
    return Coalesce(ArraySubquery(slugs), Value([], output_field=ArrayField(CharField())))


STATUS_AT = FACETS.index("status")  # the facet whose value is the day's badge


@dataclass(frozen=True, slots=True)
class LegalDates:
    """A provision's dates and its instrument's: all its standing on any day depends on."""

    ceases_on: datetime.date | None
    applies_from: datetime.date | None
    status: str
    ended_on: datetime.date | None
    adopted_on: datetime.date | None
    proposed_on: datetime.date | None
    checked_on: datetime.date | None
    binding: bool
    in_force_on: datetime.date | None

    LOOKUPS = (
        "ceases_on",
        "applies_from",
        "instrument__status",
        "instrument__ended_on",
        "instrument__adopted_on",
        "instrument__proposed_on",
        "instrument__checked_on",
        "instrument__binding",
        "instrument__in_force_on",
    )

    def badge_on(self, day: datetime.date) -> str:
        badge, _ = status_from_dates(
            day,
            ceases_on=self.ceases_on,
            applies_from=self.applies_from,
            status=self.status,
            ended_on=self.ended_on,
            adopted_on=self.adopted_on,
            binding=self.binding,
            in_force_on=self.in_force_on,
        )
        return str(badge)

    def existed_on(self, day: datetime.date) -> bool:
        return existed_from_dates(
            day,
            adopted_on=self.adopted_on,
            proposed_on=self.proposed_on,
            checked_on=self.checked_on,
        )


class Standing:
    """The day-independent universe: per provision its facet values but the status, and which
    of the distinct sets of dates (``LegalDates``) it has; ``on(day)`` asks each set of dates
    for its badge and existence once, and gives the day's ``FacetRow``s.

    Kept per process and data version (``standing``, below): at a hundred times today's data,
    reading the universe from PostgreSQL on every uncached matrix was half of its render; with
    this memo the uncached all-50 matrix's p50 went from 350-683 ms to 172-178 ms (target:
    300 ms; docs/performance.md). The one memo the public pages keep.
    """

    def __init__(self, queryset: QuerySet):
        # The status column is the day's: a placeholder here, filled in by ``on``.
        rows = facet_rows(queryset.annotate(badge=Value("")), list(LegalDates.LOOKUPS))
        width = 1 + len(FACETS)
        index: dict[tuple, int] = {}
        self.dates: list[LegalDates] = []
        self.rows: list[tuple[tuple, tuple, int]] = []
        # One copy of each distinct list of slugs (a few hundred), not one per provision: the
        # memo stays a few megabytes per worker.
        lists: dict[tuple, list] = {}
        links = [1 + k for k, facet in enumerate(PROVISION_FACETS) if facet.links]
        for row in rows:
            known = row[width:]
            at = index.get(known)
            if at is None:
                at = index[known] = len(self.dates)
                self.dates.append(LegalDates(*known))
            row = list(row[:width])
            for k in links:
                row[k] = lists.setdefault(tuple(row[k]), row[k])
            self.rows.append((tuple(row[: 1 + STATUS_AT]), tuple(row[2 + STATUS_AT :]), at))

    def on(self, day: datetime.date) -> list["FacetRow"]:
        badges = [dates.badge_on(day) for dates in self.dates]
        existed = [dates.existed_on(day) for dates in self.dates]
        return [
            FacetRow(*head, badges[at], *tail, existed[at], True) for head, tail, at in self.rows
        ]


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
