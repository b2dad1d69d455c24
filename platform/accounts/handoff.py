"""One-time login links that carry a freshly signed-up owner from the public site to their
practice's own host (sessions live in the practice's schema, so a cookie cannot be shared).

The signed payload includes the user's `last_login`: logging in changes it, so a link works once.
"""

from django.core import signing

from accounts.models import User

_SALT = "warmpath.login-handoff"
MAX_AGE_SECONDS = 120


def handoff_token(*, user: User) -> str:
    stamp = user.last_login.isoformat() if user.last_login else ""
    return signing.TimestampSigner(salt=_SALT).sign_object({"u": user.pk, "l": stamp})


def handoff_user(*, token: str) -> User | None:
    """The user the token logs in, or None if it is forged, expired or already used."""
    try:
        payload = signing.TimestampSigner(salt=_SALT).unsign_object(token, max_age=MAX_AGE_SECONDS)
    except signing.BadSignature:
        return None
    user = User.objects.filter(pk=payload.get("u"), is_active=True).first()
    if user is None:
        return None
    stamp = user.last_login.isoformat() if user.last_login else ""
    return user if stamp == payload.get("l") else None
