"""Fixtures for the notification tests run in-process (the real-worker tests have their own in
test_worker.py). Jobs take an explicit `now`; emails go to Django's locmem outbox once a test
delivers what the jobs queued."""

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.core import mail

from accounts.models import User
from notifications.models import Notification, NotificationStatus
from notifications.services import notification_deliver

# A Tuesday, 15:00 UTC: 11:00 in New York (the practices' zone), mid-afternoon for UTC clients.
NOW = datetime(2024, 4, 16, 15, 0, tzinfo=UTC)


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def deliver_all() -> Callable[[], list[mail.EmailMessage]]:
    """Deliver every queued notification as the worker would; returns the emails sent."""

    def deliver() -> list[mail.EmailMessage]:
        before = len(mail.outbox)
        for pk in Notification.objects.filter(status=NotificationStatus.QUEUED).values_list(
            "pk", flat=True
        ):
            notification_deliver(notification_id=pk)
        return list(mail.outbox[before:])

    return deliver


@pytest.fixture
def coach_user(coach: User) -> User:
    return coach
