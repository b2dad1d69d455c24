"""What a practice pays for, mirrored from Stripe (public schema).

Stripe is the source of truth for subscriptions; `BillingAccount` keeps the few fields Warmpath
needs to decide, without a network call, whether a practice may write and how many active clients
it may have. Every Stripe webhook is stored once in `StripeEvent` before it is processed.
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from tenants.models import Practice


class Plan(models.TextChoices):
    SOLO = "solo", "Solo"
    TEAM = "team", "Team"


class SubscriptionStatus(models.TextChoices):
    """Stripe's subscription statuses; blank on the account means "no subscription yet"."""

    INCOMPLETE = "incomplete", "Incomplete"
    INCOMPLETE_EXPIRED = "incomplete_expired", "Incomplete, expired"
    TRIALING = "trialing", "Trialing"
    ACTIVE = "active", "Active"
    PAST_DUE = "past_due", "Past due"
    CANCELED = "canceled", "Canceled"
    UNPAID = "unpaid", "Unpaid"
    PAUSED = "paused", "Paused"


# Statuses in which Stripe still bills the subscription: its seats count.
LIVE_STATUSES = frozenset(
    {SubscriptionStatus.TRIALING, SubscriptionStatus.ACTIVE, SubscriptionStatus.PAST_DUE}
)


class BillingAccount(models.Model):
    practice = models.OneToOneField(Practice, on_delete=models.CASCADE, related_name="billing")
    trial_ends_at = models.DateTimeField()
    plan = models.CharField(max_length=8, choices=Plan, blank=True)
    stripe_customer_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    stripe_subscription_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    stripe_subscription_item_id = models.CharField(max_length=64, blank=True)
    subscription_status = models.CharField(max_length=20, choices=SubscriptionStatus, blank=True)
    seats = models.PositiveIntegerField(default=0, help_text="Paid active clients (quantity).")
    unit_amount = models.PositiveIntegerField(
        null=True, blank=True, help_text="Price of one seat, in the currency's smallest unit."
    )
    currency = models.CharField(max_length=3, blank=True)
    current_period_end = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    past_due_since = models.DateTimeField(
        null=True, blank=True, help_text="When Warmpath first saw the subscription past due."
    )
    synced_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("practice__name",)
        constraints = [
            models.CheckConstraint(
                condition=Q(plan__in=[*Plan.values, ""]), name="billing_account_plan_valid"
            ),
            models.CheckConstraint(
                condition=Q(subscription_status__in=[*SubscriptionStatus.values, ""]),
                name="billing_account_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(past_due_since__isnull=True)
                | Q(subscription_status=SubscriptionStatus.PAST_DUE),
                name="billing_account_past_due_since_only_when_past_due",
            ),
        ]

    def __str__(self) -> str:
        return f"Billing for {self.practice}"

    @property
    def has_live_subscription(self) -> bool:
        return self.subscription_status in LIVE_STATUSES


class EventStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSED = "processed", "Processed"
    FAILED = "failed", "Failed"  # cannot be applied as it is; `error` says why


class StripeEvent(models.Model):
    """One Stripe webhook event, stored once by its id; a redelivery finds it and stops.

    `pending` until applied (`processed`), or until applying it failed for a reason retrying
    will not fix (`failed`, with `error`): a malformed object, an unknown status. A failure of
    the moment (Stripe or the database unreachable) leaves it pending, `error` saying what
    happened last, for the task's own retries and `manage.py billing_process_pending`."""

    stripe_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField()
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    practice = models.ForeignKey(
        Practice, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    error = models.TextField(blank=True, help_text="Why the last processing attempt failed.")
    status = models.CharField(
        max_length=10, choices=EventStatus, default=EventStatus.PENDING, db_index=True
    )

    class Meta:
        ordering = ("-received_at",)

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_id}"
