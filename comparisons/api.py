"""The read-only JSON API: published records only, filtered like the pages, paginated.

Mounted at /api/ (comparisons/urls.py). The OpenAPI schema is generated from these views by
drf-spectacular and served at /api/schema/.
"""

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
from drf_spectacular.types import OpenApiTypes
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

from comparisons import serializers
from comparisons.exports import SCHEMA_PATH, SCHEMA_VERSION
from comparisons.facets import FacetFilterSet
from comparisons.filters import ProvisionFilter
from comparisons.model_api import ModelProfileSerializer, public_model_profiles
from comparisons.model_grid import load_columns
from provisions import withdrawals
from provisions.models import (
    Argument,
    Instrument,
    Jurisdiction,
    ModelProfile,
    Topic,
)
from provisions.models.editorial import EditorialState
from provisions.queries import public_arguments, public_instruments, public_provisions

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


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanFilter(django_filters.BooleanFilter):
    """true or false; anything else is refused (400) rather than silently ignored."""

    field_class = forms.TypedChoiceField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("choices", [("true", "true"), ("false", "false")])
        kwargs.setdefault("coerce", lambda value: value == "true")
        kwargs.setdefault("empty_value", None)
        super().__init__(*args, **kwargs)


class InstrumentFilter(django_filters.FilterSet):
    jurisdiction = SlugFilter(
        field_name="jurisdiction__code", help_text="Jurisdiction code: us, eu, cn."
    )

    binding = StrictBooleanFilter(help_text="true: legally binding; false: not binding.")

    class Meta:
        model = Instrument
        fields = ["jurisdiction", "kind", "status", "binding"]


class ArgumentFilter(django_filters.FilterSet):
    topic = SlugFilter(field_name="topics__slug", distinct=True, help_text="Topic slug.")
    component = SlugFilter(
        field_name="components__slug", distinct=True, help_text="Component slug."
    )
    provision = IntegerFilter(field_name="provisions", distinct=True, help_text="Provision id.")

    class Meta:
        model = Argument
        fields = ["stance", "evidence_kind", "topic", "component", "provision"]


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
    target_class = "comparisons.api.FilterBackend"
    priority = 1  # before drf-spectacular's own django-filter extension

    def get_schema_operation_parameters(self, auto_schema, *args, **kwargs):
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
    """django-filter's backend, keeping the FilterSet on the view (its as-of day is needed)."""

    def get_filterset(self, request, queryset, view):
        view.filterset = super().get_filterset(request, queryset, view)
        return view.filterset


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
    filterset_class = ArgumentFilter


class ModelProfileFilter(django_filters.FilterSet):
    class Meta:
        model = ModelProfile
        fields = ["provider_country", "weights_access", "licence_osi"]


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


@require_safe
def api_docs(request: HttpRequest) -> HttpResponse:
    """A plain page about the open data: no Swagger/Redoc UI (CDN assets, inline scripts)."""
    context = {"schema_url": static(SCHEMA_PATH), "schema_version": SCHEMA_VERSION}
    return render(request, "comparisons/api_docs.html", context)


app_name = "api"
urlpatterns = [
    path("docs/", api_docs, name="docs"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("", include(router.urls)),
]
