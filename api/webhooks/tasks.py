"""Celery side of webhooks: one task per delivery, retried with exponential backoff."""

from celery import Task, shared_task

from api.webhooks.models import DeliveryStatus
from api.webhooks.services import (
    MAX_ATTEMPTS,
    backoff_seconds,
    delivery_attempt,
    delivery_give_up,
)


@shared_task(bind=True, name="api.webhook_deliver", max_retries=MAX_ATTEMPTS - 1, acks_late=True)
def webhook_deliver_task(self: Task, delivery_id: int) -> str:
    delivery = delivery_attempt(delivery_id=delivery_id)
    if delivery.status != DeliveryStatus.PENDING:
        return str(delivery.status)
    if delivery.attempts >= MAX_ATTEMPTS:
        return str(delivery_give_up(delivery_id=delivery_id).status)
    raise self.retry(countdown=backoff_seconds(attempt=delivery.attempts))
