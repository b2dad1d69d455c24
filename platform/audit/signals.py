"""Sign-ins, sign-outs and MFA changes arrive as signals from Django and allauth; each becomes an
audit entry (and a sign-in also names its session, so the person can end it later)."""

from typing import Any

from allauth.account.signals import email_confirmed
from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from accounts.models import User
from accounts.sessions import session_record
from audit.actions import AuditAction
from audit.services import audit_record


def _member(user: Any) -> User | None:
    return user if isinstance(user, User) and user.pk is not None else None


@receiver(user_logged_in, dispatch_uid="audit.login")
def _logged_in(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    member = _member(user)
    if member is None or request is None:
        return
    session_record(user=member, request=request)
    audit_record(action=AuditAction.LOGIN, actor=member, target=member, target_label=member.email)


@receiver(user_logged_out, dispatch_uid="audit.logout")
def _logged_out(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    member = _member(user)
    if member is not None:
        audit_record(action=AuditAction.LOGOUT, actor=member, target=member)


@receiver(user_login_failed, dispatch_uid="audit.login_failed")
def _login_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    tried = str(credentials.get("email") or credentials.get("username") or "")[:254]
    member = User.objects.filter(email=tried.lower()).first() if tried else None
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        actor=None,
        actor_label=tried or "someone",
        target=member,
        target_label=tried,
    )


def _mfa(action: AuditAction, user: Any, authenticator: Any) -> None:
    member = _member(user)
    if member is not None:
        kind = str(getattr(authenticator, "type", ""))
        audit_record(action=action, actor=member, target=member, details={"method": kind})


@receiver(authenticator_added, dispatch_uid="audit.mfa_added")
def _mfa_added(sender: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _mfa(AuditAction.MFA_ADDED, user, authenticator)


@receiver(authenticator_removed, dispatch_uid="audit.mfa_removed")
def _mfa_removed(sender: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _mfa(AuditAction.MFA_REMOVED, user, authenticator)


@receiver(authenticator_reset, dispatch_uid="audit.mfa_reset")
def _mfa_reset(sender: Any, user: Any, authenticator: Any, **kwargs: Any) -> None:
    _mfa(AuditAction.MFA_RECOVERY_RESET, user, authenticator)


@receiver(email_confirmed, dispatch_uid="audit.email_confirmed")
def _email_confirmed(
    sender: Any, request: HttpRequest | None, email_address: Any, **kw: Any
) -> None:
    member = _member(getattr(email_address, "user", None))
    if member is not None:
        audit_record(
            action=AuditAction.EMAIL_VERIFIED,
            actor=member,
            target=member,
            target_label=str(email_address.email),
        )
