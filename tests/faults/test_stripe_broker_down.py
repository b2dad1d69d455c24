"""A Stripe event that arrives while the broker is down is applied once it is back.

Stripe gets its 200 (the event is stored; Stripe will not send it again), the task cannot be
sent, and the stored event waits. When Redis returns, the sweeper (sent as beat sends it) finds
the unapplied event and a real worker applies it, asking the (local, fake) Stripe API what the
subscription is now. A live gunicorn and worker on a Redis of this test's own.
"""

import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection

from billing.models import BillingAccount, StripeEvent, SubscriptionStatus
from billing.services import billing_account_for
from tenants.models import Practice
from tests.billing.conftest import subscription_event_object
from tests.billing.fake_stripe import SOLO_PRICE, TEAM_PRICE, FakeStripe, event, serve, sign
from tests.conftest import SeededPractice
from tests.faults.live import DedicatedRedis, environment, gunicorn, send_task, start_worker

pytestmark = pytest.mark.worker

WEBHOOK_SECRET = "whsec_test_broker_down"


def test_this_module_runs_on_a_test_database(db: None) -> None:
    """Also what makes pytest-django create the test database when this file runs alone."""
    assert str(connection.settings_dict["NAME"]).startswith("test_")


@pytest.fixture
def stripe() -> Iterator[FakeStripe]:
    fake = FakeStripe()
    server = serve(fake)
    yield fake
    server.shutdown()
    server.server_close()


@pytest.fixture
def account(
    seeded: dict[str, SeededPractice], django_db_blocker: pytest.FixtureRequest
) -> Iterator[BillingAccount]:
    """Practice A's billing account with a Stripe customer, committed; put back afterwards."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert str(connection.settings_dict["NAME"]).startswith("test_")
        practice = Practice.objects.get(pk=seeded["a"].practice_id)
        existed = BillingAccount.objects.filter(practice=practice).exists()
        account = billing_account_for(practice=practice)
        account.stripe_customer_id = f"cus_{secrets.token_hex(4)}"
        account.save()
        try:
            yield account
        finally:
            StripeEvent.objects.filter(practice=practice).delete()
            if existed:
                BillingAccount.objects.filter(pk=account.pk).update(
                    stripe_customer_id=None,
                    stripe_subscription_id=None,
                    subscription_status="",
                    seats=0,
                )
            else:
                BillingAccount.objects.filter(pk=account.pk).delete()


def test_an_event_received_while_the_broker_is_down_is_applied_when_it_returns(
    account: BillingAccount, stripe: FakeStripe, tmp_path: Path
) -> None:
    redis = DedicatedRedis()
    redis.start()
    env = environment(
        REDIS_URL=redis.url,
        WARMPATH_TEST_DB_NAME=str(connection.settings_dict["NAME"]),
        JOBS_REQUEUE_AFTER_SECONDS="1",
        STRIPE_SECRET_KEY="sk_test_warmpath",
        STRIPE_API_BASE=stripe.url,
        STRIPE_WEBHOOK_SECRET=WEBHOOK_SECRET,
        STRIPE_PRICE_SOLO=SOLO_PRICE,
        STRIPE_PRICE_TEAM=TEAM_PRICE,
    )
    stripe.put_subscription(
        customer=str(account.stripe_customer_id), practice_id=account.practice_id, quantity=4
    )
    event_id = f"evt_{secrets.token_hex(6)}"
    payload = event(event_id, "customer.subscription.updated", subscription_event_object(stripe))
    try:
        with gunicorn(env=env, folder=tmp_path, workers=1) as web:
            redis.stop()
            answer = web.request(
                "POST",
                "/billing/stripe/webhook/",
                host="localhost",
                headers={
                    "Content-Type": "application/json",
                    "Stripe-Signature": sign(payload, secret=WEBHOOK_SECRET),
                },
                data=payload.encode(),
            )
            assert answer.status == 200, answer.body
            stored = StripeEvent.objects.get(stripe_id=event_id)
            assert stored.processed_at is None
            assert "could not queue billing.process_stripe_event" in web.log_text()

        redis.start()
        worker = start_worker(env=env, folder=tmp_path, queue=f"faults-{secrets.token_hex(4)}")
        try:
            send_task(redis.url, "notifications.sweep", queue=worker.queue)  # as beat does

            def applied() -> bool:
                stored.refresh_from_db()
                return stored.processed_at is not None

            worker.wait_for(applied, why="the stored event to be applied")
        finally:
            worker.stop()
    finally:
        redis.close()

    assert stored.error == ""
    assert stored.practice_id == account.practice_id
    account.refresh_from_db()
    assert (account.subscription_status, account.seats) == (SubscriptionStatus.ACTIVE, 4)
