"""Celery tasks: thin wrappers over the jobs and the outbox.

Every task here is sent from a practice's schema and runs in it (tenant-schemas-celery puts the
schema in the message headers), except the dispatcher and the sweeper, which beat sends from the
public schema and which work in each practice's schema in turn.

All are `acks_late` (the settings make that the default too): a worker killed mid-task leaves
the message to be delivered again, and every task is idempotent, so running it again is safe.
Transient failures retry with exponential backoff; anything else fails once, visibly (a failed
`Notification` or `JobRun` row with the error), and is not retried.
"""

import logging
from datetime import date
from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from notifications.jobs import schedule
from notifications.services import TransientError, job_run_once, notification_deliver
from notifications.tokens import current_schema
from tenants.models import Practice

logger = logging.getLogger(__name__)

TRANSIENT = (TransientError, OperationalError, InterfaceError, ConnectionError, TimeoutError)
MAX_RETRIES = 5
# Seconds before the first retry; each retry waits up to twice as long (capped at 10 minutes).
RETRY_BACKOFF = int(getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF", 30))


class NotInAPractice(RuntimeError):
    """A per-practice task arrived without a practice's schema: a bug in whoever sent it."""


@shared_task(name="notifications.sweep", acks_late=True)
def sweep() -> dict[str, int]:
    """Every minute, from beat: send again every job whose task was lost, take over the ones
    whose worker died (see notifications.sweeper). Returns how many of each kind were sent."""
    from notifications.sweeper import sweep as sweep_outboxes  # it imports this module

    return dict(sweep_outboxes())


@shared_task(name="notifications.dispatch", acks_late=True)
def dispatch() -> int:
    """Every ten minutes, from beat: queue each live practice's jobs whose place in this hour's
    spread falls in these ten minutes, in the practice's own schema, each with a countdown under
    ten minutes (schedule.DISPATCH_WINDOW_SECONDS). Returns how many jobs were queued. Safe to
    run twice: every job is keyed by its period."""
    now = timezone.now()
    elapsed, window_start = schedule.window(at=now)
    queued = 0
    with schema_context(get_public_schema_name()):
        practices = list(Practice.objects.live().values_list("pk", "schema_name", "time_zone"))
    for practice_id, schema_name, time_zone in practices:
        with schema_context(schema_name):
            for due in schedule.jobs_due(practice_id=practice_id, time_zone=time_zone, at=now):
                if not schedule.in_window(countdown=due.countdown, window_start=window_start):
                    continue
                run_practice_job.apply_async(
                    kwargs={
                        "job": due.job,
                        "period": due.period,
                        "as_of": due.as_of.isoformat() if due.as_of else None,
                    },
                    countdown=max(0, due.countdown - elapsed),
                )
                queued += 1
    logger.info("dispatched %s jobs for %s practices", queued, len(practices))
    return queued


def _work(job: str, as_of: date | None) -> Any:
    from notifications.jobs.digest import weekly_digest
    from notifications.jobs.nightly import nightly_diagnostics
    from notifications.jobs.reminders import hourly_reminders

    now = timezone.now()
    if job == schedule.HOURLY:
        return lambda: hourly_reminders(now=now)
    if job == schedule.NIGHTLY and as_of is not None:
        return lambda: nightly_diagnostics(as_of=as_of, now=now)
    if job == schedule.DIGEST and as_of is not None:
        return lambda: weekly_digest(week_of=as_of, now=now)
    raise ValueError(f"Unknown job {job!r} (or a missing as_of day).")


@shared_task(
    bind=True,
    name="notifications.practice_job",
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=RETRY_BACKOFF,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def run_practice_job(self: Task, job: str, period: str, as_of: str | None = None) -> str:
    """One practice's job for one period, at most once (see `job_run_once`)."""
    if current_schema() == get_public_schema_name():
        raise NotInAPractice(f"{job} for {period} was sent without a practice's schema.")
    work = _work(job, date.fromisoformat(as_of) if as_of else None)
    run = job_run_once(job=job, period=period, work=work)
    return str(run.status)


@shared_task(
    bind=True,
    name="notifications.deliver",
    acks_late=True,
    autoretry_for=(TransientError,),
    retry_backoff=RETRY_BACKOFF,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=MAX_RETRIES,
)
def deliver_notification(self: Task, notification_id: int) -> str:
    """Send one queued email. The last allowed attempt records a transient failure as final."""
    if current_schema() == get_public_schema_name():
        raise NotInAPractice(f"notification {notification_id} was sent without a schema.")
    final = self.request.retries >= (self.max_retries or 0)
    return notification_deliver(notification_id=notification_id, final_attempt=final)
