"""The last answer of every outside link, as ``manage.py check_links`` recorded it."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from provisions.models import LinkCheck


@admin.register(LinkCheck)
class LinkCheckAdmin(admin.ModelAdmin):
    list_display = ["url", "ok", "status", "final_url", "method", "error", "checked_at"]
    list_filter = ["ok", "status"]
    search_fields = ["url", "final_url", "error"]
    search_help_text = _("URL, final URL or error.")
    date_hierarchy = "checked_at"
    readonly_fields = ["checked_at"]
