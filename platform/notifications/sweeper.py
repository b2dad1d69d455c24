"""The sweeper: one pass, every minute from beat, over every kind of job's outbox.

Each background job is a row before it is a message: an import (`coaching.ImportJob`), a webhook
delivery (`integrations.models.WebhookDelivery`), an email (`notifications.Notification`), a
message received at a client's private address (`capture.InboundMail`), a Stripe event
(`billing.StripeEvent`). The row is written in the transaction that asks for the job, and the
task is sent once that commits (`config.celery_app.enqueue_on_commit`). When the broker could not
take the task, or lost it, or the worker running it died, the row is still there, and this pass
sends it again:

    job               schema     rows due (the kind's own function)          task
    Stripe event      public     billing.selectors.stripe_events_to_queue    process_stripe_event
    spare schemas     public     the pool is below SPARE_SCHEMA_POOL_SIZE    replenish_spares
    import            practice   coaching.services.imports.imports_to_queue  import_run_task
    webhook delivery  practice   integrations.webhooks.outbox.               webhook_deliver_task
                                 deliveries_to_queue
    email             practice   notifications.services.                     deliver_notification
                                 notifications_to_queue
    inbound mail      practice   coaching.capture.sweep.                     inbound_mail_task
                                 inbound_mail_to_queue

Each kind decides which of its rows are overdue — waiting longer than `waited` for a task to
start, or running without a sign of life for longer than its lease — and when to give up on
one (the job then ends `failed`, saying why). Every task is idempotent, so a job sent twice
still runs once. A kind that raises is logged and the pass goes on: one bad row or practice
never holds up the others.

`waited` is JOBS_REQUEUE_AFTER_SECONDS, except while the broker's queue still holds messages:
then it is working through a backlog, not losing them, and rows are left alone until they have
waited CELERY_VISIBILITY_TIMEOUT, so a busy hour does not pile duplicates on top of itself.
"""

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from billing.selectors import stripe_events_to_queue
from billing.tasks import process_stripe_event
from coaching.capture.sweep import inbound_mail_to_queue
from coaching.capture.tasks import inbound_mail_task
from coaching.services.imports import imports_to_queue
from coaching.tasks import import_run_task
from config.celery_app import app, enqueue
from integrations.webhooks.outbox import deliveries_to_queue
from integrations.webhooks.tasks import webhook_deliver_task
from notifications.services import notifications_to_queue
from notifications.tasks import deliver_notification
from tenants.models import Practice
from tenants.tasks import replenish_spares

logger = logging.getLogger(__name__)

Due = Callable[[datetime, timedelta], Sequence[tuple[Any, ...]]]


@dataclass(frozen=True, slots=True)
class Outbox:
    name: str
    due: Due
    """(now, waited) -> the argument tuples of the tasks to send now."""
    task: Any


def _by_id(rows: Callable[..., list[int]]) -> Due:
    return lambda now, waited: [(pk,) for pk in rows(now=now, waited=waited)]


def _spares_short(now: datetime, waited: timedelta) -> list[tuple[()]]:
    wanted = settings.SPARE_SCHEMA_POOL_SIZE
    return [()] if wanted and Practice.objects.spares().count() < wanted else []


PUBLIC = (
    Outbox("stripe_events", _by_id(stripe_events_to_queue), process_stripe_event),
    Outbox("spare_schemas", _spares_short, replenish_spares),
)
PER_PRACTICE = (
    Outbox("imports", _by_id(imports_to_queue), import_run_task),
    Outbox("inbound_mail", _by_id(inbound_mail_to_queue), inbound_mail_task),
    Outbox("webhook_deliveries", _by_id(deliveries_to_queue), webhook_deliver_task),
    Outbox("emails", _by_id(notifications_to_queue), deliver_notification),
)


def broker_backlog() -> int | None:
    """Messages waiting in the default queue; None when the broker does not answer."""
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1)
            declared = conn.default_channel.queue_declare(
                queue=settings.CELERY_TASK_DEFAULT_QUEUE, durable=True, auto_delete=False
            )
            return int(declared.message_count)
    except Exception:
        logger.warning("sweeper: the broker did not answer", exc_info=True)
        return None


def sweep(*, now: datetime | None = None) -> Counter[str]:
    """One pass over every outbox; returns how many tasks of each kind were sent."""
    now = now or timezone.now()
    backlog = broker_backlog()
    if backlog is None:
        return Counter()  # nothing can be sent; the next pass tries again
    waited = timedelta(
        seconds=settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
        if backlog
        else settings.JOBS_REQUEUE_AFTER_SECONDS
    )
    sent: Counter[str] = Counter()
    with schema_context(get_public_schema_name()):
        _pass(PUBLIC, now=now, waited=waited, sent=sent, where="public")
        schemas = list(Practice.objects.live().values_list("schema_name", flat=True))
    for schema_name in schemas:
        with schema_context(schema_name):
            _pass(PER_PRACTICE, now=now, waited=waited, sent=sent, where=schema_name)
    if sent:
        logger.info("sweeper sent %s", dict(sent))
    return sent


def _pass(
    outboxes: Sequence[Outbox], *, now: datetime, waited: timedelta, sent: Counter[str], where: str
) -> None:
    for outbox in outboxes:
        try:
            due = outbox.due(now, waited)
        except Exception:
            logger.exception("sweeper: %s in %s failed; going on", outbox.name, where)
            continue
        for args in due:
            sent[outbox.name] += enqueue(outbox.task, *args)
