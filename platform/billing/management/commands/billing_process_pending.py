"""Apply stored Stripe events that were never processed (e.g. the broker was down when they
arrived). Safe to run at any time: each event is applied at most once."""

from typing import Any

from django.core.management.base import BaseCommand

from billing.services import stripe_event_process, stripe_events_pending


class Command(BaseCommand):
    help = "Process stored Stripe webhook events that have not been applied yet."

    def handle(self, *args: Any, **options: Any) -> None:
        pending = stripe_events_pending()
        applied = sum(stripe_event_process(event_pk=pk) for pk in pending)
        self.stdout.write(f"{applied} of {len(pending)} pending Stripe events applied.")
