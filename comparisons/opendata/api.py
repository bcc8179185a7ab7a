"""The read-only JSON API: published records only, filtered like the pages, paginated.

Mounted at /api/ (comparisons/urls.py). The OpenAPI schema is generated from these views by
drf-spectacular and served at /api/schema/.
"""

import dataclasses

import django_filters
from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import include, path
from django.views.decorators.http import require_safe
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.extensions import OpenApiFilterExtension
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from drf_spectacular.views import SpectacularAPIView
from rest_framework import viewsets
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.routers import DefaultRouter

from comparisons.ai_models.forms import MODEL_FACETS
from comparisons.ai_models.grid import load_columns
from comparisons.matrix.filters import BINDING, JURISDICTION, ProvisionFilter
from comparisons.opendata import serializers
from comparisons.opendata.downloads import SCHEMA_PATH, SCHEMA_VERSION
from comparisons.opendata.model_serializers import ModelProfileSerializer
from comparisons.records.argument_filters import ArgumentFilter
from comparisons.web.facets import Facet, FacetFilterSet
from provisions import withdrawals
from provisions.models import Instrument, Jurisdiction, LegalStatus, ModelProfile, Topic
from provisions.models.editorial import EditorialState
from provisions.queries import (
    public_arguments,
    public_instruments,
    public_model_profiles,
    public_provisions,
)

PUBLISHED = EditorialState.PUBLISHED


class Pages(PageNumberPagination):
    """Numbered pages. A page size that is not a whole number from 1 to 500 is a 400:
    silently falling back to the default would hand a client a page it did not ask for."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: f"A whole number from 1 to {self.max_page_size}."}
            )
        return size

    def paginate_queryset(self, queryset, request, view=None):
        self.view = view
        return super().paginate_queryset(queryset, request, view)

    def get_paginated_response(self, data):
        response = super().get_paginated_response(data)
        if messages := self.messages():
            response.data["messages"] = messages
        return response

    def messages(self) -> dict[str, list[str]]:
        """Per parameter, what the answer did not take as asked: an unknown value it ignored
        (as the pages do), an old name or value it read as the new one."""
        view = getattr(self, "view", None)
        notes = {
            name: list(found) for name, found in getattr(view, "deprecation_notes", {}).items()
        }
        filterset = getattr(view, "filterset", None)
        if isinstance(filterset, FacetFilterSet):
            for name, found in filterset.messages.items():
                notes.setdefault(name, []).extend(found)
        return notes

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["messages"] = {
            "type": "object",
            "additionalProperties": {"type": "array", "items": {"type": "string"}},
            "description": "Only when a filter was not taken as asked: per parameter, why "
            "(an unknown value ignored, a deprecated name or value read as the new one).",
        }
        return paginated

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"].update(minimum=1, maximum=self.max_page_size)
        return parameters


@extend_schema_field({"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"})
class SlugFilter(django_filters.CharFilter):
    """A code or slug; anything else (spaces, NUL bytes, markup) is refused with a 400."""

    field_class = forms.SlugField


class IntegerFilter(django_filters.NumberFilter):
    """An id: a whole number, so "0.5" is refused (400) rather than matching nothing."""

    field_class = forms.IntegerField


# The API's query vocabulary is the pages' (version 1.1.0 of the API, 2026-11-30): the same
# names (``j``, ``evidence``, ``country`` …) and values (``binding=yes|no``), and unknown values
# in a repeatable filter ignored with a message, as on the pages. The names and values of 1.0
# keep working, with the same answers, until DEPRECATED_UNTIL; each answer that used one says
# so in ``messages``. An unknown kind or status of instrument, stance or kind of evidence is
# still a 400, as in 1.0 (their lists are fixed and clients were told so); so is an unknown
# value of a one-value filter (binding, a model's country, weights, licence), as on the pages
# (where the form says so and ignores the filter).
DEPRECATED_UNTIL = "2027-05-31"

INSTRUMENT_FACETS = (
    dataclasses.replace(JURISDICTION, lookup="jurisdiction__code"),
    Facet(
        "kind", "Kind", "The kind of instrument.", choices=Instrument.Kind.choices, lookup="kind"
    ),
    Facet(
        "status",
        "Legal status",
        "The instrument's legal status.",
        choices=LegalStatus.choices,
        lookup="status",
    ),
    dataclasses.replace(
        BINDING, lookup="binding", about="`yes`: legally binding; `no`: not binding."
    ),
)


class InstrumentFilter(FacetFilterSet):
    facets = INSTRUMENT_FACETS
    refuse_unknown = ("kind", "status")
    renamed = {"jurisdiction": "j"}
    revalued = {"binding": {"true": "yes", "false": "no"}}

    class Meta:
        model = Instrument
        fields = []


class ArgumentAPIFilter(ArgumentFilter):
    """The argument list's facets, plus what only the API filters on."""

    refuse_unknown = ("stance", "evidence")
    renamed = {"evidence_kind": "evidence"}
    topic = SlugFilter(field_name="topics__slug", distinct=True, help_text="Topic slug.")
    provision = IntegerFilter(field_name="provisions", distinct=True, help_text="Provision id.")
    openapi_extra = (
        {
            "name": "topic",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "pattern": r"^[-a-zA-Z0-9_]+$"},
            "description": "Topic slug (`/api/topics/`).",
        },
        {
            "name": "provision",
            "in": "query",
            "required": False,
            "schema": {"type": "integer"},
            "description": "Provision id.",
        },
    )


class ModelProfileFilter(FacetFilterSet):
    facets = MODEL_FACETS
    renamed = {"provider_country": "country", "weights_access": "weights", "licence_osi": "osi"}

    class Meta:
        model = ModelProfile
        fields = []


NOT_FOUND = OpenApiResponse(description="No such published record, or no such page.")
BAD_FILTER = OpenApiResponse(description="A filter value is not valid.")
GONE = OpenApiResponse(
    description=(
        "The record was published and has been withdrawn: when, why, and its successor if any."
    )
)


def read_only(serializer):
    """Document the error answers too, so clients (and schemathesis) know every status."""
    return extend_schema_view(
        list=extend_schema(responses={200: serializer(many=True), 400: BAD_FILTER, 404: NOT_FOUND}),
        retrieve=extend_schema(responses={200: serializer, 404: NOT_FOUND, 410: GONE}),
    )


class FilterDocs(OpenApiFilterExtension):
    target_class = "comparisons.opendata.api.FilterBackend"
    priority = 1  # before drf-spectacular's own django-filter extension

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
        parameters = self.current(auto_schema, *args, **kwargs)
        filterset_class = getattr(auto_schema.view, "filterset_class", None)
        by_name = {parameter["name"]: parameter for parameter in parameters}
        for old, new in getattr(filterset_class, "renamed", {}).items():
            parameters.append(
                by_name[new]
                | {
                    "name": old,
                    "deprecated": True,
                    "description": f"Deprecated: the API's old name for `{new}`, answered "
                    f"the same until {DEPRECATED_UNTIL}. " + by_name[new]["description"],
                }
            )
        for name, values in getattr(filterset_class, "revalued", {}).items():
            schema = dict(by_name[name]["schema"])
            schema["enum"] = [*schema["enum"], *values]
            olds = ", ".join(f"`{old}` for `{new}`" for old, new in values.items())
            by_name[name]["schema"] = schema
            by_name[name]["description"] += f" Deprecated values, until {DEPRECATED_UNTIL}: {olds}."
        return parameters

    def current(self, auto_schema, *args, **kwargs):
        """A FacetFilterSet's parameters as its facets declare them (their options come from
        the database at run time, and unknown values are ignored rather than refused); any
        other filter as drf-spectacular's django-filter extension describes it."""
        filterset_class = getattr(auto_schema.view, "filterset_class", None)
        if filterset_class is None or not issubclass(filterset_class, FacetFilterSet):
            return DjangoFilterExtension(self.target).get_schema_operation_parameters(
                auto_schema, *args, **kwargs
            )
        declared = filterset_class.openapi_parameters()
        named = {parameter["name"] for parameter in declared}
        if set(filterset_class.base_filters) <= named:
            return declared
        generated = DjangoFilterExtension(self.target).get_schema_operation_parameters(
            auto_schema, *args, **kwargs
        )
        return declared + [p for p in generated if p["name"] not in named]


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, keeping the FilterSet on the view (its as-of day is needed),
    and reading the API's old parameter names and values as the new ones (see
    DEPRECATED_UNTIL), with a note for the answer's ``messages``."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        filterset_class = self.get_filterset_class(view, queryset)
        data = kwargs["data"].copy()
        notes = {}
        for old, new in getattr(filterset_class, "renamed", {}).items():
            if old in data:
                values = data.pop(old)
                if new in data:  # both: the new name is the one read
                    notes[old] = [f"Ignored: “{new}” was given too."]
                    continue
                data.setlist(new, values)
                notes[old] = [
                    f"Deprecated name: use “{new}” (the old one works until {DEPRECATED_UNTIL})."
                ]
        for name, renames in getattr(filterset_class, "revalued", {}).items():
            values = data.getlist(name)
            if any(v in renames for v in values):
                data.setlist(name, [renames.get(v, v) for v in values])
                notes.setdefault(name, []).append(
                    "Deprecated value: use "
                    + ", ".join(f"“{new}” for “{old}”" for old, new in renames.items())
                    + f" (the old ones work until {DEPRECATED_UNTIL})."
                )
        view.deprecation_notes = notes
        kwargs["data"] = data
        return kwargs


class PublicViewSet(viewsets.ReadOnlyModelViewSet):
    pagination_class = Pages
    filter_backends = [FilterBackend]

    def filter_queryset(self, queryset):
        # Filters narrow lists; a record's own address answers whatever the filters' defaults
        # (an ended provision is hidden from the matrix by default, but its record exists).
        if self.action == "retrieve":
            return queryset
        return super().filter_queryset(queryset)

    def retrieve(self, request, *args, **kwargs):
        try:
            return super().retrieve(request, *args, **kwargs)
        except Http404:
            lookup = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field)
            withdrawal = withdrawals.find_by_pk(self.queryset.model, lookup)
            if withdrawal is None:
                raise
            return Response(withdrawal.as_json(request), status=410)


@read_only(serializers.JurisdictionSerializer)
class JurisdictionViewSet(PublicViewSet):
    queryset = Jurisdiction.objects.select_related("parent")
    serializer_class = serializers.JurisdictionSerializer
    lookup_field = "code"
    # Only what a code can be: anything else (a NUL byte …) is a 404, not a database error.
    lookup_value_regex = "[-a-zA-Z0-9_]+"


@read_only(serializers.TopicSerializer)
class TopicViewSet(PublicViewSet):
    queryset = Topic.objects.all()
    serializer_class = serializers.TopicSerializer
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"


@read_only(serializers.InstrumentSerializer)
class InstrumentViewSet(PublicViewSet):
    queryset = public_instruments()
    serializer_class = serializers.InstrumentSerializer
    filterset_class = InstrumentFilter


@read_only(serializers.ProvisionSerializer)
class ProvisionViewSet(PublicViewSet):
    queryset = public_provisions()
    serializer_class = serializers.ProvisionSerializer
    # The same FilterSet as the matrix pages: one definition of what a filter means, and the
    # same default (ended provisions hidden unless a status filter asks for them).
    filterset_class = ProvisionFilter

    def get_serializer_context(self):
        context = super().get_serializer_context()
        filterset = getattr(self, "filterset", None)
        if filterset is not None:
            context["today"] = filterset.day  # the standing shown is the one on the as-of day
        return context


@read_only(serializers.ArgumentSerializer)
class ArgumentViewSet(PublicViewSet):
    queryset = public_arguments()
    serializer_class = serializers.ArgumentSerializer
    filterset_class = ArgumentAPIFilter


@read_only(ModelProfileSerializer)
class ModelProfileViewSet(PublicViewSet):
    """Published model profiles, each with the atlas's evaluation under every provision."""

    queryset = public_model_profiles()
    serializer_class = ModelProfileSerializer
    filterset_class = ModelProfileFilter
    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"

    def get_serializer_context(self):
        return super().get_serializer_context() | {"columns": load_columns()}


def document_empty_filters(result, generator, request, public):
    """drf-spectacular hook: say in the schema that an empty filter means "any".

    The pages' forms send an empty value for "any" (``?stance=``), and the API shares their
    FilterSets, so an empty value is accepted and ignored. OpenAPI's ``allowEmptyValue`` says
    exactly that; an empty ``page`` is the first page. Only an empty ``page_size`` is refused.
    """
    for item in result.get("paths", {}).values():
        for operation in item.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["name"] != Pages.page_size_query_param:
                    parameter["allowEmptyValue"] = True
    return result


router = DefaultRouter()
router.register("jurisdictions", JurisdictionViewSet, basename="jurisdiction")
router.register("topics", TopicViewSet, basename="topic")
router.register("instruments", InstrumentViewSet, basename="instrument")
router.register("provisions", ProvisionViewSet, basename="provision")
router.register("arguments", ArgumentViewSet, basename="argument")
router.register("models", ModelProfileViewSet, basename="modelprofile")


class SchemaView(SpectacularAPIView):
    """The schema of the one API there is: ``?version=`` is not read (drf-spectacular would put
    it into the schema and the Content-Disposition file name, a client's text in a header)."""

    def _get_version_parameter(self, request):
        return None


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    """A plain page about the open data: no Swagger/Redoc UI (CDN assets, inline scripts)."""
    context = {"schema_url": static(SCHEMA_PATH), "schema_version": SCHEMA_VERSION}
    return render(request, "comparisons/api_docs.html", context)


app_name = "api"
urlpatterns = [
    path("docs/", api_docs, name="docs"),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("", include(router.urls)),
]
