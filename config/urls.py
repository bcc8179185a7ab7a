"""The root URLconf: the load balancer's probe, the admin, and the public atlas's URLconf."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import health

# An outage that surfaces outside a view still answers the 503 page (config/outage.py).
handler500 = "config.outage.server_error"

urlpatterns = [
    # Answered by config.health.HealthCheckMiddleware before Host checks; routed for reverse().
    path("healthz", health.healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("comparisons.urls")),
]
