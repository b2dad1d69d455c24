"""Webhook deliveries as an outbox, for the sweeper (`notifications.sweeper`).

A delivery is `pending` from the moment it is recorded until it succeeds or its attempts run
out; between attempts, `next_attempt_at` says when the next attempt is due. A pending delivery
overdue by more than the grace lost its task (the broker was down when the event committed, or
lost the retry) or is one of the long waits only the sweeper sends (`webhooks.tasks`): it is
sent, and stamped so it is sent at most once per grace. One that used all its attempts but was
never closed (its worker died in between) is given up, as the task would have.

The grace is `waited`, but never more than JOBS_REQUEUE_AFTER_SECONDS: the sweeper is the
schedule of the long waits, so a busy broker must not hold them back, and the stamp already
keeps a busy broker from getting more than one extra message per delivery and grace.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Q

from integrations.models import DeliveryStatus, WebhookDelivery
from integrations.webhooks.services import MAX_ATTEMPTS, delivery_give_up

SWEEP_LIMIT = 500


def deliveries_to_queue(*, now: datetime, waited: timedelta) -> list[int]:
    grace = min(waited, timedelta(seconds=settings.JOBS_REQUEUE_AFTER_SECONDS))
    overdue = WebhookDelivery.objects.filter(status=DeliveryStatus.PENDING).filter(
        Q(next_attempt_at__lt=now - grace)
        | Q(next_attempt_at__isnull=True, created_at__lt=now - grace)
    )
    for pk in overdue.filter(attempts__gte=MAX_ATTEMPTS).values_list("pk", flat=True)[:SWEEP_LIMIT]:
        delivery_give_up(delivery_id=pk, now=now)
    due = list(
        overdue.filter(attempts__lt=MAX_ATTEMPTS)
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    WebhookDelivery.objects.filter(pk__in=due).update(next_attempt_at=now)
    return due
