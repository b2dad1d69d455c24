"""The one place that talks to Stripe's API. Every call goes through a `StripeClient` built from
settings, so tests (and a Stripe mock server) only need `STRIPE_API_BASE`; nothing touches the
`stripe` module's global configuration."""

from typing import Any

import stripe
from django.conf import settings

from billing.models import Plan

NOT_CONFIGURED = "Billing is not configured on this Warmpath server (STRIPE_SECRET_KEY is unset)."
# Stripe unreachable or overloaded: worth trying again later, unlike any other failure.
TRANSIENT_ERRORS = (stripe.APIConnectionError, stripe.RateLimitError, stripe.APIError)


def is_configured() -> bool:
    return bool(settings.STRIPE_SECRET_KEY)


def client() -> stripe.StripeClient:
    base_addresses: Any = {"api": settings.STRIPE_API_BASE} if settings.STRIPE_API_BASE else None
    return stripe.StripeClient(
        settings.STRIPE_SECRET_KEY, base_addresses=base_addresses, max_network_retries=2
    )


def price_id(*, plan: str) -> str:
    """The Stripe Price of a plan, or "" when the plan is not offered."""
    return {Plan.SOLO: settings.STRIPE_PRICE_SOLO, Plan.TEAM: settings.STRIPE_PRICE_TEAM}.get(
        Plan(plan), ""
    )


def offered_plans() -> list[Plan]:
    return [plan for plan in Plan if price_id(plan=plan)]


def plan_for_price(*, price: str) -> str:
    """Which plan a Stripe Price belongs to ("" for a price Warmpath does not know)."""
    return next((plan.value for plan in Plan if price and price_id(plan=plan) == price), "")


def as_dict(obj: Any) -> dict[str, Any]:
    """Stripe objects as plain dicts, so handlers read API answers and webhook payloads alike."""
    if isinstance(obj, stripe.StripeObject):
        return obj.to_dict()
    return dict(obj)
