"""Celery tasks: thin wrappers over billing services."""

from celery import shared_task

from billing.services import stripe_event_process
from billing.stripe_api import TRANSIENT_ERRORS

# Stripe unreachable or overloaded: try again later (the event stays stored, unprocessed).
TRANSIENT = TRANSIENT_ERRORS


@shared_task(
    name="billing.process_stripe_event",
    acks_late=True,
    autoretry_for=TRANSIENT,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=10,
)
def process_stripe_event(event_pk: int) -> bool:
    return stripe_event_process(event_pk=event_pk)
