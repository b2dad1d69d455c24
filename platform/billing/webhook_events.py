"""Stripe webhook bodies: genuine (signed), then an event Warmpath can store and process.

A valid signature proves who sent a body, not that it is well formed. A signed body that is not
a JSON object, lacks `id`, `type` or `data.object`, has them of the wrong type or too long for
their columns, nests deeper than any event does, or holds text PostgreSQL cannot store (NUL, a
lone surrogate) is refused with 400 and nothing is stored: before this check each of those was
a 500, or a row that broke processing later.

What lies inside `data.object` is the handlers' business: an event whose object cannot be
applied is stored, and its processing ends `failed` with the reason (billing.services).
"""

import json
from dataclasses import dataclass
from typing import Any

import stripe

MAX_ID_LENGTH = 255  # StripeEvent.stripe_id
MAX_TYPE_LENGTH = 100  # StripeEvent.type
MAX_DEPTH = 64  # Stripe's events nest a dozen levels at most


class MalformedEvent(ValueError):
    """A signed body that is not an event Warmpath can store; the message says why."""


@dataclass(frozen=True, slots=True)
class Event:
    id: str
    type: str
    payload: dict[str, Any]


def verified_event(*, payload: bytes, signature: str, secret: str) -> Event:
    """The event in `payload` after checking Stripe's signature on the raw bytes. Raises
    `stripe.SignatureVerificationError` (not Stripe's, or stale) or `MalformedEvent`."""
    try:
        text = payload.decode("utf-8")
    except UnicodeDecodeError:
        raise MalformedEvent("The body is not UTF-8 text, so it is not a Stripe event.") from None
    stripe.WebhookSignature.verify_header(
        text,
        signature,
        secret,
        tolerance=stripe.Webhook.DEFAULT_TOLERANCE,  # refuse replays
    )
    try:
        data = json.loads(text)
    except RecursionError:
        raise MalformedEvent("The body nests too deeply to be a Stripe event.") from None
    except ValueError:
        raise MalformedEvent("The body is not JSON, so it is not a Stripe event.") from None
    return _envelope(data)


def _envelope(data: Any) -> Event:
    if not isinstance(data, dict):
        raise MalformedEvent("The body is not a Stripe event: expected a JSON object.")
    problems = []
    event_id, event_type = data.get("id"), data.get("type")
    if not isinstance(event_id, str) or not 0 < len(event_id) <= MAX_ID_LENGTH:
        problems.append(f"`id` must be a string of 1 to {MAX_ID_LENGTH} characters")
    if not isinstance(event_type, str) or not 0 < len(event_type) <= MAX_TYPE_LENGTH:
        problems.append(f"`type` must be a string of 1 to {MAX_TYPE_LENGTH} characters")
    inner = data.get("data")
    if not isinstance(inner, dict) or not isinstance(inner.get("object"), dict):
        problems.append("`data.object` must be an object")
    if problems:
        raise MalformedEvent("The body is not a Stripe event: " + "; ".join(problems) + ".")
    _storable(data)
    return Event(id=str(event_id), type=str(event_type), payload=data)


def _storable(data: Any) -> None:
    """Every key and string can be stored as PostgreSQL JSON; the nesting is an event's."""
    stack: list[tuple[Any, int]] = [(data, 0)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise MalformedEvent("The body nests too deeply to be a Stripe event.")
        if isinstance(value, dict):
            stack.extend((key, depth + 1) for key in value)
            stack.extend((item, depth + 1) for item in value.values())
        elif isinstance(value, list):
            stack.extend((item, depth + 1) for item in value)
        elif isinstance(value, str):
            if "\x00" in value:
                raise MalformedEvent("The event holds a NUL character, which cannot be stored.")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise MalformedEvent(
                    "The event holds a lone surrogate (\\ud800-\\udfff), which is not text."
                ) from None
