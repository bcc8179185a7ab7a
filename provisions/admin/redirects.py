from django.contrib import admin

from provisions.models import MovedPath


@admin.register(MovedPath)
class MovedPathAdmin(admin.ModelAdmin):
    list_display = ["old_path", "new_path", "moved_at"]
    search_fields = ["old_path", "new_path"]
