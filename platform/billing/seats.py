"""Seats in use: how many of a practice's clients are billed.

Billing sets the price and the limit; which clients count is the coaching app's knowledge
(clients whose search is active: paused and landed ones are kept, and visible, but not billed).
The coaching app tells billing how to count when it loads (`coaching.apps`), so billing never
imports coaching.
"""

from collections.abc import Callable

from django.core.exceptions import ImproperlyConfigured
from django_tenants.utils import schema_context

from tenants.models import Practice

_counter: Callable[[], int] | None = None


def seat_counter_register(counter: Callable[[], int]) -> None:
    """`counter()` answers, in the current practice's schema, how many clients are billed."""
    global _counter
    _counter = counter


def seats_in_use(*, practice: Practice) -> int:
    if _counter is None:
        raise ImproperlyConfigured("No seat counter: the coaching app registers one when it loads.")
    with schema_context(practice.schema_name):
        return _counter()
