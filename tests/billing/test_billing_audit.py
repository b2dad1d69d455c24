"""Billing in the practice's audit log: what Stripe changed is recorded in the practice's own
schema; an owner whose email is not confirmed cannot start a subscription."""

from collections.abc import Callable

from allauth.account.models import EmailAddress
from django.test import Client as HttpClient

from accounts.models import User
from audit.actions import AuditAction
from audit.models import AuditEvent
from billing.models import BillingAccount
from tests.billing.fake_stripe import FakeStripe
from tests.billing.test_subscription_sync import subscription_event_object_for

Apply = Callable[..., bool]


def test_a_subscription_change_is_in_the_practice_log(
    apply_event: Apply, stripe_api: FakeStripe, account: BillingAccount
) -> None:
    stripe_api.put_subscription(status="past_due")

    apply_event(
        "evt_due",
        "customer.subscription.updated",
        subscription_event_object_for(stripe_api, status="past_due"),
    )

    event = AuditEvent.objects.get(action=AuditAction.BILLING_CHANGED)
    assert event.details["after"]["status"] == "past_due"
    assert event.details["before"]["status"] != "past_due"
    assert (event.actor_id, event.actor_label) == (None, "Warmpath")


def test_the_same_state_again_adds_nothing(
    apply_event: Apply, stripe_api: FakeStripe, account: BillingAccount
) -> None:
    stripe_api.put_subscription(status="active")
    body = subscription_event_object_for(stripe_api, status="active")
    apply_event("evt_a", "customer.subscription.updated", body)
    apply_event("evt_b", "customer.subscription.updated", body)

    assert AuditEvent.objects.filter(action=AuditAction.BILLING_CHANGED).count() <= 1


def test_checkout_waits_for_a_confirmed_owner_email(
    stripe_api: FakeStripe, owner: User, http: HttpClient
) -> None:
    EmailAddress.objects.create(user=owner, email=owner.email, primary=True, verified=False)
    http.force_login(owner)

    response = http.post("/settings/billing/checkout/", {"plan": "team"}, follow=True)

    assert "Confirm your email address first" in response.content.decode()
    assert not stripe_api.calls("POST", "/v1/checkout/sessions")
