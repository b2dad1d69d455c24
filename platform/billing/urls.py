"""Billing pages on a practice's host (included from config.urls_tenant)."""

from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("settings/billing/", views.billing_settings, name="settings"),
    path("settings/billing/checkout/", views.checkout, name="checkout"),
    path("settings/billing/portal/", views.portal, name="portal"),
    path("settings/billing/seats/", views.seats, name="seats"),
]
