"""The facet engine: a filter is declared once, as a ``Facet``, and every list uses it.

A ``Facet`` says everything about one filter: its query key (the same on the pages and in the
API), its label, where its options come from, how it narrows a queryset, how it is read off a
row when options are counted in Python, and how the OpenAPI schema describes it. From a tuple of
facets, ``FacetFilterSet`` makes the django-filter FilterSet (the pages' forms and the API's
filter backend), ``count_facets`` counts each option under the other filters, ``panel_groups``
makes the checkboxes a page shows, and ``Facet.openapi`` the schema's parameter.

Every query string is hostile. A value we do not know (a jurisdiction code that does not exist,
a misspelt treatment) is dropped and reported in ``messages``; the other values still apply. A
value we cannot read at all makes that one filter inactive, also with a message. The facets a
FilterSet names in ``refuse_unknown`` (the API's older endpoints, whose clients were promised a
400) turn the dropped values into a form error instead. Nothing here raises on bad input.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property

import django_filters
import django_filters.fields
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import QueryDict

from provisions.models import Component, Jurisdiction, ModelProfile, Topic

MAX_VALUES = 50  # more values than any real selection; longer lists are garbage
MAX_TEXT = 200


def printable(value: str, limit: int = 40) -> str:
    """A rejected value, safe and short enough to quote back in a message."""
    cleaned = "".join(ch if ch.isprintable() else "�" for ch in value)
    return cleaned if len(cleaned) <= limit else cleaned[: limit - 1] + "…"


class LenientMultipleChoiceField(forms.MultipleChoiceField):
    """Keeps the known values, in the order given and without repeats; remembers the rest."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, refuse_unknown: bool = False, **kwargs):
        self.refuse_unknown = refuse_unknown
        super().__init__(*args, **kwargs)

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
        if self.refuse_unknown:
            self.ignored = [item for item in self.ignored if item != ""]  # empty: "any"
        if self.ignored and self.refuse_unknown:
            shown = ", ".join(f"“{printable(v)}”" for v in self.ignored[:5])
            # The values go in as a parameter: the API formats messages with ``%`` (a value
            # like "100%" in the message itself would break the formatting).
            raise ValidationError("Unknown value: %(shown)s.", params={"shown": shown})
        return kept


class LenientMultipleChoiceFilter(django_filters.MultipleChoiceFilter):
    field_class = LenientMultipleChoiceField


class LenientChoiceField(django_filters.fields.ChoiceField):
    """One value from options read from the database: an unknown one is dropped, remembered."""

    def clean(self, value):
        self.ignored = []
        value = self.to_python(value)
        if value and not self.valid_value(value):
            self.ignored = [value]
            return ""
        return value


class LenientChoiceFilter(django_filters.ChoiceFilter):
    field_class = LenientChoiceField


class Taxonomy:
    """The lists that facets take their options from, each read (one query) when first needed.

    ``Taxonomy.load()`` reads the matrix's three at once; a list can also be given."""

    def __init__(self, **lists):
        self.__dict__.update(lists)

    @classmethod
    def load(cls) -> "Taxonomy":
        taxonomy = cls()
        taxonomy.jurisdictions, taxonomy.topics, taxonomy.components  # noqa: B018
        return taxonomy

    @cached_property
    def jurisdictions(self):
        return list(Jurisdiction.objects.all())

    @cached_property
    def topics(self):
        return list(Topic.objects.all())

    @cached_property
    def components(self):
        return list(Component.objects.all())

    @cached_property
    def countries(self):
        published = ModelProfile.objects.published()
        return sorted(set(published.values_list("provider_country", flat=True)))


Choices = list[tuple[str, str]]


@dataclass(frozen=True)
class Facet:
    """One filter, declared once. See the module's docstring for who reads what."""

    name: str  # the query key, on the pages and in the API: ?j=eu&j=us
    label: str  # the legend on the pages, and the chips' "Label: value"
    about: str  # the OpenAPI description (the options are appended when they are fixed)
    # The options: a fixed list, or a function of the Taxonomy (lists from the database).
    choices: Choices | Callable[[Taxonomy], Choices]
    # What the values are compared with: a field path (``instrument__jurisdiction__code``),
    # or for ``links``, the many-to-many field whose related rows' ``slug`` is compared.
    lookup: str = ""
    links: str = ""
    # When the stored value is not the option's value (binding: True ↔ "yes").
    stored: dict | None = None
    # Several values (checkboxes, ?j=eu&j=us, any matches) or one (radios, a select).
    multiple: bool = True
    hint: str = ""
    any_label: str = "Either"  # a single-valued facet's "no choice"
    # A queryset filter for what a lookup cannot say (``(queryset, values) -> queryset``).
    narrow: Callable[[QuerySet, list[str]], QuerySet] | None = None

    def options(self, taxonomy: Taxonomy) -> Choices:
        choices = self.choices(taxonomy) if callable(self.choices) else self.choices
        return [(str(value), str(label)) for value, label in choices]

    # --- as a filter -----------------------------------------------------------------------

    def make_filter(self) -> django_filters.Filter:
        if self.multiple:
            return LenientMultipleChoiceFilter(label=self.label, method=self.filter)
        if callable(self.choices):  # from the database: an unknown value is ignored
            return LenientChoiceFilter(label=self.label, method=self.filter)
        return django_filters.ChoiceFilter(
            label=self.label, method=self.filter, empty_label=self.any_label
        )

    def filter(self, queryset: QuerySet, name: str, value) -> QuerySet:
        values = list(value) if isinstance(value, (list, tuple)) else [value]
        if not values:
            return queryset
        if self.narrow is not None:
            return self.narrow(queryset, values)
        if self.links:
            field = queryset.model._meta.get_field(self.links)
            through = field.remote_field.through
            source = field.m2m_field_name()
            target = field.m2m_reverse_field_name()
            return queryset.filter(
                Exists(
                    through.objects.filter(
                        **{f"{source}_id": OuterRef("pk"), f"{target}__slug__in": values}
                    )
                )
            )
        if self.stored is not None:
            back = {option: raw for raw, option in self.stored.items()}
            values = [back[v] for v in values if v in back]
        return queryset.filter(Q(**{f"{self.lookup}__in": values}))

    def form_field(self, taxonomy: Taxonomy | None = None) -> forms.Field:
        """A plain form's field (the models page): a select with "any" first, or checkboxes."""
        options = (
            self.options(taxonomy) if taxonomy is not None or not callable(self.choices) else []
        )
        if self.multiple:
            return LenientMultipleChoiceField(label=self.label, required=False, choices=options)
        return forms.ChoiceField(
            label=self.label, required=False, choices=[("", self.any_label), *options]
        )

    def apply(self, queryset: QuerySet, value) -> QuerySet:
        """``queryset`` narrowed to ``value`` (one value or a list; empty: unchanged)."""
        return self.filter(queryset, self.name, value)

    # --- on a row counted in Python --------------------------------------------------------

    def raw(self, values: Iterable[str]) -> frozenset:
        """The chosen options as the row holds them (``stored`` turned back)."""
        if self.stored is None:
            return frozenset(values)
        back = {option: raw for raw, option in self.stored.items()}
        return frozenset(back[v] for v in values if v in back)

    def shown(self, raw_value) -> str:
        """A row's value as an option (the key its count is reported under)."""
        return self.stored.get(raw_value, raw_value) if self.stored is not None else raw_value

    # --- in the OpenAPI schema -------------------------------------------------------------

    def openapi(self, *, refused: bool = False) -> dict:
        """The query parameter; ``refused``: unknown values are a 400 (their list is fixed)."""
        description = self.about
        if self.multiple:
            items = {"type": "string"}
            if not callable(self.choices):
                description += " One of: " + ", ".join(f"`{v}`" for v, _ in self.choices) + "."
                if refused:
                    items["enum"] = [str(v) for v, _ in self.choices]
            return {
                "name": self.name,
                "in": "query",
                "required": False,
                "style": "form",
                "explode": True,
                "schema": {"type": "array", "items": items, "maxItems": MAX_VALUES},
                "description": description
                + " Repeat for several (any of them matches); "
                + (
                    "an unknown value is refused (400)."
                    if refused
                    else "unknown values are ignored."
                ),
            }
        schema = {"type": "string"}
        if callable(self.choices):
            description += " An unknown value is ignored."
        else:
            schema["enum"] = [str(v) for v, _ in self.choices]
        return {
            "name": self.name,
            "in": "query",
            "required": False,
            "schema": schema,
            "description": description,
        }


class FacetFilterSet(django_filters.FilterSet):
    """A FilterSet whose filters are its ``facets`` (first, in order) and any declared ones."""

    facets: tuple[Facet, ...] = ()
    # The facets whose unknown values are a form error (a 400 in the API), not dropped.
    refuse_unknown: tuple[str, ...] = ()

    def __init__(self, data=None, queryset=None, *, taxonomy=None, **kwargs):
        self.taxonomy = taxonomy if taxonomy is not None else self.load_taxonomy()
        super().__init__(data, queryset, **kwargs)
        for facet in self.facets:
            extra = self.filters[facet.name].extra
            # Callable: read when a value is checked or the options are listed, not before.
            extra["choices"] = lambda facet=facet: facet.options(self.taxonomy)
            if facet.multiple and facet.name in self.refuse_unknown:
                extra["refuse_unknown"] = True

    @classmethod
    def load_taxonomy(cls) -> Taxonomy:
        return Taxonomy()

    # The OpenAPI parameters of filters that are not facets (the text, the day …).
    openapi_extra: tuple[dict, ...] = ()

    @classmethod
    def openapi_parameters(cls) -> list[dict]:
        parameters = [
            facet.openapi(refused=facet.name in cls.refuse_unknown) for facet in cls.facets
        ]
        return parameters + list(cls.openapi_extra)

    @classmethod
    # Called by the FilterSet metaclass while the class is being made, before mutmut's
    # trampoline for this method exists: mutating it breaks every run (`make mutation`).
    def get_filters(cls):  # pragma: no mutate block
        declared = super().get_filters()
        facets = {facet.name: facet.make_filter() for facet in cls.facets}
        return {**facets, **{k: v for k, v in declared.items() if k not in facets}}

    def value(self, name):
        self.form.is_valid()  # cleans the data once; cached by the form
        return self.form.cleaned_data.get(name)

    def chosen(self, name) -> list[str]:
        """A facet's valid values as a list (a single-valued facet's one value, or none)."""
        value = self.value(name)
        if not value:
            return []
        return list(value) if isinstance(value, list) else [value]

    def selections(self) -> dict[str, frozenset | None]:
        """Per facet, the values a row must have one of; None when unconstrained."""
        return {facet.name: frozenset(self.chosen(facet.name)) or None for facet in self.facets}

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
                query[name] = str(value)
        return query

    @property
    def messages(self) -> dict[str, list[str]]:
        """Per filter, why part or all of it was ignored."""
        self.form.is_valid()
        messages = {}
        for name, form_field in self.form.fields.items():
            notes = [str(e) for e in self.form.errors.get(name, [])]
            if name in self.form.errors:
                notes.append("This filter is ignored.")
            ignored = getattr(form_field, "ignored", [])
            if ignored and name not in self.form.errors:
                shown = ", ".join(f"“{printable(v)}”" for v in ignored[:5])
                more = f" and {len(ignored) - 5} more" if len(ignored) > 5 else ""
                notes.append(f"Unknown value ignored: {shown}{more}.")
            if notes:
                messages[name] = notes
        return messages


@dataclass
class Counted:
    """The rows that pass every facet, and per facet option how many would pass."""

    matching: list
    counts: dict[str, dict[str, int]]


def count_facets(
    rows: Iterable,
    facets: tuple[Facet, ...],
    selections: dict[str, frozenset | None],
    read: Callable[[object, Facet], object],
) -> Counted:
    """Count each option under all the *other* facets (so choosing it would leave that many).

    For short lists (arguments): ``read(row, facet)`` gives the row's stored value, or a list
    of them for a ``links`` facet. The matrix's universe has its own fast loop
    (``comparisons.matrix.filters.apply_facets``) over the same declarations.
    """
    wanted = [
        (facet, None if selections.get(facet.name) is None else facet.raw(selections[facet.name]))
        for facet in facets
    ]
    raw_counts: dict[str, dict] = {facet.name: {} for facet in facets}
    matching = []
    for row in rows:
        values = {facet.name: read(row, facet) for facet in facets}
        values = {
            name: set(v) if isinstance(v, (list, tuple, set)) else {v} for name, v in values.items()
        }
        failing = [
            f.name for f, chosen in wanted if chosen is not None and not values[f.name] & chosen
        ]
        if len(failing) > 1:
            continue
        for name in failing or raw_counts:
            counter = raw_counts[name]
            for value in values[name]:
                counter[value] = counter.get(value, 0) + 1
        if not failing:
            matching.append(row)
    counts = {
        facet.name: {facet.shown(raw): n for raw, n in raw_counts[facet.name].items()}
        for facet in facets
    }
    return Counted(matching=matching, counts=counts)


@dataclass
class Option:
    value: str
    label: str
    checked: bool
    count: int
    id: str


@dataclass
class Group:
    """One facet as a page shows it: a fieldset of checkboxes (or radios) with counts."""

    name: str
    legend: str
    options: list[Option]
    messages: list[str] = field(default_factory=list)
    hint: str = ""
    multiple: bool = True
    any_label: str = ""
    any_checked: bool = False


def panel_groups(filterset: FacetFilterSet, counts: dict[str, dict[str, int]]) -> list[Group]:
    """Every facet of ``filterset`` with its options, their state, counts and messages."""
    messages = filterset.messages
    groups = []
    for facet in filterset.facets:
        chosen = filterset.chosen(facet.name)
        groups.append(
            Group(
                name=facet.name,
                legend=str(filterset.filters[facet.name].label),
                options=[
                    Option(
                        value=value,
                        label=label,
                        checked=value in chosen,
                        count=counts[facet.name].get(value, 0),
                        id=f"{facet.name}-{value}",
                    )
                    for value, label in facet.options(filterset.taxonomy)
                ],
                messages=messages.get(facet.name, []),
                hint=facet.hint,
                multiple=facet.multiple,
                any_label=facet.any_label,
                any_checked=not chosen,
            )
        )
    return groups
