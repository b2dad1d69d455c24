"""Invitation links: signed, time-limited, single use.

The token is Django's TimestampSigner over the invitation id, so a tampered token fails the
signature, an old one fails `max_age`, and a reused one finds `accepted_at` already set.
"""

from datetime import timedelta

from django.conf import settings
from django.core import signing

_SALT = "warmpath.invitation"


class InvitationLinkError(Exception):
    """The link cannot be used; the message says why in words a person can act on."""


def invitation_token(*, invitation_id: int) -> str:
    return signing.TimestampSigner(salt=_SALT).sign(str(invitation_id))


def invitation_id_from_token(*, token: str) -> int:
    max_age = timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    try:
        value = signing.TimestampSigner(salt=_SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvitationLinkError(
            "This invitation has expired. Ask the practice owner to send a new one."
        ) from exc
    except signing.BadSignature as exc:
        raise InvitationLinkError(
            "This invitation link is not valid. Check that you copied the whole link."
        ) from exc
    return int(value)
