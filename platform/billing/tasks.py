"""Celery tasks: thin wrappers over billing services."""

import stripe
from celery import shared_task

from billing.services import stripe_event_process

# Stripe unreachable or overloaded: try again later (the event stays stored, unprocessed).
TRANSIENT = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)


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
