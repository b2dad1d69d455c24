"""The owner's retention rule for ended searches, and applying it.

A search has ended when the client landed (the landing day is when it ended); a paused search has
not ended. With the rule on ("delete landed searches N months after they landed"), the sweep
schedules each search that is due for deletion exactly as a person would: the same grace period,
shown on the client's page with the date and an Undo. Undoing keeps that search for good (for
that landing): the rule does not schedule it again. The rule is off unless the owner sets it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.actions import AuditAction
from audit.services import audit_record
from coaching.access import NotFound
from coaching.lifecycle.deletion import client_deletion_start
from coaching.lifecycle.models import (
    DeletionKind,
    DeletionReason,
    DeletionRequest,
    DeletionStatus,
    RetentionPolicy,
)
from coaching.lifecycle.selectors import retention_due, retention_months
from coaching.models import Client
from tenants.context import active_practice

MAX_MONTHS = 120


@transaction.atomic
def retention_set(*, actor: User, landed_months: int | None) -> RetentionPolicy:
    """Set (or, with None, turn off) the rule. Owner only."""
    if not (actor.is_active and actor.is_owner):
        raise NotFound("No such page.")
    if landed_months is not None and (
        isinstance(landed_months, bool)
        or not isinstance(landed_months, int)
        or not 1 <= landed_months <= MAX_MONTHS
    ):
        raise ValidationError(
            {"landed_months": [f"Use a whole number of months from 1 to {MAX_MONTHS}, or none."]}
        )
    policy, _ = RetentionPolicy.objects.select_for_update().get_or_create(singleton=True)
    before = policy.landed_months
    if before != landed_months:
        policy.landed_months = landed_months
        policy.updated_by = actor
        policy.save()
        audit_record(
            action=AuditAction.RETENTION_CHANGED,
            actor=actor,
            target_label=active_practice().name,
            details={"from": before, "to": landed_months},
        )
    return policy


def retention_apply(*, now: datetime | None = None) -> list[int]:
    """Schedule the deletion of every landed search the rule has reached (in its own
    transaction each). Returns the clients scheduled."""
    months = retention_months()
    if not months:
        return []
    now = now or timezone.now()
    today = timezone.localtime(now, ZoneInfo(active_practice().time_zone)).date()
    handled = DeletionRequest.objects.filter(kind=DeletionKind.CLIENT).filter(
        status=DeletionStatus.SCHEDULED
    )
    kept = DeletionRequest.objects.filter(
        kind=DeletionKind.CLIENT, reason=DeletionReason.RETENTION, status=DeletionStatus.CANCELLED
    ).values_list("record_id", "ended_on")
    undone = set(kept)
    due = retention_due(months=months, today=today).exclude(pk__in=handled.values("record_id"))
    scheduled = []
    for client_id, landed_on in due.order_by("pk").values_list("pk", "landed_on"):
        if (client_id, landed_on) in undone:
            continue
        with transaction.atomic():
            client = Client.objects.select_for_update().filter(pk=client_id).first()
            if client is None or client.landed_on != landed_on:
                continue
            client_deletion_start(
                client=client,
                actor=None,
                now=now,
                reason=DeletionReason.RETENTION,
                ended_on=landed_on,
            )
            scheduled.append(client_id)
    return scheduled
