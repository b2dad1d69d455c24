"""URLs served on each practice's host (<slug>.<base domain>)."""

from django.urls import include, path

urlpatterns = [
    path("accounts/", include("allauth.urls")),
    path("", include("frontend.urls_tenant")),
    path("", include("billing.urls")),
    path("api/v1/", include("api.urls")),
    path("notifications/", include("notifications.urls")),
]

# An unreachable Redis or PostgreSQL is a 503 with Retry-After, not a 500 (config/outage.py).
handler500 = "config.outage.server_error"
