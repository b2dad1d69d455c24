"""One-time sign-in links that carry a freshly signed-up owner from the public site to their
practice's own host (sessions live in the practice's schema, so a cookie cannot be shared).

The token is bound to the practice and to this purpose (`accounts.tokens`), lives a minute, and
dies once used: it carries the user's `last_login`, and using it moves `last_login` on in the
same transaction that locks the user's row, so a second use (even a simultaneous one) finds the
stamp changed.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.tokens import Purpose, TokenError, token_make, token_read

MAX_AGE = timedelta(seconds=60)


def _stamp(last_login: datetime | None) -> str:
    return last_login.isoformat() if last_login else ""


def handoff_token(*, user: User, schema_name: str | None = None) -> str:
    """`schema_name` is the practice's: the public site mints the token for another schema."""
    return token_make(
        purpose=Purpose.HANDOFF,
        data={"u": user.pk, "l": _stamp(user.last_login)},
        schema_name=schema_name,
    )


@transaction.atomic
def handoff_consume(*, token: str) -> User | None:
    """The user the token signs in, spending the token; None if forged, foreign, old or used."""
    try:
        data = token_read(purpose=Purpose.HANDOFF, token=token, max_age=MAX_AGE)
    except TokenError:
        return None
    user_id = data.get("u")
    if not isinstance(user_id, int):
        return None
    user = User.objects.select_for_update().filter(pk=user_id, is_active=True).first()
    if user is None or _stamp(user.last_login) != data.get("l"):
        return None
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])
    return user
