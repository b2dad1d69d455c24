"""Events arrive duplicated and out of order; the account always ends as Stripe has it now."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from billing.models import BillingAccount, Plan, StripeEvent, SubscriptionStatus
from tests.billing.conftest import invoice_object, subscription_event_object
from tests.billing.fake_stripe import PERIOD_END, SOLO_PRICE, FakeStripe

Apply = Callable[..., bool]


def _reload(account: BillingAccount) -> BillingAccount:
    account.refresh_from_db()
    return account


def test_checkout_completed_links_customer_and_subscription(
    apply_event: Apply, stripe_api: FakeStripe, practice: object
) -> None:
    from billing.services import billing_account_for

    account = billing_account_for(practice=practice)  # type: ignore[arg-type]
    assert account.stripe_customer_id is None
    stripe_api.put_subscription(customer="cus_new", quantity=4)

    apply_event(
        "evt_cs",
        "checkout.session.completed",
        {
            "id": "cs_1",
            "object": "checkout.session",
            "mode": "subscription",
            "client_reference_id": str(account.practice_id),
            "customer": "cus_new",
            "subscription": "sub_test_1",
            "metadata": {"practice_id": str(account.practice_id), "plan": "team"},
        },
    )

    account = _reload(account)
    assert account.stripe_customer_id == "cus_new"
    assert account.stripe_subscription_id == "sub_test_1"
    assert account.stripe_subscription_item_id == "si_sub_test_1"
    assert account.subscription_status == SubscriptionStatus.ACTIVE
    assert account.plan == Plan.TEAM
    assert account.seats == 4
    assert (account.unit_amount, account.currency) == (1500, "usd")
    assert account.current_period_end == datetime.fromtimestamp(PERIOD_END, UTC)
    assert StripeEvent.objects.get().practice_id == account.practice_id


@pytest.mark.parametrize("deleted_first", [True, False], ids=["deleted-first", "updated-first"])
def test_deleted_and_updated_in_any_order_end_canceled(
    apply_event: Apply, stripe_api: FakeStripe, account: BillingAccount, deleted_first: bool
) -> None:
    active = subscription_event_object_for(stripe_api, status="active")
    stripe_api.put_subscription(status="canceled")  # what Stripe says now
    canceled = subscription_event_object(stripe_api)
    events = [
        ("evt_deleted", "customer.subscription.deleted", canceled),
        ("evt_updated", "customer.subscription.updated", active),  # older, stale snapshot
    ]

    for event_id, event_type, obj in events if deleted_first else events[::-1]:
        apply_event(event_id, event_type, obj)

    assert _reload(account).subscription_status == SubscriptionStatus.CANCELED


def subscription_event_object_for(fake: FakeStripe, *, status: str) -> dict[str, object]:
    fake.put_subscription(status=status)
    return subscription_event_object(fake)


def test_created_arriving_after_updated_does_not_roll_seats_back(
    apply_event: Apply, stripe_api: FakeStripe, account: BillingAccount
) -> None:
    created = subscription_event_object_for(stripe_api, status="incomplete")
    created["items"] = {"data": [{"id": "si_sub_test_1", "quantity": 1}]}
    stripe_api.put_subscription(status="active", quantity=6)
    updated = subscription_event_object(stripe_api)

    apply_event("evt_updated", "customer.subscription.updated", updated)
    apply_event("evt_created", "customer.subscription.created", created)

    account = _reload(account)
    assert (account.subscription_status, account.seats) == (SubscriptionStatus.ACTIVE, 6)


def test_late_events_of_an_old_subscription_never_undo_the_new_one(
    apply_event: Apply, stripe_api: FakeStripe, account: BillingAccount
) -> None:
    stripe_api.put_subscription(sub_id="sub_old", status="canceled")
    apply_event(
        "evt_old_deleted",
        "customer.subscription.deleted",
        {"id": "sub_old", "customer": "cus_test_1"},
    )
    stripe_api.put_subscription(sub_id="sub_new", status="active", price=SOLO_PRICE, quantity=2)
    apply_event(
        "evt_new", "customer.subscription.created", {"id": "sub_new", "customer": "cus_test_1"}
    )

    apply_event(  # a late, stale update of the old subscription
        "evt_old_updated",
        "customer.subscription.updated",
        {"id": "sub_old", "customer": "cus_test_1"},
    )

    account = _reload(account)
    assert account.stripe_subscription_id == "sub_new"
    assert (account.subscription_status, account.plan, account.seats) == ("active", "solo", 2)


def test_invoice_events_resync_through_the_subscription(
    apply_event: Apply, stripe_api: FakeStripe, account: BillingAccount
) -> None:
    stripe_api.put_subscription(status="past_due")
    apply_event("evt_failed", "invoice.payment_failed", invoice_object(paid=False))
    assert _reload(account).subscription_status == SubscriptionStatus.PAST_DUE

    stripe_api.put_subscription(status="active")
    apply_event("evt_paid", "invoice.paid", invoice_object(paid=True))
    account = _reload(account)
    assert account.subscription_status == SubscriptionStatus.ACTIVE
    assert account.past_due_since is None


def test_events_for_customers_warmpath_does_not_know_change_nothing(
    apply_event: Apply, stripe_api: FakeStripe, account: BillingAccount
) -> None:
    stripe_api.put_subscription(customer="cus_stranger")

    assert apply_event(
        "evt_x", "customer.subscription.updated", {"id": "sub_test_1", "customer": "cus_stranger"}
    )

    assert _reload(account).stripe_subscription_id is None
    assert stripe_api.calls("GET", r"/v1/subscriptions/.*") == []
    assert StripeEvent.objects.get().practice_id is None
