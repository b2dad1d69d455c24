"""Tokens that stand in for a login: unsubscribe links and calendar feed addresses.

An unsubscribe token is signed (SECRET_KEY), never expires, and names the practice's schema as
well as the user: user ids repeat from one practice to the next, so a token minted on practice A
must not switch anything off on practice B's host. A feed token is random; only its hash is kept.
"""

import hashlib
import secrets
from dataclasses import dataclass

from django.core import signing
from django.db import connection

from notifications.kinds import Topic

_UNSUBSCRIBE_SALT = "notifications.unsubscribe"
ALL_TOPICS = "all"


@dataclass(frozen=True, slots=True)
class UnsubscribeRequest:
    user_id: int
    topic: str
    """A `Topic` value, or "all"."""


def current_schema() -> str:
    return str(getattr(connection, "schema_name", ""))


def unsubscribe_token(*, user_id: int, topic: str, schema_name: str | None = None) -> str:
    schema = schema_name or current_schema()
    return signing.dumps({"s": schema, "u": user_id, "t": topic}, salt=_UNSUBSCRIBE_SALT)


def unsubscribe_read(token: str, *, schema_name: str | None = None) -> UnsubscribeRequest | None:
    """The request a token carries, or None if it is forged, mangled or from another practice."""
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    schema = schema_name or current_schema()
    if not isinstance(data, dict) or data.get("s") != schema:
        return None
    user_id, topic = data.get("u"), data.get("t")
    if not isinstance(user_id, int) or (topic != ALL_TOPICS and topic not in Topic.values):
        return None
    return UnsubscribeRequest(user_id=user_id, topic=topic)


def feed_token_new() -> str:
    return secrets.token_urlsafe(32)


def feed_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
