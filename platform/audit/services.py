"""The one way an audit entry is written."""

from typing import Any

from django.db import connection, models
from django_tenants.utils import get_public_schema_name

from accounts.models import User
from audit.actions import AuditAction
from audit.context import current_origin
from audit.models import AuditEvent

SYSTEM_LABEL = "Warmpath"
ERASED = "a deleted person"  # the only text the database lets replace a name (migration 0002)


def _actor_label(*, actor: User | None, api_key: str) -> str:
    if actor is None:
        return SYSTEM_LABEL
    who = actor.email
    return f"{who} (API key {api_key})" if api_key else who


def audit_record(
    *,
    action: AuditAction,
    actor: User | None,
    target: models.Model | None = None,
    target_label: str = "",
    target_id: str = "",
    details: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent | None:
    """Append an entry in the current practice. Call it inside the service's transaction, so an
    action that rolls back leaves no entry and an entry never describes what did not happen.

    `actor` None means Warmpath itself (a job, a Stripe event); `actor_label` overrides the label
    when the actor is not a member (a failed sign-in names the address that was tried).
    `target_id` names the target when its primary key is not fit to show (an API key's
    public prefix rather than its hashed id).
    Nothing is written on the public schema (platform staff), which has no practice log.
    """
    schema = str(getattr(connection, "schema_name", ""))
    if schema == get_public_schema_name():
        return None  # platform staff on the public site: not a practice's action
    where = current_origin()
    return AuditEvent.objects.create(
        action=action,
        practice=schema,
        actor_id=actor.pk if actor is not None else None,
        actor_label=actor_label or _actor_label(actor=actor, api_key=where.api_key),
        via=where.via,
        object_type=target._meta.model_name or "" if target is not None else "",
        object_id=target_id or (str(target.pk) if target is not None and target.pk else ""),
        object_label=target_label[:300],
        ip=where.ip,
        details=details or {},
    )


def audit_erase_person(*, user_id: int, labels: list[str]) -> int:
    """When a person's data is deleted, the log keeps what happened but no longer who: their
    labels (email, name) and addresses are replaced in the entries they made or were the object
    of. The database allows this change and no other."""
    erased = 0
    for field in ("actor_label", "object_label"):
        erased += AuditEvent.objects.filter(**{f"{field}__in": labels}).update(
            **{field: ERASED}, ip=None, details={}
        )
    erased += (
        AuditEvent.objects.filter(actor_id=user_id)
        .exclude(actor_label=ERASED)
        .update(actor_label=ERASED, ip=None, details={})
    )
    return erased
