"""Tokens that stand in for a login or a password, each bound to one practice and one purpose.

Every link Warmpath sends out (an invitation, a sign-in hand-off, a password reset, an
unsubscribe, a calendar feed, an inbound-mail address) is a credential, and user and record ids
repeat from one practice's schema to the next. So every token is signed with a salt that names its
purpose *and* the schema of the practice it was minted in: a token minted on practice A fails its
signature on practice B's host (or on the public host) before anything is looked up, and an
invitation token cannot be replayed as a hand-off token. The schema is also inside the payload,
checked again after the signature, so a mistake in one salt cannot widen the other check.
"""

from datetime import timedelta
from enum import StrEnum
from typing import Any

from django.core import signing
from django.db import connection


class Purpose(StrEnum):
    INVITATION = "invitation"
    HANDOFF = "login-handoff"
    PASSWORD_RESET = "password-reset"
    UNSUBSCRIBE = "unsubscribe"
    CALENDAR_FEED = "calendar-feed"
    INBOUND_MAIL = "inbound-mail"
    WEBHOOK_SECRET = "webhook-secret"
    EXPORT_DOWNLOAD = "export-download"


class TokenError(Exception):
    """The token cannot be used. `expired` tells an old link from a forged or foreign one."""

    def __init__(self, *, expired: bool) -> None:
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def current_schema() -> str:
    return str(getattr(connection, "schema_name", ""))


def purpose_salt(*, purpose: Purpose, schema_name: str) -> str:
    return f"warmpath.{purpose.value}:{schema_name}"


def token_make(*, purpose: Purpose, data: dict[str, Any], schema_name: str | None = None) -> str:
    """A URL-safe token carrying `data`, valid only for `purpose` in this practice."""
    schema = schema_name or current_schema()
    return signing.dumps(
        {"s": schema, "d": data}, salt=purpose_salt(purpose=purpose, schema_name=schema)
    )


def token_read(
    *,
    purpose: Purpose,
    token: str,
    max_age: timedelta | None = None,
    schema_name: str | None = None,
) -> dict[str, Any]:
    """The data a token carries, if it was minted for `purpose` in this practice and is fresh.

    Raises TokenError otherwise; callers turn that into words a person can act on.
    """
    schema = schema_name or current_schema()
    try:
        payload = signing.loads(
            token, salt=purpose_salt(purpose=purpose, schema_name=schema), max_age=max_age
        )
    except signing.SignatureExpired as exc:
        raise TokenError(expired=True) from exc
    except (signing.BadSignature, ValueError, UnicodeError) as exc:
        raise TokenError(expired=False) from exc
    if not isinstance(payload, dict) or payload.get("s") != schema:
        raise TokenError(expired=False)
    data = payload.get("d")
    if not isinstance(data, dict):
        raise TokenError(expired=False)
    return data
