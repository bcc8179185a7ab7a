"""Arguments, edited with the provisions, topics and components they bear on; their sources."""

from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from provisions.models import (
    Argument,
    ArgumentComponent,
    ArgumentProvision,
    ArgumentTopic,
    Provision,
    Source,
)
from provisions.spreadsheets import ArgumentResource

from .desk import DeskFilter
from .spreadsheets import CappedImportExportMixin
from .workflow import (
    EDITORIAL_STATE,
    WITHDRAWAL,
    EditorialAdmin,
    PartOfEditorialInline,
    ShownByEditorialAdmin,
)


class ProvisionLinkInline(PartOfEditorialInline, admin.TabularInline):
    model = ArgumentProvision
    fields = ["provision", "stance", "note"]
    autocomplete_fields = ["provision"]
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "provision":
            kwargs["queryset"] = Provision.objects.select_related("instrument")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class TopicLinkInline(PartOfEditorialInline, admin.TabularInline):
    model = ArgumentTopic
    fields = ["topic", "stance", "note"]
    autocomplete_fields = ["topic"]
    extra = 0


class ComponentLinkInline(PartOfEditorialInline, admin.TabularInline):
    model = ArgumentComponent
    fields = ["component", "stance", "note"]
    autocomplete_fields = ["component"]
    extra = 0


@admin.register(Argument)
class ArgumentAdmin(CappedImportExportMixin, EditorialAdmin):
    resource_classes = [ArgumentResource]
    export_template_name = "admin/provisions/export.html"  # CSP-clean copy
    list_display = ["title", "stance", "evidence_kind", "source", "state", "verification"]
    list_filter = [DeskFilter, "stance", "evidence_kind", "state", "verification"]
    list_select_related = ["source"]
    search_fields = ["title", "slug", "summary", "source__title", "source__authors"]
    autocomplete_fields = ["source", "successor"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ProvisionLinkInline, TopicLinkInline, ComponentLinkInline]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("stance", "evidence_kind"), "summary", "quotation"]}),
        (
            _("Source and checking"),
            {"fields": ["source", "source_url", "checked_on", "verification"]},
        ),
        EDITORIAL_STATE,
        WITHDRAWAL,
    ]


@admin.register(Source)
class SourceAdmin(ShownByEditorialAdmin):
    shown_by = "arguments"  # a source cited by a published argument is under its lock
    list_display = ["title", "authors", "organisation", "published_on", "verification", "uses"]
    list_filter = [DeskFilter, "verification"]
    search_fields = ["title", "authors", "organisation", "url", "doi", "arxiv_id"]
    date_hierarchy = "published_on"

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(argument_count=Count("arguments"))
            .order_by(*self.model._meta.ordering)  # a GROUP BY query drops Meta.ordering
        )

    @admin.display(description=_("arguments"), ordering="argument_count")
    def uses(self, obj) -> int:
        return obj.argument_count
