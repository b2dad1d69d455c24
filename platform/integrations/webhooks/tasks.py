"""Celery side of webhooks: one task per delivery, retried with exponential backoff.

Each attempt runs once, whatever the broker does: `delivery_attempt_once` makes attempt N only
while the delivery has exactly N - 1 attempts and no other run holds it, so a message handed
out twice (Redis redelivers what a worker has not acknowledged within the visibility timeout)
cannot send the same attempt twice. Retries wait in Celery only while the wait is short
(CELERY_MAX_COUNTDOWN_SECONDS, well under the visibility timeout); a longer wait (the 32-minute
and 2-hour steps) is left in the database as the delivery's `next_attempt_at`, and the sweeper
(notifications.sweeper, every minute) sends it once it is due.
"""

from celery import Task, shared_task
from django.conf import settings

from integrations.models import DeliveryStatus
from integrations.webhooks.services import (
    MAX_ATTEMPTS,
    backoff_seconds,
    delivery_attempt_once,
    delivery_give_up,
)


def retry_countdown(*, attempts: int) -> int | None:
    """Seconds to hold the next attempt in Celery after `attempts` attempts, or None when the
    wait is too long for the broker and the sweeper sends it instead."""
    wait = backoff_seconds(attempt=attempts)
    return wait if wait <= settings.CELERY_MAX_COUNTDOWN_SECONDS else None


@shared_task(bind=True, name="api.webhook_deliver", max_retries=MAX_ATTEMPTS - 1, acks_late=True)
def webhook_deliver_task(self: Task, delivery_id: int, attempt: int | None = None) -> str:
    delivery, attempted = delivery_attempt_once(delivery_id=delivery_id, attempt=attempt)
    if not attempted or delivery.status != DeliveryStatus.PENDING:
        return str(delivery.status)
    if delivery.attempts >= MAX_ATTEMPTS:
        return str(delivery_give_up(delivery_id=delivery_id).status)
    countdown = retry_countdown(attempts=delivery.attempts)
    if countdown is None:
        return "waiting"  # next_attempt_at is set; the sweeper sends it when due
    raise self.retry(
        args=(delivery_id,), kwargs={"attempt": delivery.attempts + 1}, countdown=countdown
    )
