"""The public webhook endpoint: genuine events only, each stored once, processed in Celery."""

import json
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client as HttpClient

from billing.models import BillingAccount, StripeEvent, SubscriptionStatus
from billing.services import stripe_event_process
from billing.tasks import process_stripe_event
from tests.billing.conftest import WEBHOOK_SECRET, WEBHOOK_URL, Deliver, subscription_event_object
from tests.billing.fake_stripe import FakeStripe, event, sign

pytestmark = pytest.mark.usefixtures("stripe_api")


def _obj(fake: FakeStripe, practice_id: int) -> dict[str, Any]:
    fake.put_subscription(practice_id=practice_id)
    return subscription_event_object(fake)


def test_forged_signature_is_refused_and_nothing_is_stored(
    deliver: Deliver, stripe_api: FakeStripe, account: BillingAccount
) -> None:
    response = deliver(
        "evt_forged", "customer.subscription.updated", _obj(stripe_api, account.practice_id),
        secret="whsec_someone_else",
    )  # fmt: skip

    assert response.status_code == 400
    assert "signature" in response.json()["error"].lower()
    assert not StripeEvent.objects.exists()
    assert stripe_api.requests == []


def test_stale_signature_is_refused_even_when_correctly_signed(
    deliver: Deliver, stripe_api: FakeStripe, account: BillingAccount
) -> None:
    ten_minutes_ago = int(time.time()) - 600
    response = deliver(
        "evt_replayed", "invoice.paid", {"id": "in_1", "object": "invoice"},
        timestamp=ten_minutes_ago,
    )  # fmt: skip

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_tampered_body_and_missing_header_are_refused(public_http: HttpClient) -> None:
    payload = event("evt_1", "invoice.paid", {"id": "in_1", "object": "invoice"})
    header = sign(payload, secret=WEBHOOK_SECRET)
    tampered = payload.replace("invoice.paid", "invoice.payment_failed")

    assert (
        public_http.post(
            WEBHOOK_URL, tampered, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
        ).status_code
        == 400
    )
    assert public_http.post(WEBHOOK_URL, payload, content_type="application/json").status_code == (
        400
    )
    assert not StripeEvent.objects.exists()


def test_webhook_lives_on_the_public_site_only(http: HttpClient, public_http: HttpClient) -> None:
    payload = event("evt_1", "invoice.paid", {"id": "in_1", "object": "invoice"})
    header = sign(payload, secret=WEBHOOK_SECRET)

    on_practice_host = http.post(
        WEBHOOK_URL, payload, content_type="application/json", HTTP_STRIPE_SIGNATURE=header
    )

    assert on_practice_host.status_code == 404
    assert public_http.get(WEBHOOK_URL).status_code == 405


def test_genuine_event_is_stored_and_queued_after_commit(
    deliver: Deliver,
    stripe_api: FakeStripe,
    account: BillingAccount,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = deliver(
            "evt_1", "customer.subscription.updated", _obj(stripe_api, account.practice_id)
        )

    assert response.status_code == 200
    stored = StripeEvent.objects.get()
    assert (stored.stripe_id, stored.type, stored.processed_at) == (
        "evt_1",
        "customer.subscription.updated",
        None,
    )
    assert stored.payload["data"]["object"]["id"] == "sub_test_1"
    assert len(callbacks) == 1
    assert stripe_api.requests == [], "the endpoint answers before talking to Stripe"


def test_same_event_delivered_ten_times_is_stored_queued_and_applied_once(
    deliver: Deliver,
    stripe_api: FakeStripe,
    account: BillingAccount,
    django_capture_on_commit_callbacks: Callable[..., Any],
) -> None:
    obj = _obj(stripe_api, account.practice_id)
    with django_capture_on_commit_callbacks() as callbacks:
        responses = [deliver("evt_dup", "customer.subscription.updated", obj) for _ in range(10)]

    assert [r.status_code for r in responses] == [200] * 10
    assert StripeEvent.objects.count() == 1
    assert len(callbacks) == 1

    stored = StripeEvent.objects.get()
    applied = [stripe_event_process(event_pk=stored.pk) for _ in range(10)]

    assert applied == [True] + [False] * 9
    assert len(stripe_api.calls("GET", r"/v1/subscriptions/sub_test_1")) == 1
    account.refresh_from_db()
    assert account.subscription_status == SubscriptionStatus.ACTIVE
    assert account.seats == 3


def test_celery_task_applies_the_event(
    deliver: Deliver, stripe_api: FakeStripe, account: BillingAccount
) -> None:
    deliver("evt_task", "customer.subscription.created", _obj(stripe_api, account.practice_id))
    stored = StripeEvent.objects.get()

    result = process_stripe_event.apply(args=[stored.pk])

    assert result.successful()
    assert result.result is True
    stored.refresh_from_db()
    assert stored.processed_at is not None
    assert stored.practice_id == account.practice_id
    account.refresh_from_db()
    assert account.stripe_subscription_id == "sub_test_1"


def test_stripe_unreachable_leaves_the_event_for_a_retry(
    deliver: Deliver, stripe_api: FakeStripe, account: BillingAccount, settings: Any
) -> None:
    deliver("evt_down", "customer.subscription.updated", _obj(stripe_api, account.practice_id))
    stored = StripeEvent.objects.get()
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port

    # As on the last allowed attempt (an eager retry would otherwise run again at once).
    result = process_stripe_event.apply(args=[stored.pk], retries=process_stripe_event.max_retries)

    assert not result.successful()
    stored.refresh_from_db()
    assert stored.processed_at is None
    assert "APIConnectionError" in stored.error


def test_unknown_event_types_are_stored_and_marked_processed(
    deliver: Deliver, stripe_api: FakeStripe
) -> None:
    deliver("evt_other", "customer.created", {"id": "cus_x", "object": "customer"})
    stored = StripeEvent.objects.get()

    assert stripe_event_process(event_pk=stored.pk) is True
    assert stripe_api.requests == []


def test_webhook_without_a_secret_configured_is_refused(deliver: Deliver, settings: Any) -> None:
    settings.STRIPE_WEBHOOK_SECRET = ""

    response = deliver("evt_1", "invoice.paid", {"id": "in_1", "object": "invoice"})

    assert response.status_code == 400
    assert "not configured" in json.loads(response.content)["error"]
    assert not StripeEvent.objects.exists()
