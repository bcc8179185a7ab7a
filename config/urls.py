from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from comparisons import views as comparison_views
from config import health
from provisions import changes

# An outage that surfaces outside a view still answers the 503 page (config/outage.py).
handler500 = "config.outage.server_error"

urlpatterns = [
    # Answered by config.health.HealthCheckMiddleware before Host checks; routed for reverse().
    path("healthz", health.healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    # Search lives in comparisons (the public atlas); its JSON sits with the other APIs.
    path("api/search", comparison_views.search_json, name="api-search"),
    path("api/", include("provisions.api")),
    path("export/", include("comparisons.exports")),
    path("feeds/", include("provisions.feeds")),
    path("changes/", changes.changes_page, name="changes"),
    path("", include("provisions.sitemaps")),
    path("", include("comparisons.urls")),
    path("", include("provisions.urls")),
]
