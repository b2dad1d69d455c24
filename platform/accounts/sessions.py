"""Where a member is signed in: recorded at sign-in, listed on their security page, ended one at
a time, all at once, or when an owner deactivates them."""

from importlib import import_module

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from accounts.models import MemberSession, User


def _store(session_key: str) -> SessionBase:
    engine = import_module(settings.SESSION_ENGINE)
    store: SessionBase = engine.SessionStore(session_key=session_key)
    return store


def session_record(*, user: User, request: HttpRequest) -> MemberSession | None:
    """Remember the session a sign-in just started (called from the `user_logged_in` signal)."""
    key = request.session.session_key
    if not key:
        return None
    row, _ = MemberSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "signed_in_at": timezone.now(),
            "ip": request.META.get("REMOTE_ADDR") or None,
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300],
        },
    )
    return row


def member_sessions(*, user: User) -> list[MemberSession]:
    """The person's live sessions, newest first; rows whose session has ended are tidied away."""
    rows = list(MemberSession.objects.filter(user=user))
    ended = [row.pk for row in rows if not _store(row.session_key).exists(row.session_key)]
    if ended:
        MemberSession.objects.filter(pk__in=ended).delete()
    return [row for row in rows if row.pk not in ended]


@transaction.atomic
def session_end(*, user: User, session_id: int) -> bool:
    """Sign out one of the person's own sessions (by the row's id: the key itself is a credential
    and never leaves the server). False if it is not theirs or already gone."""
    row = MemberSession.objects.filter(user=user, pk=session_id).first()
    if row is None:
        return False
    _store(row.session_key).delete(row.session_key)
    row.delete()
    return True


@transaction.atomic
def sessions_end_all(*, user: User, keep: str | None = None) -> int:
    """Sign the person out everywhere (but `keep`, the session making the request, if given)."""
    rows = MemberSession.objects.filter(user=user).exclude(session_key=keep or "")
    keys = list(rows.values_list("session_key", flat=True))
    for key in keys:
        _store(key).delete(key)
    rows.delete()
    return len(keys)
