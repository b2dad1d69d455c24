"""Webhook retries cannot double-run: no retry waits in the broker anywhere near the visibility
timeout (long waits are due times the sweeper turns into tasks), and each attempt is made once
however many copies of its message arrive, together or one after the other."""

from datetime import timedelta
from typing import Any

import psycopg
import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.utils import timezone

from accounts.models import User
from config import locks
from integrations.models import WebhookDelivery
from integrations.webhooks import services
from integrations.webhooks.outbox import deliveries_to_queue
from integrations.webhooks.tasks import retry_countdown, webhook_deliver_task
from tests.api.receiver import receiver


@pytest.fixture(autouse=True)
def _local_receivers(settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True


def _delivery(owner: User, url: str, django_capture_on_commit_callbacks: Any) -> WebhookDelivery:
    services.endpoint_create(actor=owner, url=url, events=["import.finished"])
    with django_capture_on_commit_callbacks():
        [delivery] = services.webhook_emit(event="import.finished", payload={"import": 1})
    return delivery


def test_no_retry_waits_in_the_broker_near_the_visibility_timeout() -> None:
    limit = django_settings.CELERY_MAX_COUNTDOWN_SECONDS
    visibility = django_settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert limit * 4 <= visibility
    waits = [retry_countdown(attempts=n) for n in range(1, services.MAX_ATTEMPTS)]
    assert waits == [30, 120, 480, None, None]  # 32 min and 2 h: due times, not countdowns
    assert all(wait <= limit for wait in waits if wait is not None)


def _sweep(now: Any) -> list[int]:
    waited = timedelta(seconds=django_settings.JOBS_REQUEUE_AFTER_SECONDS)
    return deliveries_to_queue(now=now, waited=waited)


def test_a_long_wait_is_a_due_time_the_sweeper_sends_when_it_comes(
    owner: User, django_capture_on_commit_callbacks: Any
) -> None:
    with receiver(500, 500, 500, 500, 200) as hook:
        delivery = _delivery(owner, hook.url, django_capture_on_commit_callbacks)
        assert webhook_deliver_task.apply(args=[delivery.pk]).get() == "waiting"
        delivery.refresh_from_db()
        assert delivery.attempts == 4  # three short retries ran; the fourth wait is 32 minutes
        due = delivery.next_attempt_at
        assert due is not None
        assert due - delivery.last_attempt_at == timedelta(seconds=1920)
        assert _sweep(due - timedelta(minutes=1)) == []  # not yet
        assert webhook_deliver_task.apply(args=[delivery.pk]).get() == "pending"  # early copy
        assert len(hook.received) == 4
        late = due + timedelta(seconds=django_settings.JOBS_REQUEUE_AFTER_SECONDS + 1)
        assert _sweep(late) == [delivery.pk]
        with time_machine.travel(late, tick=False):
            assert webhook_deliver_task.apply(args=[delivery.pk]).get() == "succeeded"
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(hook.received)) == ("succeeded", 5, 5)


def test_the_last_retry_runs_once_when_its_message_is_handed_out_twice(
    owner: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Redis hands an unacknowledged message to a second worker after the visibility timeout:
    both copies of the sixth attempt's message run. The first copy to start holds the
    delivery's lock while it sends; a copy that arrives meanwhile sends nothing, and one that
    arrives afterwards finds the attempt made."""
    with receiver(500) as hook:
        delivery = _delivery(owner, hook.url, django_capture_on_commit_callbacks)
        WebhookDelivery.objects.filter(pk=delivery.pk).update(attempts=services.MAX_ATTEMPTS - 1)
        final = services.MAX_ATTEMPTS

        # A second worker is sending attempt 6 right now (it holds the delivery's lock).
        name = locks.practice_lock_name("webhook-delivery", delivery.pk)
        other = psycopg.connect(
            **{
                k: v
                for k, v in connection.get_connection_params().items()
                if k in ("dbname", "user", "password", "host", "port")
            },
            autocommit=True,
        )
        with other:
            other.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", [name])
            result = webhook_deliver_task.apply(args=[delivery.pk], kwargs={"attempt": final})
            assert result.get() == "pending"
            assert hook.received == []  # this copy sent nothing
            other.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [name])

        # The copy that ran first finishes the attempt; the delivery ends.
        first = webhook_deliver_task.apply(args=[delivery.pk], kwargs={"attempt": final})
        assert first.get() == "failed"
        # The second copy comes after it: the attempt is made, the delivery over.
        again = webhook_deliver_task.apply(args=[delivery.pk], kwargs={"attempt": final})
        assert again.get() == "failed"
        # And a copy of an earlier attempt's message, redelivered late, sends nothing either.
        stale = webhook_deliver_task.apply(args=[delivery.pk], kwargs={"attempt": final - 1})
        assert stale.get() == "failed"

    delivery.refresh_from_db()
    assert len(hook.received) == 1
    assert (delivery.status, delivery.attempts, len(delivery.log)) == ("failed", final, 1)


def test_a_duplicate_of_a_middle_attempt_waits_its_turn(
    owner: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.CELERY_MAX_COUNTDOWN_SECONDS = 0  # every wait goes through the database
    with receiver(500, 200) as hook:
        delivery = _delivery(owner, hook.url, django_capture_on_commit_callbacks)
        assert webhook_deliver_task.apply(args=[delivery.pk]).get() == "waiting"
        # The first attempt's message again (a redelivery): the retry is not due, nothing sent.
        assert webhook_deliver_task.apply(args=[delivery.pk]).get() == "pending"
        assert webhook_deliver_task.apply(args=[delivery.pk], kwargs={"attempt": 1}).get() == (
            "pending"
        )
        assert len(hook.received) == 1
        with time_machine.travel(timezone.now() + timedelta(seconds=31), tick=False):
            assert webhook_deliver_task.apply(args=[delivery.pk]).get() == "succeeded"
    assert len(hook.received) == 2
