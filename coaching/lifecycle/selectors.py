"""Reads for exports, deletions and retention, each limited to what the actor may see.

Scope comes from `coaching.access`, with one addition for what outlives a client: a deletion
request or a tombstone names the client's coach at the time, so that coach (and the owner) can
still read it once the client is gone. Practice-wide things (the practice's export, its
deletion, the retention rule) are the owner's; for anyone else they do not exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from accounts.models import Role, User
from coaching.access import NotFound, client_get_for, client_queryset_for
from coaching.choices import ClientStatus
from coaching.lifecycle.models import (
    DeletedRecord,
    DeletionKind,
    DeletionRequest,
    DeletionStatus,
    ExportJob,
    ExportKind,
    ExportStatus,
    RetentionPolicy,
)
from coaching.models import Client, Contact


def _none_unless_active(actor: User) -> bool:
    return not actor.is_active or actor.pk is None


def exports_visible(*, actor: User) -> QuerySet[ExportJob]:
    """Exports of the clients the actor may see; the practice's own exports for the owner."""
    rows = ExportJob.objects.all()
    if _none_unless_active(actor):
        return rows.none()
    visible = Q(client__in=client_queryset_for(actor=actor))
    if actor.is_owner:
        visible |= Q(kind=ExportKind.PRACTICE)
    return rows.filter(visible)


def export_get(*, actor: User, export_id: int) -> ExportJob:
    try:
        return exports_visible(actor=actor).select_related("client__user").get(pk=export_id)
    except (ExportJob.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("No such export.") from exc


def exports_of_client(*, actor: User, client_id: int, limit: int = 5) -> list[ExportJob]:
    client = client_get_for(actor=actor, client_id=client_id)
    return list(ExportJob.objects.filter(client=client).order_by("-created_at", "-pk")[:limit])


def practice_exports(*, actor: User, limit: int = 5) -> list[ExportJob]:
    if not actor.is_owner:
        raise NotFound("No such page.")
    rows = ExportJob.objects.filter(kind=ExportKind.PRACTICE).order_by("-created_at", "-pk")
    return list(rows[:limit])


def _trace_filter(actor: User) -> Q | None:
    """What survives a deletion that the actor may read: None for everything (the owner)."""
    if actor.role == Role.OWNER:
        return None
    visible = Q(client_id__in=client_queryset_for(actor=actor).values("pk"))
    if actor.role == Role.COACH:
        visible |= Q(coach_id=actor.pk)
    return visible


def deletion_requests_visible(*, actor: User) -> QuerySet[DeletionRequest]:
    rows = DeletionRequest.objects.all()
    if _none_unless_active(actor):
        return rows.none()
    visible = _trace_filter(actor)
    return rows if visible is None else rows.filter(visible)


def deletion_request_get(*, actor: User, request_id: int) -> DeletionRequest:
    try:
        return deletion_requests_visible(actor=actor).get(pk=request_id)
    except (DeletionRequest.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("No such deletion request.") from exc


def deleted_records_visible(*, actor: User) -> QuerySet[DeletedRecord]:
    """The deletions feed: tombstones of records in searches the actor may see (or coached
    when the record was deleted)."""
    rows = DeletedRecord.objects.all()
    if _none_unless_active(actor):
        return rows.none()
    visible = _trace_filter(actor)
    return rows if visible is None else rows.filter(visible)


def client_deletion_scheduled(*, client: Client) -> DeletionRequest | None:
    """The client's scheduled deletion, if any (the caller has checked scope)."""
    return DeletionRequest.objects.filter(
        kind=DeletionKind.CLIENT, record_id=client.pk, status=DeletionStatus.SCHEDULED
    ).first()


def practice_deletion_scheduled() -> DeletionRequest | None:
    return DeletionRequest.objects.filter(
        kind=DeletionKind.PRACTICE, status=DeletionStatus.SCHEDULED
    ).first()


def retention_months() -> int | None:
    """Months after landing that a landed search is kept (None: kept for good)."""
    return RetentionPolicy.objects.values_list("landed_months", flat=True).first()


@dataclass(frozen=True, slots=True)
class ScheduledClient:
    request: DeletionRequest
    client: Client


def clients_scheduled_for_deletion(*, actor: User) -> list[ScheduledClient]:
    """The searches the actor may see that are waiting out their grace period, soonest first."""
    clients = {c.pk: c for c in client_queryset_for(actor=actor).select_related("user")}
    requests = DeletionRequest.objects.filter(
        kind=DeletionKind.CLIENT, status=DeletionStatus.SCHEDULED, record_id__in=list(clients)
    ).order_by("due_at", "pk")
    return [ScheduledClient(request=r, client=clients[r.record_id or 0]) for r in requests]


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day when it has fewer days)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has a 28th


def retention_due(*, months: int, today: date) -> QuerySet[Client]:
    """Landed searches whose landing day is at least `months` months before `today`."""
    latest_landing = add_months(today, -months)
    return Client.objects.filter(status=ClientStatus.LANDED, landed_on__lte=latest_landing)


def exports_expiring(*, now: datetime | None = None) -> QuerySet[ExportJob]:
    return ExportJob.objects.filter(
        status=ExportStatus.READY, expires_at__lte=now or timezone.now()
    )


def contact_deletion_counts(*, contact: Contact) -> dict[str, int]:
    """What deleting `contact` takes with it, for the confirmation page (the caller found the
    contact in the actor's scope)."""
    return {
        "interactions": contact.interactions.count(),
        "meetings": contact.meetings.count(),
        "follow_ups": contact.follow_ups.count(),
        "introductions": contact.introductions_made.count()
        + contact.introductions_received.count(),
    }
