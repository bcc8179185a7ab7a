"""Filters for the argument list: stance, kind of evidence, openness component.

Same rules as the matrix filters (comparisons/filters.py): unknown values are dropped with a
message, and each option shows how many arguments choosing it would leave.
"""

from dataclasses import dataclass

import django_filters
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Exists, OuterRef
from django.http import QueryDict

from comparisons.filters import LenientMultipleChoiceFilter, printable
from provisions.models import Argument, Component, EvidenceKind, Stance
from provisions.models.arguments import ArgumentComponent

ARGUMENT_FACETS = ("stance", "evidence", "component")


class ArgumentFilter(django_filters.FilterSet):
    stance = LenientMultipleChoiceFilter(
        label="Stance on openness", choices=Stance.choices, method="filter_stance"
    )
    evidence = LenientMultipleChoiceFilter(
        label="Kind of evidence", choices=EvidenceKind.choices, method="filter_evidence"
    )
    component = LenientMultipleChoiceFilter(label="Openness component", method="filter_component")

    class Meta:
        model = Argument
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        self.components = list(Component.objects.all())
        if queryset is None:
            queryset = Argument.objects.published()
        super().__init__(data, queryset, **kwargs)
        self.filters["component"].extra["choices"] = [(c.slug, c.name) for c in self.components]

    def value(self, name):
        self.form.is_valid()
        return self.form.cleaned_data.get(name) or []

    @property
    def messages(self) -> dict[str, list[str]]:
        self.form.is_valid()
        messages = {}
        for name, field in self.form.fields.items():
            notes = [str(e) for e in self.form.errors.get(name, [])]
            if name in self.form.errors:
                notes.append("This filter is ignored.")
            ignored = getattr(field, "ignored", [])
            if ignored:
                shown = ", ".join(f"“{printable(v)}”" for v in ignored[:5])
                notes.append(f"Unknown value ignored: {shown}.")
            if notes:
                messages[name] = notes
        return messages

    def cleaned_query(self) -> QueryDict:
        query = QueryDict(mutable=True)
        for name in ARGUMENT_FACETS:
            if self.value(name):
                query.setlist(name, self.value(name))
        return query

    def filter_stance(self, queryset, name, value):
        return queryset.filter(stance__in=value)

    def filter_evidence(self, queryset, name, value):
        return queryset.filter(evidence_kind__in=value)

    def filter_component(self, queryset, name, value):
        return queryset.filter(
            Exists(
                ArgumentComponent.objects.filter(
                    argument_id=OuterRef("pk"), component__slug__in=value
                )
            )
        )


@dataclass
class ArgumentOption:
    value: str
    label: str
    checked: bool
    count: int
    id: str


@dataclass
class ArgumentGroup:
    name: str
    legend: str
    options: list[ArgumentOption]
    messages: list[str]


@dataclass
class ArgumentFacets:
    matching: list[Argument]
    groups: list[ArgumentGroup]


def argument_facets(filterset: ArgumentFilter) -> ArgumentFacets:
    """All published arguments in one query; filtering and counts in Python (a short list)."""
    universe = list(
        filterset.queryset.select_related("source").annotate(
            component_slugs=ArraySubquery(
                ArgumentComponent.objects.filter(argument_id=OuterRef("pk")).values(
                    "component__slug"
                )
            )
        )
    )
    selections = {name: set(filterset.value(name)) for name in ARGUMENT_FACETS}
    counts = {name: {} for name in ARGUMENT_FACETS}
    matching = []
    for argument in universe:
        values = {
            "stance": {argument.stance},
            "evidence": {argument.evidence_kind},
            "component": set(argument.component_slugs),
        }
        failing = [n for n in ARGUMENT_FACETS if selections[n] and not values[n] & selections[n]]
        if len(failing) > 1:
            continue
        for name in failing or ARGUMENT_FACETS:
            for value in values[name]:
                counts[name][value] = counts[name].get(value, 0) + 1
        if not failing:
            matching.append(argument)
    choices = {
        "stance": Stance.choices,
        "evidence": EvidenceKind.choices,
        "component": [(c.slug, c.name) for c in filterset.components],
    }
    messages = filterset.messages
    groups = [
        ArgumentGroup(
            name=name,
            legend=str(filterset.filters[name].label),
            options=[
                ArgumentOption(
                    value=str(value),
                    label=str(label),
                    checked=str(value) in selections[name],
                    count=counts[name].get(str(value), 0),
                    id=f"{name}-{value}",
                )
                for value, label in choices[name]
            ],
            messages=messages.get(name, []),
        )
        for name in ARGUMENT_FACETS
    ]
    return ArgumentFacets(matching=matching, groups=groups)
