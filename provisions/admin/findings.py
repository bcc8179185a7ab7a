"""Findings of silence: reviewed and found nothing, which is not the same as not reviewed."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from provisions.models import Instrument, Silence

from .desk import DeskFilter
from .workflow import EDITORIAL_STATE, EditorialAdmin


@admin.register(Silence)
class SilenceAdmin(EditorialAdmin):
    list_display = [
        "statement",
        "jurisdiction",
        "period_start",
        "period_end",
        "reviewed_on",
        "state",
        "verification",
    ]
    list_filter = [DeskFilter, "jurisdiction", "state", "verification", "topics", "components"]
    list_select_related = ["jurisdiction"]
    search_fields = ["statement", "scope"]
    autocomplete_fields = ["jurisdiction", "instruments", "topics", "components"]
    fieldsets = [
        (None, {"fields": ["jurisdiction", "statement", "scope"]}),
        (
            _("What was reviewed"),
            {"fields": [("period_start", "period_end"), "instruments", "topics", "components"]},
        ),
        (
            _("Source and checking"),
            {"fields": ["reviewed_on", "source_url", "checked_on", "verification"]},
        ),
        EDITORIAL_STATE,
    ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "instruments":
            kwargs["queryset"] = Instrument.objects.select_related("jurisdiction")
        return super().formfield_for_manytomany(db_field, request, **kwargs)
