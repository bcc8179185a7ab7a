"""Jurisdictions, topics, openness components and conditions: the axes of the atlas."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from provisions.models import Component, Condition, Jurisdiction, Topic

from .workflow import HistoryAdmin, RefuseDeleteInUse


@admin.register(Jurisdiction)
class JurisdictionAdmin(HistoryAdmin):
    list_display = ["name", "code", "short_name", "kind", "parent", "order", "instrument_count"]
    list_editable = ["order"]
    list_filter = ["kind"]
    list_select_related = ["parent"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["parent"]
    prepopulated_fields = {"code": ["short_name"]}

    def get_queryset(self, request):
        # A GROUP BY query drops Meta.ordering; keep it (autocomplete pages need an order).
        return (
            super()
            .get_queryset(request)
            .annotate(instrument_count=Count("instruments"))
            .order_by(*self.model._meta.ordering)
        )

    @admin.display(description=_("instruments"), ordering="instrument_count")
    def instrument_count(self, obj) -> int:
        return obj.instrument_count


class TermAdmin(RefuseDeleteInUse, HistoryAdmin):
    list_display = ["name", "slug", "order", "provision_count"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    in_use_by = ("provisions",)

    def get_queryset(self, request):
        # distinct: one Count per relation would otherwise multiply through the other joins.
        return (
            super()
            .get_queryset(request)
            .annotate(provision_count=Count("provisions", distinct=True))
            .order_by(*self.model._meta.ordering)  # a GROUP BY query drops Meta.ordering
        )

    @admin.display(description=_("provisions"), ordering="provision_count")
    def provision_count(self, obj) -> int:
        return obj.provision_count


@admin.register(Topic)
class TopicAdmin(TermAdmin):
    list_display = ["name", "question", "slug", "order", "provision_count"]
    search_fields = [*TermAdmin.search_fields, "question"]
    in_use_by = ("provisions", "silences", "comparisons")


@admin.register(Component)
class ComponentAdmin(TermAdmin):
    in_use_by = ("provisions", "silences", "comparisons")


@admin.register(Condition)
class ConditionAdmin(TermAdmin):
    list_display = ["name", "polarity", "slug", "order", "provision_count"]
