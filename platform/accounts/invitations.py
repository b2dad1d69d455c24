"""Invitation links: bound to their practice, time-limited, single use.

The token carries the invitation id, signed for this practice and this purpose (see
`accounts.tokens`): a tampered token fails the signature, a token from another practice's host
fails it too, an old one fails `max_age`, and a reused one finds `accepted_at` already set.
"""

from datetime import timedelta

from django.conf import settings

from accounts.tokens import Purpose, TokenError, token_make, token_read


class InvitationLinkError(Exception):
    """The link cannot be used; the message says why in words a person can act on."""


def invitation_token(*, invitation_id: int) -> str:
    return token_make(purpose=Purpose.INVITATION, data={"i": invitation_id})


def invitation_id_from_token(*, token: str) -> int:
    max_age = timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    try:
        data = token_read(purpose=Purpose.INVITATION, token=token, max_age=max_age)
    except TokenError as exc:
        if exc.expired:
            raise InvitationLinkError(
                "This invitation has expired. Ask the practice owner to send a new one."
            ) from exc
        raise InvitationLinkError(
            "This invitation link is not valid. Check that you copied the whole link."
        ) from exc
    invitation_id = data.get("i")
    if not isinstance(invitation_id, int):
        raise InvitationLinkError(
            "This invitation link is not valid. Check that you copied the whole link."
        )
    return invitation_id
