"""Instruments, edited as a whole: their provisions, timeline events and links."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.translation import gettext_lazy as _

from provisions.models import Instrument, InstrumentEvent, InstrumentRelation, Provision

from .desk import DeskFilter
from .editing import CitationSlugFields, exact_and_prefix_first
from .preview import PreviewAdmin
from .workflow import (
    EDITORIAL_STATE,
    SOURCE_AND_CHECKING,
    WITHDRAWAL,
    EditorialAdmin,
    PartAdmin,
    PartOfEditorialInline,
    can_publish,
)


class ProvisionInline(PartOfEditorialInline, CitationSlugFields, admin.TabularInline):
    """The instrument's table of contents. Each provision is edited in full on its own page.

    Existing rows are read-only unless the user may publish provisions: a row may be published,
    and editors change provisions one by one, where the workflow applies.
    """

    model = Provision
    fields = ["order", "label", "slug", "kind", "treatment", "summary", "state"]
    readonly_fields = ["state"]
    extra = 0
    show_change_link = True
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2})}}

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and can_publish(request.user, Provision)

    def has_delete_permission(self, request, obj=None):
        return False  # one by one, from the provision's page, where protection is explained


class InstrumentEventInline(PartOfEditorialInline, admin.TabularInline):
    model = InstrumentEvent
    extra = 0


class InstrumentRelationInline(PartOfEditorialInline, admin.TabularInline):
    model = InstrumentRelation
    fk_name = "source"
    autocomplete_fields = ["target"]
    extra = 0
    verbose_name = _("link to another instrument")
    verbose_name_plural = _("links to other instruments")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "target":
            # The widget prints the chosen instrument, whose name shows its jurisdiction.
            kwargs["queryset"] = Instrument.objects.select_related("jurisdiction")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Instrument)
class InstrumentAdmin(PreviewAdmin, EditorialAdmin):
    list_display = [
        "short_title",
        "jurisdiction",
        "kind",
        "status",
        "adopted_on",
        "binding",
        "state",
        "verification",
    ]
    list_filter = [DeskFilter, "jurisdiction", "kind", "status", "binding", "state", "verification"]
    list_select_related = ["jurisdiction"]
    search_fields = ["title", "short_title", "identifier", "slug"]
    autocomplete_fields = ["jurisdiction", "ended_by", "successor"]
    prepopulated_fields = {"slug": ["short_title"]}
    date_hierarchy = "adopted_on"
    inlines = [ProvisionInline, InstrumentEventInline, InstrumentRelationInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "jurisdiction",
                    ("title", "short_title", "slug"),
                    ("identifier", "kind", "binding"),
                    "official_url",
                    "summary",
                ]
            },
        ),
        (
            _("Official identifiers"),
            {
                "fields": [
                    ("celex", "eli"),
                    ("fr_citation", "fr_document_number", "published_on"),
                    ("document_number", "bill_number"),
                ]
            },
        ),
        (
            _("Legal life"),
            {
                "fields": [
                    "status",
                    ("proposed_on", "adopted_on", "adopted_on_precision", "in_force_on"),
                    ("ended_on", "ended_by"),
                    "status_note",
                ]
            },
        ),
        SOURCE_AND_CHECKING,
        EDITORIAL_STATE,
        WITHDRAWAL,
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in ("ended_by", "successor"):
            kwargs["queryset"] = Instrument.objects.select_related("jurisdiction")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        fields = ["short_title", "title", "identifier", "slug"]
        return exact_and_prefix_first(queryset, search_term, fields), may_have_duplicates


@admin.register(InstrumentRelation)
class InstrumentRelationAdmin(PartAdmin):
    """Also here on its own, to find every instrument that revokes or implements another."""

    part_of = "source"
    list_display = ["source", "kind", "target", "note"]
    list_filter = ["kind"]
    list_select_related = ["source__jurisdiction", "target__jurisdiction"]
    search_fields = ["source__short_title", "target__short_title", "note"]
    autocomplete_fields = ["source", "target"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs["queryset"] = Instrument.objects.select_related("jurisdiction")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
