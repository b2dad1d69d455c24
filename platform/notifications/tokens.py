"""Tokens that stand in for a login: unsubscribe links and calendar feed addresses.

Both are bound to their practice and purpose (`accounts.tokens`): user ids repeat from one
practice to the next, so a token minted on practice A must not switch anything off, or open a
feed, on practice B's host. An unsubscribe token never expires. A feed token wraps a random key;
only the hash of the whole token is kept, and the binding is checked before the hash is looked up.
"""

import hashlib
import secrets
from dataclasses import dataclass

from accounts.tokens import Purpose, TokenError, token_make, token_read
from accounts.tokens import current_schema as current_schema
from notifications.kinds import Topic

ALL_TOPICS = "all"


@dataclass(frozen=True, slots=True)
class UnsubscribeRequest:
    user_id: int
    topic: str
    """A `Topic` value, or "all"."""


def unsubscribe_token(*, user_id: int, topic: str, schema_name: str | None = None) -> str:
    data = {"u": user_id, "t": topic}
    return token_make(purpose=Purpose.UNSUBSCRIBE, data=data, schema_name=schema_name)


def unsubscribe_read(token: str, *, schema_name: str | None = None) -> UnsubscribeRequest | None:
    """The request a token carries, or None if it is forged, mangled or from another practice."""
    try:
        data = token_read(purpose=Purpose.UNSUBSCRIBE, token=token, schema_name=schema_name)
    except TokenError:
        return None
    user_id, topic = data.get("u"), data.get("t")
    if not isinstance(user_id, int) or (topic != ALL_TOPICS and topic not in Topic.values):
        return None
    return UnsubscribeRequest(user_id=user_id, topic=topic)


def feed_token_new() -> str:
    return token_make(purpose=Purpose.CALENDAR_FEED, data={"k": secrets.token_urlsafe(24)})


def feed_token_is_ours(token: str) -> bool:
    """Whether the token was minted for a calendar feed of this practice (before any lookup)."""
    try:
        token_read(purpose=Purpose.CALENDAR_FEED, token=token)
    except TokenError:
        return False
    return True


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
