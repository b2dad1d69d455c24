"""Writes for billing: the trial account, Checkout and Portal sessions, seats, Stripe webhooks.

Webhooks are stored once by event id and processed in Celery. Stripe sends events duplicated and
out of order, so no handler trusts the state inside an event: each one finds the account, then,
holding the account's row lock, re-reads the subscription from Stripe and applies what Stripe says
now. Whatever the order, the last event processed leaves the account as Stripe has it.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import stripe
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from accounts.verification import email_confirmation_pending
from audit.actions import AuditAction
from audit.services import audit_record
from billing import stripe_api
from billing.entitlements import WHERE
from billing.models import (
    LIVE_STATUSES,
    BillingAccount,
    EventStatus,
    Plan,
    StripeEvent,
    SubscriptionStatus,
)
from billing.plans import price_problem, trial_days
from billing.selectors import active_client_count, trial_start
from billing.webhook_events import MalformedEvent, verified_event
from config.celery_app import enqueue
from tenants.models import Practice

logger = logging.getLogger(__name__)

MAX_SEATS = 10_000
# A stored event still unprocessed this long after it arrived is queued again on redelivery
# (its first task was lost, e.g. the broker was down when it arrived).
REQUEUE_AFTER = timedelta(minutes=5)


CONFIRM_EMAIL_FIRST = (
    "Confirm your email address first: open the link we sent to {email} "
    "(Security, top right, sends it again)."
)


class WebhookRejected(Exception):
    """The request is not a genuine, current Stripe event; nothing was stored."""


def billing_account_for(*, practice: Practice) -> BillingAccount:
    """The practice's billing account, created on first use with its trial (`BILLING_TRIAL_DAYS`,
    counted from signup), so signup itself needs no billing step."""
    account = BillingAccount.objects.filter(practice=practice).first()
    if account is not None:
        return account
    account, _ = BillingAccount.objects.get_or_create(
        practice=practice,
        defaults={"trial_ends_at": trial_start(practice=practice) + timedelta(days=trial_days())},
    )
    return account


def trial_extend(*, practice: Practice, at_least: timedelta) -> bool:
    """Make the trial last at least `at_least` from now (no effect on a live subscription).
    Returns whether the trial end moved."""
    with transaction.atomic():
        account = _locked(billing_account_for(practice=practice))
        until = timezone.now() + at_least
        if account.has_live_subscription or account.trial_ends_at >= until:
            return False
        account.trial_ends_at = until
        account.save(update_fields=["trial_ends_at"])
        return True


def _require_configured() -> None:
    if not stripe_api.is_configured():
        raise ValidationError({"billing": [stripe_api.NOT_CONFIGURED]})


@contextmanager
def _stripe_problem_as_error() -> Iterator[None]:
    """A Stripe failure during a person's request becomes an error they can read."""
    try:
        yield
    except stripe.StripeError as exc:
        logger.warning("Stripe call failed: %s", exc)
        raise ValidationError(
            {"billing": ["Stripe did not accept the request. Try again in a minute."]}
        ) from exc


def _locked(account: BillingAccount) -> BillingAccount:
    return BillingAccount.objects.select_for_update().get(pk=account.pk)


def _customer_ensure(*, account: BillingAccount) -> str:
    """The practice's Stripe customer, created once (call with the account row locked)."""
    if account.stripe_customer_id:
        return account.stripe_customer_id
    practice = account.practice
    customer = stripe_api.client().v1.customers.create(
        params={
            "email": practice.owner_email,
            "name": practice.name,
            "metadata": {"practice_id": str(practice.pk), "practice_slug": practice.slug or ""},
        },
        options={"idempotency_key": f"warmpath-customer-{practice.pk}-{account.pk}"},
    )
    account.stripe_customer_id = customer.id
    account.save(update_fields=["stripe_customer_id"])
    return customer.id


def checkout_session_create(*, practice: Practice, actor: User, plan: str, return_url: str) -> str:
    """Start Stripe Checkout for `plan`; returns the URL to send the owner to. Seats start at the
    number of active clients (at least one) and can be changed on Stripe's page."""
    _require_configured()
    if email_confirmation_pending(user=actor):
        raise ValidationError({"billing": [CONFIRM_EMAIL_FIRST.format(email=actor.email)]})
    price = stripe_api.price_id(plan=plan) if plan in Plan.values else ""
    if not price:
        offered = " or ".join(p.label for p in stripe_api.offered_plans()) or "no plan"
        raise ValidationError({"plan": [f"Choose a plan this server offers ({offered})."]})
    _ensure_price_as_shown(plan=plan, price=price)
    with _stripe_problem_as_error(), transaction.atomic():
        account = _locked(billing_account_for(practice=practice))
        if account.has_live_subscription:
            raise ValidationError(
                {
                    "plan": [
                        "This practice already has a subscription. Change plan, seats or card "
                        "with “Manage billing” in " + WHERE + "."
                    ]
                }
            )
        customer = _customer_ensure(account=account)
    with _stripe_problem_as_error():
        session = stripe_api.client().v1.checkout.sessions.create(
            params={
                "mode": "subscription",
                "customer": customer,
                "client_reference_id": str(practice.pk),
                "line_items": [
                    {
                        "price": price,
                        "quantity": max(active_client_count(practice=practice), 1),
                        "adjustable_quantity": {
                            "enabled": True,
                            "minimum": 1,
                            "maximum": MAX_SEATS,
                        },
                    }
                ],
                "metadata": {"practice_id": str(practice.pk), "plan": plan},
                "subscription_data": {"metadata": {"practice_id": str(practice.pk), "plan": plan}},
                "success_url": f"{return_url}?checkout=done",
                "cancel_url": f"{return_url}?checkout=cancelled",
            }
        )
    return str(session.url)


def _ensure_price_as_shown(*, plan: str, price: str) -> None:
    """Refuse checkout when Stripe's Price would charge other than the pricing page shows."""
    with _stripe_problem_as_error():
        stripe_price = stripe_api.as_dict(stripe_api.client().v1.prices.retrieve(price))
    problem = price_problem(
        plan=plan,
        unit_amount=stripe_price.get("unit_amount"),
        price_currency=str(stripe_price.get("currency") or ""),
    )
    if problem:
        logger.error("checkout refused: %s", problem)
        raise ValidationError(
            {
                "plan": [
                    "This plan's price is being updated, so it cannot be bought right now. "
                    "Try again later; nothing was charged."
                ]
            }
        )


def portal_session_create(*, practice: Practice, return_url: str) -> str:
    """A Stripe Customer Portal link (card, invoices, plan, cancellation), made on demand."""
    _require_configured()
    account = billing_account_for(practice=practice)
    if not account.stripe_customer_id:
        raise ValidationError(
            {"billing": ["There is no card or invoice yet: subscribe to a plan first."]}
        )
    with _stripe_problem_as_error():
        session = stripe_api.client().v1.billing_portal.sessions.create(
            params={"customer": account.stripe_customer_id, "return_url": return_url}
        )
    return str(session.url)


def subscription_seats_change(*, practice: Practice, seats: int) -> BillingAccount:
    """Set the number of paid seats (Stripe prorates the change on the next invoice)."""
    _require_configured()
    if not 1 <= seats <= MAX_SEATS:
        raise ValidationError({"seats": [f"Choose between 1 and {MAX_SEATS:,} seats."]})
    used = active_client_count(practice=practice)
    if seats < used:
        raise ValidationError(
            {
                "seats": [
                    f"{used} clients are active, so the plan needs at least {used} seats. "
                    "Pause or mark clients as landed first to go lower."
                ]
            }
        )
    with _stripe_problem_as_error(), transaction.atomic():
        account = _locked(billing_account_for(practice=practice))
        if not (account.has_live_subscription and account.stripe_subscription_item_id):
            raise ValidationError({"seats": ["Subscribe to a plan first, then add seats."]})
        subscription = stripe_api.client().v1.subscriptions.update(
            account.stripe_subscription_id or "",
            params={
                "items": [{"id": account.stripe_subscription_item_id, "quantity": seats}],
                "proration_behavior": "create_prorations",
            },
        )
        _subscription_apply(
            account=account, subscription=stripe_api.as_dict(subscription), now=timezone.now()
        )
    return account


# Webhooks -------------------------------------------------------------------------------------


def stripe_event_receive(*, payload: bytes, signature: str) -> tuple[StripeEvent, bool]:
    """Verify a webhook on its raw body and store it once by id; queue processing after commit.
    Returns the stored event and whether this delivery was the first."""
    secret = settings.STRIPE_WEBHOOK_SECRET
    if not secret:
        raise WebhookRejected("Stripe webhooks are not configured (STRIPE_WEBHOOK_SECRET).")
    try:
        event = verified_event(payload=payload, signature=signature, secret=secret)
    except stripe.SignatureVerificationError as exc:
        raise WebhookRejected("The Stripe-Signature header is missing, wrong or stale.") from exc
    except MalformedEvent as exc:  # signed, but not an event that can be stored
        raise WebhookRejected(str(exc)) from exc
    with transaction.atomic():
        stored, created = StripeEvent.objects.get_or_create(
            stripe_id=event.id, defaults={"type": event.type, "payload": event.payload}
        )
        stale = stored.processed_at is None and timezone.now() - stored.received_at > REQUEUE_AFTER
        if created or stale:
            transaction.on_commit(lambda: _queue(event_pk=stored.pk))
    return stored, created


def _queue(*, event_pk: int) -> None:
    from billing.tasks import process_stripe_event

    # Stripe has its 200 and will not resend: if the broker does not take the task, the stored
    # event waits for the sweeper (billing.selectors.stripe_events_to_queue).
    enqueue(process_stripe_event, event_pk)


def stripe_event_process(*, event_pk: int, now: datetime | None = None) -> bool:
    """Apply one stored event, once. Returns True when this call applied it; False when it had
    already been applied or had failed, or when applying it failed now: then it ends `failed`
    with the reason, and never holds up the events behind it. A failure of the moment (Stripe
    or the database unreachable) is raised instead, the event left pending for a retry."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            event = StripeEvent.objects.select_for_update().get(pk=event_pk)
            if event.processed_at is not None or event.status != EventStatus.PENDING:
                return False
            handler = _HANDLERS.get(event.type)
            practice = handler(_event_object(event.payload), now) if handler else None
            event.processed_at = now
            event.practice = practice
            event.error = ""
            event.status = EventStatus.PROCESSED
            event.save(update_fields=["processed_at", "practice", "error", "status"])
            return True
    except (*stripe_api.TRANSIENT_ERRORS, OperationalError, InterfaceError) as exc:
        StripeEvent.objects.filter(pk=event_pk).update(error=_reason(exc))
        raise
    except Exception as exc:
        logger.exception("Stripe event %s cannot be applied; marked failed", event_pk)
        StripeEvent.objects.filter(pk=event_pk).update(
            status=EventStatus.FAILED, error=_reason(exc)
        )
        return False


def _event_object(payload: Any) -> dict[str, Any]:
    """`data.object` of a stored event (checked on arrival; rows stored before may lack it)."""
    obj = payload.get("data", {}).get("object") if isinstance(payload, dict) else None
    if not isinstance(obj, dict):
        raise ValueError("the event has no data.object")
    return obj


def _reason(exc: Exception) -> str:
    return f"{type(exc).__name__}: {exc}"[:2000]


def stripe_events_pending() -> list[int]:
    """Stored events not applied yet and not failed, oldest first."""
    pending = StripeEvent.objects.filter(processed_at=None, status=EventStatus.PENDING)
    return list(pending.order_by("pk").values_list("pk", flat=True))


def _id(value: Any) -> str:
    """A Stripe reference: an id, or an expanded object carrying one."""
    if isinstance(value, dict):
        return str(value.get("id") or "")
    return str(value or "")


def _account_locked(*, customer: str, practice_id: str) -> BillingAccount | None:
    """The account an event is about: by Stripe customer, else by the practice id Warmpath put
    in the metadata / client_reference_id. Locked for the rest of the transaction."""
    if customer:
        account = BillingAccount.objects.select_for_update().filter(stripe_customer_id=customer)
        if found := account.first():
            return found
    if practice_id.isdigit():
        practice = Practice.objects.live().filter(pk=int(practice_id)).first()
        if practice is not None:
            locked = _locked(billing_account_for(practice=practice))
            if customer and not locked.stripe_customer_id:
                locked.stripe_customer_id = customer
                locked.save(update_fields=["stripe_customer_id"])
            return locked
    logger.warning("Stripe event for unknown customer %r / practice %r", customer, practice_id)
    return None


def _subscription_sync(*, account: BillingAccount, subscription_id: str, now: datetime) -> None:
    """Re-read the subscription from Stripe (the event may be stale) and apply it."""
    subscription = stripe_api.client().v1.subscriptions.retrieve(subscription_id)
    _subscription_apply(account=account, subscription=stripe_api.as_dict(subscription), now=now)


def _should_adopt(*, account: BillingAccount, subscription_id: str, status: str) -> bool:
    """Whether this subscription is the practice's: the one it has, or a live one replacing one
    that ended (an old subscription's late events never undo a new one)."""
    if not account.stripe_subscription_id or account.stripe_subscription_id == subscription_id:
        return True
    return status in LIVE_STATUSES and not account.has_live_subscription


def _subscription_apply(
    *, account: BillingAccount, subscription: dict[str, Any], now: datetime
) -> None:
    status = subscription.get("status", "")
    if status not in SubscriptionStatus.values:
        raise ValueError(f"unknown Stripe subscription status {status!r}")
    if not _should_adopt(account=account, subscription_id=subscription["id"], status=status):
        logger.info("ignoring subscription %s for %s", subscription["id"], account.practice_id)
        return
    items = (subscription.get("items") or {}).get("data") or [{}]
    item = items[0]
    price = item.get("price") or {}
    period_end = item.get("current_period_end") or subscription.get("current_period_end")
    was_past_due = account.subscription_status == SubscriptionStatus.PAST_DUE
    before = _billing_facts(account)
    account.stripe_subscription_id = subscription["id"]
    account.stripe_subscription_item_id = item.get("id") or ""
    account.subscription_status = status
    account.plan = (
        stripe_api.plan_for_price(price=price.get("id") or "")
        or (subscription.get("metadata") or {}).get("plan", "")
        or account.plan
    )
    account.seats = int(item.get("quantity") or 0)
    account.unit_amount = price.get("unit_amount")
    account.currency = price.get("currency") or ""
    account.current_period_end = datetime.fromtimestamp(period_end, UTC) if period_end else None
    account.cancel_at_period_end = bool(subscription.get("cancel_at_period_end"))
    if status == SubscriptionStatus.PAST_DUE:
        account.past_due_since = account.past_due_since if was_past_due else now
    else:
        account.past_due_since = None
    account.stripe_customer_id = account.stripe_customer_id or _id(subscription.get("customer"))
    account.synced_at = now
    account.save()
    _audit_billing_change(account=account, before=before)


def _billing_facts(account: BillingAccount) -> dict[str, Any]:
    return {"status": account.subscription_status, "plan": account.plan, "seats": account.seats}


def _audit_billing_change(*, account: BillingAccount, before: dict[str, Any]) -> None:
    """What Stripe changed goes in the practice's audit log (in its own schema)."""
    after = _billing_facts(account)
    if after == before:
        return
    with schema_context(account.practice.schema_name):
        audit_record(
            action=AuditAction.BILLING_CHANGED,
            actor=None,
            target_label=account.practice.name,
            details={"before": before, "after": after},
        )


def _on_checkout_completed(obj: dict[str, Any], now: datetime) -> Practice | None:
    practice_id = obj.get("client_reference_id") or (obj.get("metadata") or {}).get(
        "practice_id", ""
    )
    account = _account_locked(customer=_id(obj.get("customer")), practice_id=practice_id)
    if account is None:
        return None
    if subscription_id := _id(obj.get("subscription")):
        _subscription_sync(account=account, subscription_id=subscription_id, now=now)
    return account.practice


def _on_subscription_event(obj: dict[str, Any], now: datetime) -> Practice | None:
    practice_id = (obj.get("metadata") or {}).get("practice_id", "")
    account = _account_locked(customer=_id(obj.get("customer")), practice_id=practice_id)
    if account is None:
        return None
    _subscription_sync(account=account, subscription_id=obj["id"], now=now)
    return account.practice


def _invoice_subscription_id(invoice: dict[str, Any]) -> str:
    """Older API versions put the subscription on the invoice, newer ones under `parent`."""
    if direct := _id(invoice.get("subscription")):
        return direct
    details = (invoice.get("parent") or {}).get("subscription_details") or {}
    return _id(details.get("subscription"))


def _on_invoice_event(obj: dict[str, Any], now: datetime) -> Practice | None:
    subscription_id = _invoice_subscription_id(obj)
    if not subscription_id:
        return None  # a one-off invoice: nothing Warmpath tracks
    details = (obj.get("parent") or {}).get("subscription_details") or {}
    practice_id = (details.get("metadata") or {}).get("practice_id", "")
    account = _account_locked(customer=_id(obj.get("customer")), practice_id=practice_id)
    if account is None:
        return None
    _subscription_sync(account=account, subscription_id=subscription_id, now=now)
    return account.practice


_HANDLERS: dict[str, Callable[[dict[str, Any], datetime], Practice | None]] = {
    "checkout.session.completed": _on_checkout_completed,
    "customer.subscription.created": _on_subscription_event,
    "customer.subscription.updated": _on_subscription_event,
    "customer.subscription.deleted": _on_subscription_event,
    "customer.subscription.paused": _on_subscription_event,
    "customer.subscription.resumed": _on_subscription_event,
    "invoice.paid": _on_invoice_event,
    "invoice.payment_failed": _on_invoice_event,
}
