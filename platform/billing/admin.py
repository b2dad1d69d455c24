"""Platform staff's view of billing (public-schema admin, on the bare base domain)."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils import timezone

from billing.entitlements import access_state
from billing.models import BillingAccount, StripeEvent


@admin.register(BillingAccount)
class BillingAccountAdmin(admin.ModelAdmin):
    list_display = (
        "practice",
        "plan",
        "subscription_status",
        "access",
        "seats",
        "trial_ends_at",
        "current_period_end",
        "past_due_since",
    )
    list_filter = ("plan", "subscription_status")
    list_select_related = ("practice",)
    search_fields = ("practice__name", "practice__slug", "stripe_customer_id")
    # Stripe is the source of truth: change a subscription in Stripe, the webhook brings it here.
    readonly_fields = (
        "practice",
        "plan",
        "stripe_customer_id",
        "stripe_subscription_id",
        "stripe_subscription_item_id",
        "subscription_status",
        "seats",
        "unit_amount",
        "currency",
        "current_period_end",
        "cancel_at_period_end",
        "past_due_since",
        "synced_at",
        "created_at",
    )
    fields = ("trial_ends_at", *readonly_fields)

    @admin.display(description="access")
    def access(self, account: BillingAccount) -> str:
        return access_state(account=account, now=timezone.now()).access.value

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(StripeEvent)
class StripeEventAdmin(admin.ModelAdmin):
    list_display = (
        "stripe_id", "type", "status", "practice", "received_at", "processed_at", "error"
    )  # fmt: skip
    list_filter = ("status", "type", ("processed_at", admin.EmptyFieldListFilter))
    list_select_related = ("practice",)
    search_fields = ("stripe_id", "type")
    readonly_fields = (
        "stripe_id",
        "type",
        "payload",
        "practice",
        "received_at",
        "processed_at",
        "status",
        "error",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
