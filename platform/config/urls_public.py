"""URLs of the public site: the bare base domain (e.g. localhost:8000)."""

from django.contrib import admin
from django.urls import include, path

from billing.views import stripe_webhook

urlpatterns = [
    path("", include("frontend.urls_public")),
    path("admin/", admin.site.urls),
    path("billing/stripe/webhook/", stripe_webhook, name="stripe_webhook"),
]
