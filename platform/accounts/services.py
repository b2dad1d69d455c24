"""Writes for people and invitations inside a practice."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.emails import practice_mail
from accounts.invitations import InvitationLinkError, invitation_id_from_token, invitation_token
from accounts.models import Invitation, Role, User
from accounts.sessions import sessions_end_all
from accounts.verification import ensure_email_confirmed
from audit.actions import AuditAction
from audit.services import audit_record
from tenants.models import Practice


def user_create(*, email: str, name: str, role: str, password: str | None) -> User:
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": ["Enter a valid email address."]}) from exc
    if role not in Role.values:
        raise ValidationError({"role": [f"Unknown role {role!r}; use one of {Role.values}."]})
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": ["Someone in this practice already uses this email."]})
    if password is not None:
        try:
            validate_password(password, user=User(email=email, name=name))
        except ValidationError as exc:
            raise ValidationError({"password": exc.messages}) from exc
    return User.objects.create_user(email, password, name=name.strip(), role=role)


def invitation_create(
    *,
    invited_by: User,
    email: str,
    role: str,
    name: str = "",
    coach: User | None = None,
    practice_url: str,
) -> tuple[Invitation, str]:
    """Create an invitation and email its link. Returns the invitation and the link."""
    if not invited_by.is_owner:
        raise ValidationError({"role": ["Only the practice owner can invite people."]})
    ensure_email_confirmed(actor=invited_by)
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": ["Enter a valid email address."]}) from exc
    if role not in (Role.COACH, Role.CLIENT):
        raise ValidationError({"role": ["Invite people as a coach or as a client."]})
    if User.objects.filter(email=email).exists():
        raise ValidationError({"email": ["This person already has an account in the practice."]})
    if coach is not None and not coach.is_coaching_staff:
        raise ValidationError({"coach": ["A client can only be assigned to a coach or owner."]})
    invitation = Invitation.objects.create(
        email=email, name=name.strip(), role=role, invited_by=invited_by, coach=coach
    )
    audit_record(
        action=AuditAction.MEMBER_INVITED,
        actor=invited_by,
        target=invitation,
        target_label=email,
        details={"role": role},
    )
    return invitation, _invitation_send(invitation=invitation, practice_url=practice_url)


def _invitation_send(*, invitation: Invitation, practice_url: str) -> str:
    """Email the invitation's link (freshly signed: it is valid for the full period from now).
    Returns the link."""
    link = f"{practice_url}/invitations/{invitation_token(invitation_id=invitation.pk)}/"
    practice_mail(
        template="invitation",
        to=[invitation.email],
        subject=f"{invitation.invited_by} invited you to join",
        context={
            "name": invitation.name,
            "invited_by": invitation.invited_by,
            "role": invitation.role,
            "link": link,
            "days": settings.INVITATION_MAX_AGE_DAYS,
        },
    )
    return link


def invitation_resend(*, invitation: Invitation, actor: User, practice_url: str) -> str:
    """Email a pending invitation again, with a link valid for the full period from now (the
    earlier link keeps working until it expires). Returns the new link."""
    if not actor.is_owner or not actor.is_active:
        raise PermissionDenied("Only the practice owner can send invitations.")
    if invitation.accepted_at is not None:
        raise ValidationError({"invitation": ["This invitation was already accepted."]})
    if invitation.revoked_at is not None:
        raise ValidationError({"invitation": ["This invitation was withdrawn; invite them anew."]})
    ensure_email_confirmed(actor=actor)
    link = _invitation_send(invitation=invitation, practice_url=practice_url)
    audit_record(
        action=AuditAction.INVITATION_RESENT,
        actor=actor,
        target=invitation,
        target_label=invitation.email,
    )
    return link


def invitation_for_token(*, token: str) -> Invitation:
    """The open invitation a link points at; InvitationLinkError says why it cannot be used."""
    invitation_id = invitation_id_from_token(token=token)
    invitation = Invitation.objects.filter(pk=invitation_id).first()
    if invitation is None or invitation.revoked_at is not None:
        raise InvitationLinkError("This invitation was withdrawn. Ask the practice owner.")
    if invitation.accepted_at is not None:
        raise InvitationLinkError(
            "This invitation has already been used. Log in with the password you chose."
        )
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, name: str, password: str) -> User:
    invitation = invitation_for_token(token=token)
    # Lock the row so two simultaneous submissions cannot both create a user.
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise InvitationLinkError("This invitation has already been used.")
    user = user_create(
        email=invitation.email,
        name=name or invitation.name,
        role=invitation.role,
        password=password,
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    audit_record(
        action=AuditAction.MEMBER_JOINED,
        actor=user,
        target=user,
        target_label=user.email,
        details={"role": user.role},
    )
    return user


def invitation_revoke(
    *, invitation: Invitation, actor: User, now: datetime | None = None
) -> Invitation:
    if not actor.is_owner:
        raise PermissionDenied("Only the practice owner can withdraw invitations.")
    if invitation.accepted_at is not None:
        raise ValidationError({"invitation": ["This invitation was already accepted."]})
    if invitation.revoked_at is None:
        invitation.revoked_at = now or timezone.now()
        invitation.save(update_fields=["revoked_at"])
        audit_record(
            action=AuditAction.INVITATION_REVOKED,
            actor=actor,
            target=invitation,
            target_label=invitation.email,
        )
    return invitation


# --- members: role, deactivation, security ----------------------------------------------------


def _owner_gate(actor: User, what: str) -> None:
    if not actor.is_owner or not actor.is_active:
        raise PermissionDenied(f"Only the practice owner can {what}.")


def _other_active_owner_exists(*, member: User) -> bool:
    return User.objects.filter(role=Role.OWNER, is_active=True).exclude(pk=member.pk).exists()


@transaction.atomic
def member_role_change(*, actor: User, member: User, role: str) -> User:
    """Make a member an owner, a coach or a client. The practice always keeps an active owner."""
    _owner_gate(actor, "change roles")
    if role not in Role.values:
        raise ValidationError({"role": [f"Choose one of: {', '.join(Role.labels)}."]})
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.role == role:
        return member
    if member.role == Role.OWNER and not _other_active_owner_exists(member=member):
        raise ValidationError(
            {"role": ["The practice needs an owner: make someone else owner first."]}
        )
    before = member.role
    member.role = role
    member.save(update_fields=["role"])
    audit_record(
        action=AuditAction.MEMBER_ROLE_CHANGED,
        actor=actor,
        target=member,
        target_label=member.email,
        details={"from": before, "to": role},
    )
    return member


def _member_active_set(*, actor: User, member: User, active: bool) -> User:
    """Switch a member on or off (row locked), with its audit entry; no entry when unchanged."""
    if member.is_active != active:
        member.is_active = active
        member.save(update_fields=["is_active"])
        if not active:
            sessions_end_all(user=member)
        audit_record(
            action=AuditAction.MEMBER_REACTIVATED if active else AuditAction.MEMBER_DEACTIVATED,
            actor=actor,
            target=member,
            target_label=member.email,
        )
    return member


@transaction.atomic
def member_deactivate(*, actor: User, member: User) -> User:
    """Stop a member at once: their sessions end now and every API key acting as them stops on
    its next request. Their records stay; they can be reactivated."""
    _owner_gate(actor, "deactivate members")
    if member.pk == actor.pk:
        raise ValidationError({"member": ["You cannot deactivate yourself."]})
    member = User.objects.select_for_update().get(pk=member.pk)
    if member.role == Role.OWNER and not _other_active_owner_exists(member=member):
        raise ValidationError({"member": ["The practice needs an active owner."]})
    return _member_active_set(actor=actor, member=member, active=False)


@transaction.atomic
def member_reactivate(*, actor: User, member: User) -> User:
    _owner_gate(actor, "reactivate members")
    member = User.objects.select_for_update().get(pk=member.pk)
    return _member_active_set(actor=actor, member=member, active=True)


@transaction.atomic
def practice_mfa_require(*, actor: User, practice: Practice, required: bool) -> Practice:
    """Require two-step sign-in of everyone in the practice (or stop requiring it)."""
    _owner_gate(actor, "change the practice's sign-in rules")
    if practice.mfa_required != required:
        practice.mfa_required = required
        practice.save(update_fields=["mfa_required"])
        audit_record(
            action=AuditAction.MFA_REQUIRED,
            actor=actor,
            target_label=practice.name,
            details={"required": required},
        )
    return practice
