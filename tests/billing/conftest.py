"""Billing fixtures: Stripe configured against a local fake API server, webhook delivery with real
signatures, and active clients to fill seats."""

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from accounts.models import Role, User
from billing.models import BillingAccount, StripeEvent
from billing.services import billing_account_for, stripe_event_process
from coaching.choices import ClientStatus
from coaching.models import Client
from tenants.models import Practice
from tests.billing.fake_stripe import (
    SOLO_PRICE,
    TEAM_PRICE,
    UNIT_AMOUNTS,
    FakeStripe,
    event,
    serve,
    sign,
)

WEBHOOK_SECRET = "whsec_test_warmpath"
WEBHOOK_URL = "/billing/stripe/webhook/"


@pytest.fixture
def stripe_api(settings: Any) -> Iterator[FakeStripe]:
    """Billing configured, with Stripe's API answered by a local server."""
    fake = FakeStripe()
    server = serve(fake)
    settings.STRIPE_SECRET_KEY = "sk_test_warmpath"
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    settings.STRIPE_PRICE_SOLO = SOLO_PRICE
    settings.STRIPE_PRICE_TEAM = TEAM_PRICE
    settings.BILLING_PAST_DUE_GRACE_DAYS = 7
    settings.BILLING_TRIAL_SEATS = 10
    # What the pricing page shows: the same as the fake Stripe's Prices charge.
    settings.BILLING_CURRENCY = "usd"
    settings.BILLING_SEAT_PRICE_SOLO = UNIT_AMOUNTS[SOLO_PRICE]
    settings.BILLING_SEAT_PRICE_TEAM = UNIT_AMOUNTS[TEAM_PRICE]
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def account(practice: Practice, stripe_api: FakeStripe) -> BillingAccount:
    """Practice A's billing account, with its Stripe customer."""
    account = billing_account_for(practice=practice)
    account.stripe_customer_id = "cus_test_1"
    account.save()
    return account


Deliver = Callable[..., Any]


@pytest.fixture
def deliver(public_http: HttpClient) -> Deliver:
    """POST a signed event to the public webhook endpoint, as Stripe does."""

    def send(
        event_id: str,
        event_type: str,
        obj: dict[str, Any],
        *,
        secret: str = WEBHOOK_SECRET,
        timestamp: int | None = None,
    ) -> Any:
        payload = event(event_id, event_type, obj)
        active = connection.tenant  # a request to the public site leaves the public schema set
        try:
            return public_http.post(
                WEBHOOK_URL,
                data=payload,
                content_type="application/json",
                HTTP_STRIPE_SIGNATURE=sign(payload, secret=secret, timestamp=timestamp),
            )
        finally:
            connection.set_tenant(active)

    return send


@pytest.fixture
def apply_event(deliver: Deliver) -> Callable[..., bool]:
    """Deliver an event and process it the way the Celery task does (service called directly)."""

    def run(event_id: str, event_type: str, obj: dict[str, Any], **process: Any) -> bool:
        assert deliver(event_id, event_type, obj).status_code == 200
        stored = StripeEvent.objects.get(stripe_id=event_id)
        return stripe_event_process(event_pk=stored.pk, **process)

    return run


@pytest.fixture
def make_clients(practice: Practice, coach: User) -> Callable[..., list[Client]]:
    """`n` clients of practice A with the given status (rows written directly: these fixtures
    must not depend on the seat check they help to test)."""
    counter = iter(range(1, 10_000))

    def make(n: int, *, status: str = ClientStatus.ACTIVE) -> list[Client]:
        made = []
        with schema_context(practice.schema_name):
            for _ in range(n):
                i = next(counter)
                user = User.objects.create_user(
                    f"seat{i}@alpha.example.com", None, name=f"Seat {i}", role=Role.CLIENT
                )
                made.append(
                    Client.objects.create(
                        user=user,
                        coach=coach,
                        search_started_on=date(2024, 1, 8),
                        status=status,
                        landed_on=date(2024, 3, 1) if status == ClientStatus.LANDED else None,
                    )
                )
        return made

    return make


def subscribe(apply_event: Callable[..., bool], fake: FakeStripe, *, quantity: int) -> None:
    """Practice A (the `account` fixture's customer) subscribes with `quantity` seats."""
    fake.put_subscription(status="active", quantity=quantity)
    apply_event("evt_created", "customer.subscription.created", subscription_event_object(fake))


def subscription_event_object(fake: FakeStripe, sub_id: str = "sub_test_1") -> dict[str, Any]:
    """The event's copy of a subscription (a snapshot: Warmpath must not trust it)."""
    return dict(fake.subscriptions[sub_id])


def invoice_object(
    *, sub_id: str = "sub_test_1", customer: str = "cus_test_1", paid: bool
) -> dict[str, Any]:
    """An invoice as API version 2026-10-28 sends it: the subscription sits under `parent`."""
    return {
        "id": f"in_{sub_id}_{'paid' if paid else 'failed'}",
        "object": "invoice",
        "customer": customer,
        "status": "paid" if paid else "open",
        "amount_due": 4500,
        "currency": "usd",
        "parent": {
            "type": "subscription_details",
            "subscription_details": {"subscription": sub_id, "metadata": {}},
        },
    }


def http_as(client: HttpClient, user: User) -> HttpClient:
    client.force_login(user)
    return client
