"""Apply stored Stripe events that were never processed (e.g. the broker was down when they
arrived). Safe to run at any time: each event is applied at most once.

Each event is processed on its own: one that cannot be applied ends `failed` with its reason
(see the admin) and the ones behind it are still applied; one that meets Stripe or the database
unreachable stays pending for the next run. `--retry-failed` first puts failed events back to
pending, for after their cause was fixed.
"""

import logging
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from billing.models import EventStatus, StripeEvent
from billing.services import stripe_event_process, stripe_events_pending

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Process stored Stripe webhook events that have not been applied yet."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--retry-failed",
            action="store_true",
            help="Put failed events back to pending first (once their cause is fixed).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["retry_failed"]:
            StripeEvent.objects.filter(status=EventStatus.FAILED).update(
                status=EventStatus.PENDING, error=""
            )
        pending = stripe_events_pending()
        applied = waiting = 0
        for pk in pending:
            try:
                applied += stripe_event_process(event_pk=pk)
            except Exception:  # Stripe or the database away: the event stays pending
                logger.exception("Stripe event %s left pending for a later run", pk)
                waiting += 1
        failed = StripeEvent.objects.filter(pk__in=pending, status=EventStatus.FAILED).count()
        self.stdout.write(
            f"{applied} of {len(pending)} pending Stripe events applied; {failed} failed (their "
            f"error says why); {waiting} left pending (Stripe or the database unreachable)."
        )
