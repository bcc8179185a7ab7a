"""The editors' admin. Each module registers the models it is named for."""

from django.contrib import admin

from . import arguments, findings, instruments, provisions, redirects, taxonomy  # noqa: F401

admin.site.site_header = "Openness Atlas: editors"
admin.site.site_title = "Openness Atlas admin"
