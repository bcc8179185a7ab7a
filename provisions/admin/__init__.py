"""The editors' admin. Each module registers the models it is named for."""

from django.contrib import admin

from . import (  # noqa: F401
    ai_models,
    arguments,
    findings,
    instruments,
    links,
    provisions,
    redirects,
    taxonomy,
)

admin.site.site_header = "Openness Atlas: editors"
admin.site.site_title = "Openness Atlas admin"
