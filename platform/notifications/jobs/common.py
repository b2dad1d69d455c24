"""What the client-facing jobs share: waking hours, names, and queueing one email safely."""

import logging
from collections.abc import Callable
from datetime import datetime

from django.db import connection, transaction

from accounts.models import User
from coaching.timezones import zone
from notifications.models import NotificationStatus
from notifications.services import (
    Outgoing,
    is_transient,
    notification_queue,
    notification_record_failure,
)

logger = logging.getLogger(__name__)

# Reminders go out between 8:00 and 20:00 in the recipient's zone; an occasion that comes due at
# night waits for the morning (the hourly job picks it up then).
SEND_FROM_HOUR = 8
SEND_UNTIL_HOUR = 20


def practice_zone() -> str:
    return str(getattr(getattr(connection, "tenant", None), "time_zone", "") or "UTC")


def local_time(*, now: datetime, tz: str) -> datetime:
    return now.astimezone(zone(tz))


def awake(*, now: datetime, tz: str) -> bool:
    return SEND_FROM_HOUR <= local_time(now=now, tz=tz).hour < SEND_UNTIL_HOUR


def first_name(user: User) -> str:
    return (user.name or "").split(" ")[0] or "there"


def queue_guarded(
    *, now: datetime, build: Callable[[], Outgoing], key: str, kind: str, user: User
) -> bool:
    """Build and queue one email. A bug or bad record in one occasion is recorded as a failed
    notification and the job moves on to the next; transient trouble (the database went away)
    is raised so the whole job is retried. Returns True if a new email was queued (not
    settled as skipped)."""
    try:
        with transaction.atomic():  # a savepoint: a failed occasion leaves the job's work intact
            queued = notification_queue(email=build(), now=now)
            return queued is not None and queued.status == NotificationStatus.QUEUED
    except Exception as exc:
        if is_transient(exc):
            raise
        logger.exception("could not prepare notification %s", key)
        notification_record_failure(
            dedupe_key=key, kind=kind, user=user, error=f"{type(exc).__name__}: {exc}"
        )
        return False
