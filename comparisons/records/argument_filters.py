"""Filters for the argument list: stance, kind of evidence, openness component.

The same engine as the matrix filters (comparisons/web/facets.py): unknown values are dropped with a
message, and each option shows how many arguments choosing it would leave.
"""

from dataclasses import dataclass, replace

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import OuterRef

from comparisons.matrix.filters import COMPONENT
from comparisons.web.facets import Facet, FacetFilterSet, Group, count_facets, panel_groups
from provisions.models import Argument, EvidenceKind, Stance
from provisions.models.arguments import ArgumentComponent

STANCE = Facet(
    "stance",
    "Stance on openness",
    "The argument's stance on openness.",
    choices=Stance.choices,
    lookup="stance",
)
EVIDENCE = Facet(
    "evidence",
    "Kind of evidence",
    "The kind of evidence the argument rests on.",
    choices=EvidenceKind.choices,
    lookup="evidence_kind",
)
# The matrix's component filter (same key, options and lookup) under the list's singular legend.
ARGUMENT_COMPONENT = replace(COMPONENT, label="Openness component")
ARGUMENT_FACETS = (STANCE, EVIDENCE, ARGUMENT_COMPONENT)


class ArgumentFilter(FacetFilterSet):
    facets = ARGUMENT_FACETS

    class Meta:
        model = Argument
        fields = []

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = Argument.objects.published()
        super().__init__(data, queryset, **kwargs)

    def value(self, name):
        return super().value(name) or []


@dataclass
class ArgumentFacets:
    matching: list[Argument]
    groups: list[Group]


def read_argument(argument: Argument, facet: Facet):
    """An argument's stored value for ``facet`` (``component_slugs`` is annotated below)."""
    if facet.links:
        return argument.component_slugs
    return getattr(argument, facet.lookup)


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
    counted = count_facets(universe, filterset.facets, filterset.selections(), read_argument)
    return ArgumentFacets(matching=counted.matching, groups=panel_groups(filterset, counted.counts))
