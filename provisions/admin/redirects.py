from django.contrib import admin

from provisions.models import MovedPath, SearchSynonym

from .workflow import HistoryAdmin


@admin.register(MovedPath)
class MovedPathAdmin(admin.ModelAdmin):
    list_display = ["old_path", "new_path", "moved_at"]
    search_fields = ["old_path", "new_path"]


@admin.register(SearchSynonym)
class SearchSynonymAdmin(HistoryAdmin):
    """Search's synonym groups: editors add a word readers use without a programmer."""

    list_display = ["__str__", "note"]
    search_fields = ["terms", "note"]
