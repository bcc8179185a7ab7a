"""The provision filters: one FilterSet for the matrix, the JSON API and the exports.

Every query string is hostile. A value we do not know (a jurisdiction code that does not exist,
a misspelt treatment) is dropped and reported in ``messages``; the other values still apply.
A value we cannot read at all (a bad date, an over-long text) makes that one filter inactive,
also with a message. Nothing here raises on bad input.

The legal standing of a provision on the as-of day is computed twice: in SQL (``badge_on``,
so the API can filter on it) and in Python (``Provision.status_on``, which pages display).
``tests/test_pages_matrix.py`` checks that the two agree.
"""

import datetime
from dataclasses import dataclass
from typing import NamedTuple

import django_filters
from django import forms
from django.contrib.postgres.search import SearchQuery
from django.core.exceptions import ValidationError
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Exists,
    ExpressionWrapper,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.http import QueryDict
from django.utils import timezone

from provisions.models import (
    Component,
    Jurisdiction,
    LegalStatus,
    Provision,
    StatusBadge,
    Topic,
    Treatment,
)
from provisions.models.instruments import ENDED

MAX_VALUES = 50  # more values than any real selection; longer lists are garbage
MAX_TEXT = 200

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

# The filters whose options show counts, in the order the form shows them.
FACETS = ("j", "component", "topic", "treatment", "status", "binding")


@dataclass(frozen=True)
class Taxonomy:
    """The small lists the filters offer and the matrix lays out (three queries)."""

    jurisdictions: list[Jurisdiction]
    topics: list[Topic]
    components: list[Component]

    @classmethod
    def load(cls) -> "Taxonomy":
        return cls(
            jurisdictions=list(Jurisdiction.objects.all()),
            topics=list(Topic.objects.all()),
            components=list(Component.objects.all()),
        )


def printable(value: str, limit: int = 40) -> str:
    """A rejected value, safe and short enough to quote back in a message."""
    cleaned = "".join(ch if ch.isprintable() else "�" for ch in value)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the known values, in the order given and without repeats; remembers the rest."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        self.ignored = []
        values = self.to_python(value)
        if len(values) > MAX_VALUES:
            raise ValidationError(f"Too many values (at most {MAX_VALUES}); filter ignored.")
        kept = []
        for item in values:
            if self.valid_value(item):
                if item not in kept:
                    kept.append(item)
            else:
                self.ignored.append(item)
        return kept


class LenientMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


def badge_on(day: datetime.date) -> Case:
    """SQL twin of ``Provision.status_on(day)``: the badge a provision shows on ``day``."""
    return Case(
        When(
            Q(instrument__status__in=ENDED, instrument__ended_on__lte=day) | Q(ceases_on__lte=day),
            then=Value(StatusBadge.ENDED),
        ),
        When(
            Q(instrument__adopted_on__isnull=True)
            | Q(instrument__adopted_on__gt=day)
            | Q(instrument__status=LegalStatus.PROPOSED),
            then=Value(StatusBadge.PROPOSAL),
        ),
        When(instrument__binding=False, then=Value(StatusBadge.NON_BINDING)),
        When(
            Q(applies_from__gt=day)
            | Q(applies_from__isnull=True, instrument__in_force_on__gt=day)
            | Q(
                applies_from__isnull=True,
                instrument__in_force_on__isnull=True,
                instrument__status=LegalStatus.ENACTED,
            ),
            then=Value(StatusBadge.APPLIES_LATER),
        ),
        default=Value(StatusBadge.IN_FORCE),
        output_field=CharField(),
    )


def existing_on(day: datetime.date) -> Q:
    """Provisions whose instrument existed on ``day``: adopted by then, or proposed by then.

    An instrument with no known date at all (a bill whose introduction was not recorded) is
    placed from the day its record was checked, the one day we know it existed; never before.
    """
    return (
        Q(instrument__adopted_on__lte=day)
        | Q(instrument__proposed_on__lte=day)
        | Q(
            instrument__proposed_on__isnull=True,
            instrument__adopted_on__isnull=True,
            instrument__checked_on__lte=day,
        )
    )


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


class ProvisionFilter(django_filters.FilterSet):
    j = LenientMultipleChoiceFilter(label="Jurisdictions", method="filter_jurisdictions")
    component = LenientMultipleChoiceFilter(label="Openness components", method="filter_components")
    topic = LenientMultipleChoiceFilter(label="Policy questions", method="filter_topics")
    treatment = LenientMultipleChoiceFilter(
        label="Treatment", choices=Treatment.choices, method="filter_treatments"
    )
    status = LenientMultipleChoiceFilter(
        label="Legal status", choices=BADGE_CHOICES, method="filter_status"
    )
    binding = django_filters.ChoiceFilter(
        label="Binding", choices=BINDING_CHOICES, method="filter_binding", empty_label="Either"
    )
    q = django_filters.CharFilter(label="Text", method="filter_text", max_length=MAX_TEXT)
    as_of = django_filters.DateFilter(
        label="As of", method="filter_nothing", input_formats=["%Y-%m-%d"]
    )

    class Meta:
        model = Provision
        fields = []

    def __init__(self, data=None, queryset=None, *, taxonomy=None, **kwargs):
        self.taxonomy = taxonomy or Taxonomy.load()
        if queryset is None:
            queryset = Provision.objects.public()
        super().__init__(data, queryset, **kwargs)
        self.filters["j"].extra["choices"] = [
            (j.code, j.short_name) for j in self.taxonomy.jurisdictions
        ]
        self.filters["component"].extra["choices"] = [
            (c.slug, c.name) for c in self.taxonomy.components
        ]
        self.filters["topic"].extra["choices"] = [(t.slug, t.name) for t in self.taxonomy.topics]

    # --- what the request asked for, once validated ---------------------------------------

    def value(self, name):
        self.form.is_valid()  # cleans the data once; cached by the form
        return self.form.cleaned_data.get(name)

    @property
    def day(self) -> datetime.date:
        """The as-of day: the one asked for, or today."""
        return self.value("as_of") or timezone.localdate()

    @property
    def text(self) -> str:
        return self.value("q") or ""

    def selections(self) -> dict[str, frozenset | None]:
        """Per facet, the values a provision must have one of; None when unconstrained."""
        chosen = {name: self.value(name) for name in FACETS}
        chosen["binding"] = [chosen["binding"]] if chosen["binding"] else None
        result = {name: frozenset(v) if v else None for name, v in chosen.items()}
        if result["status"] is None:
            result["status"] = DEFAULT_BADGES
        return result

    def cleaned_query(self) -> QueryDict:
        """The valid part of the request, as a query string to build links from."""
        query = QueryDict(mutable=True)
        for name in self.filters:
            value = self.value(name)
            if not value:
                continue
            if isinstance(value, list):
                query.setlist(name, value)
            elif isinstance(value, datetime.date):
                query[name] = value.isoformat()
            else:
                query[name] = value
        return query

    @property
    def messages(self) -> dict[str, list[str]]:
        """Per filter, why part or all of it was ignored."""
        self.form.is_valid()
        messages = {}
        for name, field in self.form.fields.items():
            notes = [str(e) for e in self.form.errors.get(name, [])]
            if name in self.form.errors:
                notes.append("This filter is ignored.")
            ignored = getattr(field, "ignored", [])
            if ignored:
                shown = ", ".join(f"“{printable(v)}”" for v in ignored[:5])
                more = f" and {len(ignored) - 5} more" if len(ignored) > 5 else ""
                notes.append(f"Unknown value ignored: {shown}{more}.")
            if notes:
                messages[name] = notes
        return messages

    # --- querysets -------------------------------------------------------------------------

    def narrow(self, queryset: QuerySet) -> QuerySet:
        """Keep what existed on the as-of day and matches the text; annotate the day's badge."""
        day = self.day
        queryset = (
            queryset.filter(existing_on(day))
            .select_related("instrument__jurisdiction")
            .annotate(badge=badge_on(day))
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
        """Every public provision, reduced to what the facets and the cells need, in one query.

        Each row says whether it existed on the as-of day and matches the text: those that do
        not are not facet material, but the cells count them, so that a cell the text or the
        date emptied says so instead of "not yet reviewed".

        Plain tuples, not model instances: at a hundred times today's data the universe holds
        tens of thousands of provisions, and only the few shown in cells need full records.
        Each link table is folded to one array per provision before it meets the provisions
        (a hash aggregate of each table), rather than joining both link tables and grouping
        the product: that grouping sorted every provision's topics × components on disk.
        """
        day = self.day
        text_ok = (
            ExpressionWrapper(text_matches(self.text), output_field=BooleanField())
            if self.text
            else Value(True)
        )
        base = (
            self.queryset.all()
            .annotate(
                badge=badge_on(day),
                existed=ExpressionWrapper(existing_on(day), output_field=BooleanField()),
                text_ok=text_ok,
            )
            .order_by()
            .values_list(
                "pk",
                "instrument__jurisdiction__code",
                "treatment",
                "badge",
                "instrument__binding",
                "existed",
                "text_ok",
                "instrument__jurisdiction__order",
                "instrument__adopted_on",
                "order",
            )
        )
        base_sql, params = base.query.sql_with_params()
        topics, components = (
            link_slugs(Provision._meta.get_field(name)) for name in ("topics", "components")
        )
        sql = f"""
            SELECT b.pk, b.code, b.treatment, b.badge, b.binding,
                   COALESCE(t.slugs, '{{}}'), COALESCE(c.slugs, '{{}}'), b.existed, b.text_ok
            FROM ({base_sql}) b (pk, code, treatment, badge, binding, existed, text_ok,
                                 j_order, adopted_on, p_order)
            LEFT JOIN ({topics}) t ON t.provision_id = b.pk
            LEFT JOIN ({components}) c ON c.provision_id = b.pk
            ORDER BY b.j_order, b.adopted_on, b.p_order, b.pk
        """
        with connections[base.db].cursor() as cursor:
            cursor.execute(sql, params)
            return list(map(FacetRow._make, cursor.fetchall()))

    # --- filter methods --------------------------------------------------------------------

    def filter_nothing(self, queryset, name, value):
        return queryset  # applied in filter_queryset

    def filter_text(self, queryset, name, value):
        return queryset  # applied in base()

    def filter_jurisdictions(self, queryset, name, value):
        return queryset.filter(instrument__jurisdiction__code__in=value)

    def filter_components(self, queryset, name, value):
        through = Provision.components.through
        return queryset.filter(
            Exists(through.objects.filter(provision_id=OuterRef("pk"), component__slug__in=value))
        )

    def filter_topics(self, queryset, name, value):
        through = Provision.topics.through
        return queryset.filter(
            Exists(through.objects.filter(provision_id=OuterRef("pk"), topic__slug__in=value))
        )

    def filter_treatments(self, queryset, name, value):
        return queryset.filter(treatment__in=value)

    def filter_status(self, queryset, name, value):
        return queryset.filter(badge__in=value)

    def filter_binding(self, queryset, name, value):
        return queryset.filter(instrument__binding=(value == "yes"))


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


class FacetRow(NamedTuple):
    """A provision as the facets see it (see ``ProvisionFilter.universe``).

    A named tuple: tens of thousands are made per uncached matrix, three times faster than a
    frozen dataclass."""

    pk: int
    jurisdiction: str
    treatment: str
    badge: str
    binding: bool
    topics: list[str]
    components: list[str]
    existed: bool = True  # on the as-of day
    text_ok: bool = True  # matches the text filter (or there is none)


@dataclass
class Facets:
    """The provisions that pass every filter, and per facet option how many would pass."""

    matching: list["FacetRow"]
    counts: dict[str, dict[str, int]]


def apply_facets(universe: list["FacetRow"], selections: dict[str, frozenset | None]) -> Facets:
    """Count each option under all the *other* filters (so choosing it would leave that many).

    Written out facet by facet rather than through a set of values per facet: this loop runs
    once per provision in the universe (tens of thousands at the synthetic scale), and building
    six sets per provision was most of its time.
    """
    j, component, topic, treatment, status, binding = (selections[name] for name in FACETS)
    j_counts: dict[str, int] = {}
    component_counts: dict[str, int] = {}
    topic_counts: dict[str, int] = {}
    treatment_counts: dict[str, int] = {}
    status_counts: dict[str, int] = {}
    binding_counts: dict[str, int] = {}
    matching = []
    for row in universe:
        if not (row.existed and row.text_ok):
            continue  # only the cells count these (as hidden)
        binding_value = "yes" if row.binding else "no"
        failing = None
        failed = 0
        if j is not None and row.jurisdiction not in j:
            failing, failed = "j", failed + 1
        if component is not None and component.isdisjoint(row.components):
            failing, failed = "component", failed + 1
        if topic is not None and topic.isdisjoint(row.topics):
            failing, failed = "topic", failed + 1
        if treatment is not None and row.treatment not in treatment:
            failing, failed = "treatment", failed + 1
        if status is not None and row.badge not in status:
            failing, failed = "status", failed + 1
        if binding is not None and binding_value not in binding:
            failing, failed = "binding", failed + 1
        if failed > 1:
            continue
        if failing is None or failing == "j":
            j_counts[row.jurisdiction] = j_counts.get(row.jurisdiction, 0) + 1
        if failing is None or failing == "component":
            for value in set(row.components):
                component_counts[value] = component_counts.get(value, 0) + 1
        if failing is None or failing == "topic":
            for value in set(row.topics):
                topic_counts[value] = topic_counts.get(value, 0) + 1
        if failing is None or failing == "treatment":
            treatment_counts[row.treatment] = treatment_counts.get(row.treatment, 0) + 1
        if failing is None or failing == "status":
            status_counts[row.badge] = status_counts.get(row.badge, 0) + 1
        if failing is None or failing == "binding":
            binding_counts[binding_value] = binding_counts.get(binding_value, 0) + 1
        if failing is None:
            matching.append(row)
    counts = {
        "j": j_counts,
        "component": component_counts,
        "topic": topic_counts,
        "treatment": treatment_counts,
        "status": status_counts,
        "binding": binding_counts,
    }
    return Facets(matching=matching, counts=counts)
