"""Reads for billing: the account (without creating it), seats in use (counted by the coaching
app through `billing.seats`), the settings page, and the stored Stripe events the sweeper should
process."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Min
from django_tenants.utils import schema_context

from billing import stripe_api
from billing.models import BillingAccount, EventStatus, Plan, StripeEvent
from billing.plans import trial_days
from billing.seats import seats_in_use
from tenants.models import Practice

# Stripe retries a webhook for three days; an event older than that which still is not applied
# is left to an operator (`manage.py billing_process_pending`) rather than retried for ever.
SWEEP_HORIZON = timedelta(days=3)
SWEEP_LIMIT = 500


def trial_start(*, practice: Practice) -> datetime:
    """When the practice signed up. A claimed spare keeps the `created_at` of the moment it was
    migrated (maybe days before signup), so the owner joining is the better clock when later."""
    from accounts.models import Role, User

    with schema_context(practice.schema_name):
        joined = User.objects.filter(role=Role.OWNER).aggregate(first=Min("date_joined"))["first"]
    return max(practice.created_at, joined) if joined else practice.created_at


def billing_account_peek(*, practice: Practice) -> BillingAccount:
    """The practice's account, or the trial it would start with (unsaved) when it has none yet:
    reading billing state never writes."""
    account = BillingAccount.objects.filter(practice=practice).first()
    if account is not None:
        return account
    return BillingAccount(
        practice=practice,
        trial_ends_at=trial_start(practice=practice) + timedelta(days=trial_days()),
    )


def active_client_count(*, practice: Practice) -> int:
    """Seats in use: active clients (`billing.seats`: the coaching app counts them)."""
    return seats_in_use(practice=practice)


@dataclass(frozen=True, slots=True)
class PlanOffer:
    plan: str
    name: str


@dataclass(frozen=True, slots=True)
class BillingOverview:
    configured: bool
    account: BillingAccount
    access: str
    writable: bool
    message: str
    plan_name: str
    seats_used: int
    seats_allowed: int | None
    next_invoice_at: datetime | None
    next_invoice_amount: str
    offers: list[PlanOffer]
    can_subscribe: bool
    can_manage: bool
    can_change_seats: bool


def _money(*, amount: int, currency: str) -> str:
    return f"{amount / 100:,.2f} {currency.upper()}".strip()


def billing_overview(*, practice: Practice, now: datetime) -> BillingOverview:
    """Everything the owner's billing page shows, without calling Stripe."""
    from billing.entitlements import access_state

    account = billing_account_peek(practice=practice)
    state = access_state(account=account, now=now)
    seats_used = active_client_count(practice=practice)
    configured = stripe_api.is_configured()
    live = account.has_live_subscription
    next_at = account.current_period_end if live and not account.cancel_at_period_end else None
    amount = ""
    if next_at and account.unit_amount is not None:
        amount = _money(amount=account.unit_amount * account.seats, currency=account.currency)
    return BillingOverview(
        configured=configured,
        account=account,
        access=state.access,
        writable=state.writable,
        message=state.message(is_owner=True),
        plan_name=Plan(account.plan).label if account.plan else "",
        seats_used=seats_used,
        seats_allowed=state.seats_allowed,
        next_invoice_at=next_at,
        next_invoice_amount=amount,
        offers=[PlanOffer(plan=p.value, name=p.label) for p in stripe_api.offered_plans()],
        can_subscribe=configured and not live,
        can_manage=configured and bool(account.stripe_customer_id),
        can_change_seats=configured and live and bool(account.stripe_subscription_item_id),
    )


def grace_period() -> timedelta:
    return timedelta(days=settings.BILLING_PAST_DUE_GRACE_DAYS)


def stripe_events_to_queue(*, now: datetime, waited: timedelta) -> list[int]:
    """For the sweeper: stored events still pending after `waited` that were never tried —
    their task was lost (the broker was down when the event arrived, say). One that failed for
    good is `failed`; one whose attempt hit a failure of the moment (Stripe unreachable) keeps
    that error and its task's own retries, so it is not sent again here."""
    return list(
        StripeEvent.objects.filter(
            status=EventStatus.PENDING,
            processed_at__isnull=True,
            error="",
            received_at__lt=now - waited,
            received_at__gt=now - SWEEP_HORIZON,
        )
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
