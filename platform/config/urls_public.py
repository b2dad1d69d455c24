"""URLs of the public site: the bare base domain (e.g. localhost:8000)."""

from django.contrib import admin
from django.urls import include, path

from api.capture import inbound_mail
from billing.views import stripe_webhook

urlpatterns = [
    path("", include("frontend.urls_public")),
    path("admin/", admin.site.urls),
    path("billing/stripe/webhook/", stripe_webhook, name="stripe_webhook"),
    path("inbound/mail/", inbound_mail, name="inbound_mail"),
]

# An unreachable Redis or PostgreSQL is a 503 with Retry-After, not a 500 (config/outage.py).
handler500 = "config.outage.server_error"
