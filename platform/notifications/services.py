"""Writes for notifications: the outbox (queue once, deliver once), preferences, unsubscribing,
calendar feeds and job runs.

The outbox in two steps, each idempotent:

1. `notification_queue` records the email under its dedupe key (unique in the table) and asks
   for delivery when the surrounding transaction commits. A second job run finds the key and
   does nothing; two racing runs collide on the unique constraint and one of them wins.
2. `notification_deliver` locks the row, sends only if it is still queued, and marks it sent in
   the same transaction. A delivery task that runs twice finds it sent the second time.
"""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError, transaction
from django.db.models import Q, Value
from django.db.models.functions import Concat
from django.utils import timezone

from accounts.models import User
from config.celery_app import enqueue_on_commit
from notifications import emails
from notifications.kinds import KIND_TOPIC, Topic, topics_for
from notifications.models import (
    CalendarFeed,
    JobRun,
    JobRunStatus,
    Notification,
    NotificationPreference,
    NotificationStatus,
)
from notifications.recheck import SETTLED, still_due
from notifications.tokens import ALL_TOPICS, feed_token_hash, feed_token_is_ours, feed_token_new

logger = logging.getLogger(__name__)

ERROR_LIMIT = 2000
# A queued email last tried this long ago lost its retry (the broker lost the message, say): the
# sweeper queues it again. Retries wait at most 10 minutes, so an alive one is never this late.
STALE_AFTER = timedelta(minutes=30)
MAX_TRIES = 6  # the first try and five retries (notifications.tasks.MAX_RETRIES)
SWEEP_LIMIT = 500


class TransientError(Exception):
    """A failure worth retrying: the mail server or the database was briefly unavailable."""


def is_transient(exc: BaseException) -> bool:
    """Connection trouble and 4xx SMTP answers pass; 5xx answers, bad addresses, bad headers and
    programming errors do not, and retrying them would only loop."""
    if isinstance(exc, smtplib.SMTPResponseException):
        return 400 <= exc.smtp_code < 500
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(400 <= code < 500 for code, _ in exc.recipients.values())
    return isinstance(
        exc,
        (
            smtplib.SMTPServerDisconnected,
            smtplib.SMTPConnectError,
            ConnectionError,
            TimeoutError,
            OperationalError,
            InterfaceError,
            TransientError,
        ),
    )


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:ERROR_LIMIT]


# --- preferences -----------------------------------------------------------------------------


def preference_enabled(*, user_id: int, topic: str) -> bool:
    row = NotificationPreference.objects.filter(user_id=user_id, topic=topic).first()
    return True if row is None else row.enabled


def preferences_for(*, user: User) -> dict[str, bool]:
    """Each topic this person can receive, and whether it is on."""
    stored = dict(NotificationPreference.objects.filter(user=user).values_list("topic", "enabled"))
    return {info.topic.value: stored.get(info.topic.value, True) for info in topics_for(user.role)}


@transaction.atomic
def preferences_update(*, user: User, choices: Mapping[str, bool]) -> dict[str, bool]:
    """Switch topics on or off. Only the topics this person can receive are accepted."""
    allowed = {info.topic.value for info in topics_for(user.role)}
    unknown = sorted(set(choices) - allowed)
    if unknown:
        known = ", ".join(sorted(allowed))
        raise ValidationError(
            {"topics": [f"Unknown topic(s): {', '.join(unknown)}; use: {known}."]}
        )
    for topic, enabled in choices.items():
        NotificationPreference.objects.update_or_create(
            user=user, topic=topic, defaults={"enabled": bool(enabled)}
        )
    return preferences_for(user=user)


@transaction.atomic
def unsubscribe(*, user: User, topic: str) -> list[str]:
    """What an unsubscribe link does: switch one topic (or every topic, "all") off. Returns the
    topics switched off. Harmless to repeat."""
    topics = (
        [info.topic.value for info in topics_for(user.role)] if topic == ALL_TOPICS else [topic]
    )
    preferences_update(user=user, choices=dict.fromkeys(topics, False))
    return topics


# --- the outbox ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outgoing:
    """One email a job wants sent: the occasion, who gets it, and what it says."""

    dedupe_key: str
    kind: str
    user: User
    subject: str
    template: str
    context: dict[str, Any]


def notification_queue(*, email: Outgoing, now: datetime | None = None) -> Notification | None:
    """Record `email` and have it delivered once the caller's transaction commits. Returns the
    new row, or None when this occasion already has one (or the person cannot receive mail).
    A person who switched the topic off gets a `skipped` row: the occasion is settled and is not
    re-examined every hour."""
    user = email.user
    if not user.is_active or not user.email:
        return None
    if Notification.objects.filter(dedupe_key=email.dedupe_key).exists():
        return None
    now = now or timezone.now()
    topic = KIND_TOPIC[email.kind]
    enabled = preference_enabled(user_id=user.pk, topic=topic)
    rendered = (
        emails.render(
            template=email.template,
            subject=email.subject,
            user_id=user.pk,
            topic=topic,
            context={"user": user, **email.context},
        )
        if enabled
        else emails.Rendered(subject=email.subject, text="", html="")
    )
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                dedupe_key=email.dedupe_key,
                kind=email.kind,
                topic=topic,
                user=user,
                to_email=user.email,
                subject=rendered.subject,
                body_text=rendered.text,
                body_html=rendered.html,
                status=NotificationStatus.QUEUED if enabled else NotificationStatus.SKIPPED,
                created_at=now,
            )
    except IntegrityError:
        return None  # a concurrent run recorded the same occasion first
    if enabled:
        _deliver_on_commit(notification.pk)
    return notification


def notification_record_failure(*, dedupe_key: str, kind: str, user: User, error: str) -> None:
    """An occasion whose email could not even be written (a bug, bad data): keep it visible as
    failed rather than retrying it every hour."""
    with transaction.atomic():
        Notification.objects.get_or_create(
            dedupe_key=dedupe_key,
            defaults={
                "kind": kind,
                "topic": KIND_TOPIC[kind],
                "user": user,
                "to_email": user.email,
                "subject": "(not rendered)",
                "body_text": "",
                "status": NotificationStatus.FAILED,
                "last_error": error[:ERROR_LIMIT],
            },
        )


def _deliver_on_commit(notification_id: int) -> None:
    from notifications.tasks import deliver_notification  # tasks import this module

    enqueue_on_commit(deliver_notification, notification_id)


def notification_deliver(
    *, notification_id: int, final_attempt: bool = False, now: datetime | None = None
) -> str:
    """Send one queued email, at most once. Returns the row's status afterwards ("missing" if
    there is no such row). A transient failure is recorded and raised as `TransientError` for the
    task to retry, unless this was the last attempt; anything else fails the row for good."""
    retry: TransientError | None = None
    with transaction.atomic():
        notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
        if notification is None:
            return "missing"
        if notification.status != NotificationStatus.QUEUED:
            return notification.status
        now = now or timezone.now()
        if notification.user_id is None or not preference_enabled(
            user_id=notification.user_id, topic=notification.topic
        ):
            notification.status = NotificationStatus.SKIPPED
            notification.save(update_fields=["status"])
            return notification.status
        if not still_due(dedupe_key=notification.dedupe_key, now=now):
            # Re-read at send time: the client did it after the job wrote the email.
            notification.status = NotificationStatus.SKIPPED
            notification.last_error = SETTLED
            notification.save(update_fields=["status", "last_error"])
            return notification.status
        notification.attempts += 1
        notification.last_attempt_at = now
        try:
            emails.send(
                to=notification.to_email,
                subject=notification.subject,
                text=notification.body_text,
                html=notification.body_html,
                dedupe_key=notification.dedupe_key,
                user_id=notification.user_id,
                topic=notification.topic,
            )
        except Exception as exc:
            notification.last_error = _describe(exc)
            if is_transient(exc) and not final_attempt:
                retry = TransientError(notification.last_error)
            else:
                notification.status = NotificationStatus.FAILED
                logger.error(
                    "notification %s failed for good: %s",
                    notification.dedupe_key,
                    notification.last_error,
                )
        else:
            notification.status = NotificationStatus.SENT
            notification.sent_at = now
            notification.last_error = ""
        notification.save()
    if retry is not None:
        raise retry
    return notification.status


def notifications_to_queue(*, now: datetime, waited: timedelta) -> list[int]:
    """For the sweeper: queued emails whose delivery task was lost (the broker was down when
    the job committed, or lost the message). Never tried and older than `waited`, or last tried
    longer ago than STALE_AFTER (retries wait at most 10 minutes), or sent again by the sweeper
    that long ago. An email tried MAX_TRIES times already fails for good instead. Delivery is
    idempotent, so an email that is merely slow is not sent twice."""
    queued = Notification.objects.filter(status=NotificationStatus.QUEUED)
    exhausted = queued.filter(attempts__gte=MAX_TRIES, last_attempt_at__lt=now - STALE_AFTER)
    exhausted.update(
        status=NotificationStatus.FAILED,
        last_error=Concat(Value(f"Gave up after {MAX_TRIES} tries; last: "), "last_error"),
    )
    never_tried = Q(last_attempt_at__isnull=True, created_at__lt=now - waited)
    lost_retry = Q(last_attempt_at__lt=now - max(STALE_AFTER, waited))
    due = list(
        queued.filter(never_tried | lost_retry)
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    # Stamped as tried now, so each is sent again at most once per STALE_AFTER however long the
    # worker stays away (`attempts` still counts real tries only).
    Notification.objects.filter(pk__in=due).update(last_attempt_at=now)
    return due


# --- job runs --------------------------------------------------------------------------------


def job_run_once(*, job: str, period: str, work: Callable[[], dict[str, Any]]) -> JobRun:
    """Run `work` for this job and period unless it already succeeded, in one transaction with
    the run's row locked (a concurrent duplicate waits, then sees it done). A failure rolls the
    work back, keeps the error on the row (status failed) and is raised again for the caller."""
    key = f"{job}:{period}"
    failure: BaseException | None = None
    with transaction.atomic():
        run, _ = JobRun.objects.select_for_update().get_or_create(key=key, defaults={"job": job})
        if run.status == JobRunStatus.SUCCEEDED:
            return run
        run.attempts += 1
        run.started_at = timezone.now()
        try:
            with transaction.atomic():
                result = work()
        except Exception as exc:
            failure = exc
            run.status = JobRunStatus.FAILED
            run.error = _describe(exc)
            logger.exception("job %s failed", key)
        else:
            run.status = JobRunStatus.SUCCEEDED
            run.error = ""
            run.result = result
        run.finished_at = timezone.now()
        run.save()
    if failure is not None:
        raise failure
    return run


# --- calendar feeds --------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_create(*, user: User, now: datetime | None = None) -> str:
    """A new secret calendar address for `user`; any previous one stops working. Returns the
    token (shown once: only its hash is stored)."""
    now = now or timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    token = feed_token_new()
    CalendarFeed.objects.create(user=user, token_hash=feed_token_hash(token), created_at=now)
    return token


def calendar_feed_revoke(*, user: User, now: datetime | None = None) -> int:
    """Stop the person's calendar address from working. Returns how many were revoked."""
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=now or timezone.now()
    )


def calendar_feed_resolve(*, token: str, now: datetime | None = None) -> CalendarFeed | None:
    """The live feed a token opens, for an active person; None otherwise (revoked, unknown,
    or the person was deactivated, or minted by another practice)."""
    if not feed_token_is_ours(token):
        return None
    feed = (
        CalendarFeed.objects.filter(
            token_hash=feed_token_hash(token), revoked_at__isnull=True, user__is_active=True
        )
        .select_related("user")
        .first()
    )
    if feed is None:
        return None
    now = now or timezone.now()
    if feed.last_used_at is None or feed.last_used_at < now - timedelta(hours=1):
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed


def topic_label(topic: str) -> str:
    return "every email" if topic == ALL_TOPICS else str(Topic(topic).label).lower()
