"""The outbox and job runs in-process: one email per occasion, retries only for transient
trouble, and a poison message ends visibly failed. (The same on a real worker: test_worker.py.)"""

from collections.abc import Callable
from datetime import datetime

import pytest
from django.core import mail
from django.db import IntegrityError
from django.test import override_settings

from accounts.models import User
from notifications.models import JobRun, JobRunStatus, Notification, NotificationStatus
from notifications.services import (
    Outgoing,
    TransientError,
    job_run_once,
    notification_deliver,
    notification_queue,
)
from notifications.tasks import MAX_RETRIES, deliver_notification

Deliver = Callable[[], list[mail.EmailMessage]]


def _outgoing(user: User, key: str = "test:occasion:1") -> Outgoing:
    return Outgoing(
        dedupe_key=key,
        kind="intro_nudge",
        user=user,
        subject="Hello",
        template="intro_nudge",
        context={"name": "Cleo", "target": {"name": "T"}, "introducer": {"name": "I"}, "days": 2},
    )


def test_queue_twice_records_one(client_user: User, now: datetime) -> None:
    first = notification_queue(email=_outgoing(client_user), now=now)
    assert first is not None
    assert notification_queue(email=_outgoing(client_user), now=now) is None
    assert Notification.objects.count() == 1


def test_the_dedupe_key_is_enforced_by_the_database(client_user: User) -> None:
    Notification.objects.create(
        dedupe_key="k", kind="intro_nudge", topic="introductions", to_email="a@b.c", subject="s"
    )
    with pytest.raises(IntegrityError):
        Notification.objects.create(
            dedupe_key="k", kind="intro_nudge", topic="introductions", to_email="a@b.c", subject="s"
        )


def test_deliver_twice_sends_once(client_user: User, now: datetime) -> None:
    notification = notification_queue(email=_outgoing(client_user), now=now)
    assert notification is not None
    assert notification_deliver(notification_id=notification.pk) == "sent"
    assert notification_deliver(notification_id=notification.pk) == "sent"
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.attempts, notification.sent_at is not None) == (1, True)
    assert mail.outbox[0].extra_headers["Message-ID"].endswith("@localhost>")


@override_settings(EMAIL_BACKEND="tests.notifications.backends.AlwaysDisconnected")
def test_transient_failure_is_kept_queued_and_raised_for_a_retry(
    client_user: User, now: datetime
) -> None:
    notification = notification_queue(email=_outgoing(client_user), now=now)
    assert notification is not None
    with pytest.raises(TransientError):
        notification_deliver(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.QUEUED
    assert "SMTPServerDisconnected" in notification.last_error
    assert notification_deliver(notification_id=notification.pk, final_attempt=True) == "failed"


@override_settings(EMAIL_BACKEND="tests.notifications.backends.AlwaysRejected")
def test_permanent_failure_fails_at_once(client_user: User, now: datetime) -> None:
    notification = notification_queue(email=_outgoing(client_user), now=now)
    assert notification is not None
    assert notification_deliver(notification_id=notification.pk) == "failed"
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert "SMTPRecipientsRefused" in notification.last_error


@override_settings(EMAIL_BACKEND="tests.notifications.backends.AlwaysDisconnected")
def test_the_task_retries_with_backoff_then_ends_failed(client_user: User, now: datetime) -> None:
    """Celery runs the retries inline for `apply()`; the row ends failed after the last one."""
    notification = notification_queue(email=_outgoing(client_user), now=now)
    assert notification is not None
    result = deliver_notification.apply(args=[notification.pk])
    assert result.get() == "failed"
    notification.refresh_from_db()
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == MAX_RETRIES + 1
    assert deliver_notification.retry_backoff
    assert deliver_notification.acks_late


def test_a_poison_message_fails_once_without_a_loop(client_user: User, now: datetime) -> None:
    """A header with a line break is refused by Django: not transient, so no retry."""
    notification = notification_queue(email=_outgoing(client_user), now=now)
    assert notification is not None
    Notification.objects.filter(pk=notification.pk).update(subject="Hi\nBcc: everyone@x.com")
    assert deliver_notification.apply(args=[notification.pk]).get() == "failed"
    notification.refresh_from_db()
    assert notification.attempts == 1
    assert "BadHeaderError" in notification.last_error
    assert mail.outbox == []


def test_a_missing_row_is_not_an_error(practice: object) -> None:
    assert notification_deliver(notification_id=987654) == "missing"


def test_job_run_once_runs_a_period_once(practice: object) -> None:
    calls: list[int] = []

    def work() -> dict[str, int]:
        calls.append(1)
        return {"n": len(calls)}

    first = job_run_once(job="demo", period="2024-04-15", work=work)
    again = job_run_once(job="demo", period="2024-04-15", work=work)
    assert (first.status, again.status, len(calls)) == ("succeeded", "succeeded", 1)
    assert again.result == {"n": 1}


def test_a_failed_run_keeps_its_error_rolls_back_its_work_and_can_run_again(
    client_user: User, now: datetime
) -> None:
    def failing() -> dict[str, int]:
        notification_queue(email=_outgoing(client_user), now=now)
        raise RuntimeError("the engine broke")

    with pytest.raises(RuntimeError):
        job_run_once(job="demo", period="p", work=failing)
    run = JobRun.objects.get(key="demo:p")
    assert (run.status, run.attempts) == (JobRunStatus.FAILED, 1)
    assert "RuntimeError: the engine broke" in run.error
    assert Notification.objects.count() == 0  # the work rolled back, the failure stayed
    run = job_run_once(job="demo", period="p", work=lambda: {})
    assert (run.status, run.attempts, run.error) == (JobRunStatus.SUCCEEDED, 2, "")


def test_practice_job_refuses_the_public_schema(db: None) -> None:
    from notifications.tasks import NotInAPractice, run_practice_job

    with pytest.raises(NotInAPractice):
        run_practice_job.apply(kwargs={"job": "hourly_reminders", "period": "x"}).get()
