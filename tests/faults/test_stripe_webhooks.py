"""Stripe webhooks that are genuinely signed but not what Warmpath expects, and stored events
that cannot be applied.

A signature proves who sent a body, not that it is well formed. A signed body that is not an
event Warmpath can store is refused with 400 and nothing is stored. An event that arrives well
formed but whose object cannot be applied is stored, and processing it ends `failed` with the
reason: it never stops the events behind it, in the Celery task or in
`manage.py billing_process_pending`. Stripe unreachable is not a failure: the event waits.
"""

import hashlib
import hmac
import json
import time
from io import StringIO
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.test import Client as HttpClient

from billing.models import BillingAccount, EventStatus, StripeEvent, SubscriptionStatus
from billing.services import stripe_event_process
from billing.tasks import process_stripe_event
from tests.billing.conftest import (
    WEBHOOK_SECRET,
    WEBHOOK_URL,
    account,
    deliver,
    stripe_api,
    subscription_event_object,
)
from tests.billing.fake_stripe import FakeStripe, sign

__all__ = ["account", "deliver", "stripe_api"]


def _post(public_http: HttpClient, body: str) -> Any:
    """POST `body` signed exactly as Stripe signs (the signature covers the raw text)."""
    active = connection.tenant  # a request to the public site leaves the public schema set
    try:
        return public_http.post(
            WEBHOOK_URL,
            data=body.encode(),
            content_type="application/json",
            HTTP_STRIPE_SIGNATURE=sign(body, secret=WEBHOOK_SECRET),
        )
    finally:
        connection.set_tenant(active)


def _envelope(**fields: Any) -> str:
    body = {"id": "evt_x", "object": "event", "type": "invoice.paid", "data": {"object": {}}}
    body.update(fields)
    return json.dumps({k: v for k, v in body.items() if v is not _DROP})


_DROP = object()

SIGNED_BUT_MALFORMED = {
    "not-json": "{",
    "a-list": "[]",
    "a-string": '"evt_1"',
    "null": "null",
    "empty-object": "{}",
    "no-id": _envelope(id=_DROP),
    "id-a-number": _envelope(id=5),
    "id-empty": _envelope(id=""),
    "id-300-characters": _envelope(id="evt_" + "x" * 296),
    "no-type": _envelope(type=_DROP),
    "type-a-list": _envelope(type=["invoice.paid"]),
    "type-200-characters": _envelope(type="x" * 200),
    "no-data": _envelope(data=_DROP),
    "data-a-string": _envelope(data="object"),
    "object-a-list": _envelope(data={"object": []}),
    "object-null": _envelope(data={"object": None}),
    "nul-in-a-string": _envelope(data={"object": {"id": "in_\u0000"}}),
    "lone-surrogate": _envelope(id="evt_\\ud800").replace("\\\\ud800", "\\ud800"),
    "nested-1000-deep": _envelope(data={"object": {"x": "{}"}}).replace(
        '"{}"', "[" * 1000 + "]" * 1000
    ),
    "nested-100-deep": _envelope(data={"object": {"x": "{}"}}).replace(
        '"{}"', "[" * 100 + "]" * 100
    ),
}


@pytest.mark.parametrize("body", SIGNED_BUT_MALFORMED.values(), ids=SIGNED_BUT_MALFORMED.keys())
def test_a_signed_but_malformed_body_is_a_400_and_nothing_is_stored(
    body: str, stripe_api: FakeStripe, public_http: HttpClient
) -> None:
    response = _post(public_http, body)

    assert response.status_code == 400, response.content
    assert response.json()["error"]
    assert not StripeEvent.objects.exists()


def test_signed_bytes_that_are_not_utf8_are_a_400(
    stripe_api: FakeStripe, public_http: HttpClient
) -> None:
    body = b'{"id": "evt_\xff", "type": "x", "data": {"object": {}}}'
    t = int(time.time())
    digest = hmac.new(WEBHOOK_SECRET.encode(), f"{t}.".encode() + body, hashlib.sha256)
    response = public_http.post(
        WEBHOOK_URL,
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=f"t={t},v1={digest.hexdigest()}",
    )

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


def test_a_body_over_the_upload_limit_is_refused_not_a_crash(
    stripe_api: FakeStripe, public_http: HttpClient
) -> None:
    padding = "p" * (django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = _post(public_http, _envelope(data={"object": {"padding": padding}}))

    assert response.status_code == 400
    assert not StripeEvent.objects.exists()


# Well-formed envelopes whose object a handler cannot use.
UNAPPLICABLE = {
    "subscription-without-id": ("customer.subscription.updated", {"customer": "cus_test_1"}),
    "metadata-a-string": (
        "customer.subscription.updated",
        {"id": "sub_test_1", "customer": 7, "metadata": "practice"},
    ),
    "reference-a-number": (
        "checkout.session.completed",
        {"client_reference_id": 12, "customer": None, "subscription": None},
    ),
    "parent-a-string": ("invoice.paid", {"customer": "cus_test_1", "parent": "subscription"}),
}


@pytest.mark.parametrize(("event_type", "obj"), UNAPPLICABLE.values(), ids=UNAPPLICABLE.keys())
def test_an_event_that_cannot_be_applied_ends_failed_with_its_reason(
    event_type: str,
    obj: dict[str, Any],
    deliver: Any,
    stripe_api: FakeStripe,
    account: BillingAccount,
) -> None:
    assert deliver("evt_odd", event_type, obj).status_code == 200
    stored = StripeEvent.objects.get(stripe_id="evt_odd")

    assert stripe_event_process(event_pk=stored.pk) is False
    stored.refresh_from_db()
    assert stored.status == EventStatus.FAILED
    assert stored.processed_at is None
    assert stored.error  # the reason, for the admin
    assert stripe_event_process(event_pk=stored.pk) is False, "failed is final until retried"


def test_a_failing_event_does_not_block_the_ones_behind_it(
    deliver: Any, stripe_api: FakeStripe, account: BillingAccount
) -> None:
    deliver("evt_1_broken", "customer.subscription.updated", {"customer": "cus_test_1"})
    stripe_api.put_subscription(status="active", quantity=4)
    deliver("evt_2_good", "customer.subscription.created", subscription_event_object(stripe_api))
    deliver("evt_3_other", "customer.created", {"id": "cus_x", "object": "customer"})
    out = StringIO()

    call_command("billing_process_pending", stdout=out)

    statuses = dict(StripeEvent.objects.values_list("stripe_id", "status"))
    assert statuses == {
        "evt_1_broken": EventStatus.FAILED,
        "evt_2_good": EventStatus.PROCESSED,
        "evt_3_other": EventStatus.PROCESSED,
    }
    assert "KeyError" in StripeEvent.objects.get(stripe_id="evt_1_broken").error
    account.refresh_from_db()
    assert (account.subscription_status, account.seats) == (SubscriptionStatus.ACTIVE, 4)
    assert "2 of 3 pending Stripe events applied; 1 failed" in out.getvalue()
    # Run again: nothing pending; failed events only come back when asked to.
    again = StringIO()
    call_command("billing_process_pending", stdout=again)
    assert again.getvalue().startswith("0 of 0 pending")
    call_command("billing_process_pending", "--retry-failed", stdout=StringIO())
    assert StripeEvent.objects.get(stripe_id="evt_1_broken").status == EventStatus.FAILED


def test_the_celery_task_ends_a_bad_event_failed_without_retrying(
    deliver: Any, stripe_api: FakeStripe, account: BillingAccount
) -> None:
    deliver("evt_bad", "customer.subscription.deleted", {"customer": "cus_test_1"})
    stored = StripeEvent.objects.get()

    result = process_stripe_event.apply(args=[stored.pk])

    assert result.successful()
    assert result.result is False
    stored.refresh_from_db()
    assert stored.status == EventStatus.FAILED


def test_stripe_unreachable_is_not_a_failure_and_blocks_nothing(
    deliver: Any, stripe_api: FakeStripe, account: BillingAccount, settings: Any
) -> None:
    stripe_api.put_subscription(status="active", quantity=2)
    deliver("evt_1_waits", "customer.subscription.created", subscription_event_object(stripe_api))
    deliver("evt_2_other", "customer.created", {"id": "cus_x", "object": "customer"})
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens on the discard port
    out = StringIO()

    call_command("billing_process_pending", stdout=out)

    waiting = StripeEvent.objects.get(stripe_id="evt_1_waits")
    assert waiting.status == EventStatus.PENDING
    assert "APIConnectionError" in waiting.error
    assert StripeEvent.objects.get(stripe_id="evt_2_other").status == EventStatus.PROCESSED
    assert "1 left pending" in out.getvalue()
