"""For the sweeper (notifications.sweeper): received mail whose task never ran."""

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
