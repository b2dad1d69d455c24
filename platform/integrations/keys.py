"""Writes for API keys: issuing and revoking (the owner's; pages and the API both call these)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.verification import ensure_email_confirmed
from audit.actions import AuditAction
from audit.services import audit_record
from integrations.models import ApiKey, KeyScope

NAME_MAX = 50


@transaction.atomic
def api_key_create(
    *,
    actor: User,
    name: str,
    scope: str = KeyScope.READ,
    acts_as: User | None = None,
    expiry_date: datetime | None = None,
    now: datetime | None = None,
) -> tuple[ApiKey, str]:
    """A new key and its secret, which is returned here once and never stored in the clear.
    The key acts as `acts_as` (default: the owner creating it)."""
    now = now or timezone.now()
    if not actor.is_owner:
        raise PermissionDenied("Only the practice owner can issue API keys.")
    ensure_email_confirmed(actor=actor)
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = ["Name the key after what uses it, e.g. “CRM sync”."]
    elif len(name) > NAME_MAX:
        errors["name"] = [f"Use at most {NAME_MAX} characters (this has {len(name)})."]
    if scope not in KeyScope.values:
        errors["scope"] = [f"Use one of: {', '.join(KeyScope.values)}."]
    member = acts_as or actor
    if not member.is_active:
        errors["acts_as"] = ["This member is no longer active."]
    if expiry_date is not None and expiry_date <= now:
        errors["expiry_date"] = ["The expiry must be in the future."]
    if errors:
        raise ValidationError(errors)
    api_key, secret = ApiKey.objects.create_key(
        name=name, scope=scope, acts_as=member, created_by=actor, expiry_date=expiry_date
    )
    assert isinstance(api_key, ApiKey)
    audit_record(
        action=AuditAction.API_KEY_CREATED,
        actor=actor,
        target=api_key,
        target_id=api_key.prefix,
        target_label=f"{name} ({api_key.prefix})",
        details={"scope": scope, "acts_as": member.email},
    )
    return api_key, secret


@transaction.atomic
def api_key_revoke(*, api_key: ApiKey, actor: User, now: datetime | None = None) -> ApiKey:
    """Revoked keys stop working at once and for good; the record stays for the audit trail."""
    if not actor.is_owner:
        raise PermissionDenied("Only the practice owner can revoke API keys.")
    if not api_key.revoked:
        api_key.revoked = True
        api_key.revoked_at = now or timezone.now()
        api_key.save(update_fields=["revoked", "revoked_at"])
        audit_record(
            action=AuditAction.API_KEY_REVOKED,
            actor=actor,
            target=api_key,
            target_id=api_key.prefix,
            target_label=f"{api_key.name} ({api_key.prefix})",
        )
    return api_key
