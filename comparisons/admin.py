"""Curated comparisons (matrices), edited with their ordered columns."""

from django.contrib import admin

from comparisons.models import Comparison, ComparisonColumn
from provisions.admin.workflow import EditorialAdmin, PartOfEditorialInline


class ColumnInline(PartOfEditorialInline, admin.TabularInline):
    model = ComparisonColumn
    fields = ["order", "jurisdiction"]
    autocomplete_fields = ["jurisdiction"]
    extra = 0


@admin.register(Comparison)
class ComparisonAdmin(EditorialAdmin):
    list_display = ["title", "slug", "rows", "is_home", "state", "updated_at"]
    list_filter = ["state", "rows", "is_home"]
    search_fields = ["title", "slug", "introduction"]
    autocomplete_fields = ["topics", "components"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [ColumnInline]
