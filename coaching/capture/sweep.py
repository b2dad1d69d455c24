"""For the sweeper (notifications.sweeper): received mail whose task never ran, or ran and died.

A message is stored (`InboundMail`, status queued) before the SMTP server answers 250 or the
provider endpoint 202, and its task is sent once that commits. Three ways the task can be lost,
all ending here: the broker did not take it (Redis away: `enqueue` logs and moves on); Redis lost
it; or the worker died while reading it (SIGKILL, a node gone). In the last case Celery's
`acks_late` leaves the message unacknowledged in Redis, handed out again only after the
visibility timeout (an hour), and the reading transaction was rolled back with the worker's
database session, so the row is still queued, never half-read.

Every minute the sweeper asks `inbound_mail_to_queue` for the rows queued longer than `waited`
(JOBS_REQUEUE_AFTER_SECONDS, or the visibility timeout while the broker's queue holds a
backlog, which is being worked through rather than lost) and sends their tasks again. A row is
stamped when sent, so it is sent at most once per `waited`. A copy of a task that was not lost
after all does no harm: the worker locks the row and reads only a queued one, so each message
is read once (tests/capture/test_smtp_worker.py kills a worker mid-batch to show it).
"""

from datetime import datetime, timedelta

from coaching.capture.models import InboundMail, InboundMailStatus

SWEEP_LIMIT = 500


def inbound_mail_to_queue(*, now: datetime, waited: timedelta) -> list[int]:
    """Messages still waiting after `waited` (the broker was down, or a worker died while it
    held the message): each is stamped so it is sent at most once per `waited`. Processing is
    one transaction, so a message is never half-read; a copy sent twice is read once."""
    due = list(
        InboundMail.objects.filter(status=InboundMailStatus.QUEUED, updated_at__lt=now - waited)
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    InboundMail.objects.filter(pk__in=due).update(updated_at=now)
    return due
