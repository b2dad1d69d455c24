"""What the domain announces: the one dispatch point for its events.

`announce(event=, payload=)` sends the `domain_event` signal in the caller's transaction. The
domain does not know who listens: the integrations package subscribes the outbound webhooks in
`integrations.apps` (a delivery per subscribed endpoint, recorded in the same transaction and
sent once it commits). Services, the nightly diagnostics, the reminders and the deletions all
announce through here, so a new listener (an email, an audit line) subscribes once.

Why a signal and not an outbox table: the webhook deliveries already are an outbox (recorded in
the change's transaction, sent on commit, swept when a task is lost: `integrations.webhooks.
outbox`), so a second table would only add a relay. A receiver runs synchronously inside the
transaction, and a failing one fails the change, as a failed delivery record always did.

Payloads are part of the public API (docs/api.md, "Webhooks"): add fields, never rename.
"""

from datetime import date, datetime
from typing import Any

from django.dispatch import Signal

from coaching.models import Client, ImportJob, Introduction

domain_event = Signal()
"""Sent with `event` (a name from docs/api.md's table) and `payload` (ids and the public
vocabulary: `coaching.choices`, failure codes)."""


def announce(*, event: str, payload: dict[str, Any]) -> None:
    domain_event.send(sender=announce, event=event, payload=payload)


def introduction_made_announce(*, introduction: Introduction) -> None:
    """The other side now expects the client's call."""
    announce(
        event="introduction.made",
        payload={
            "introduction": introduction.pk,
            "client": introduction.client_id,
            "kind": introduction.kind,
            "introducer": {"id": introduction.introducer_id, "name": introduction.introducer.name},
            "target": {"id": introduction.target_id, "name": introduction.target.name},
            "made_at": introduction.made_at,
        },
    )


def introduction_overdue_announce(*, introduction: Introduction, days_waiting: int) -> None:
    """The target has waited past the client's warning threshold for the first contact."""
    announce(
        event="introduction.overdue",
        payload={
            "introduction_id": introduction.pk,
            "client_id": introduction.client_id,
            "introducer_id": introduction.introducer_id,
            "target_id": introduction.target_id,
            "made_at": introduction.made_at,
            "days_waiting": days_waiting,
        },
    )


def import_finished_announce(*, job: ImportJob) -> None:
    announce(
        event="import.finished",
        payload={
            "import": job.pk,
            "client": job.client_id,
            "kind": job.kind,
            "status": job.status,
            "total_rows": job.total_rows,
            "error_count": len(job.errors or []),
            "summary": job.summary or {},
        },
    )


def client_status_changed_announce(
    *, client_id: int, previous_status: str | None, status: str, as_of: date
) -> None:
    announce(
        event="client.status_changed",
        payload={
            "client_id": client_id,
            "previous_status": previous_status,
            "status": status,
            "as_of": as_of.isoformat(),
        },
    )


def client_archive_announce(*, event: str, client: Client, at: datetime) -> None:
    """`client.archived` or `client.restored` (the coach's archive, not the diagnosis)."""
    announce(
        event=event,
        payload={
            "client": client.pk,
            "status": client.status,
            "archived_at": client.archived_at,
            "at": at,
        },
    )


def finding_announce(
    *, event: str, client_id: int, key: str, finding: dict[str, Any], as_of: date
) -> None:
    """`finding.raised` or `finding.resolved` (the nightly diagnostics)."""
    announce(
        event=event,
        payload={
            "client_id": client_id,
            "key": key,
            "code": key.split(":", 1)[0],
            "severity": finding.get("severity"),
            "as_of": as_of.isoformat(),
        },
    )


def record_deleted_announce(
    *, record_type: str, record_id: int, client_id: int | None, deleted_at: datetime
) -> None:
    """A contact, or a client's whole search, is gone; the records that belonged to it went
    with it (the deletions feed lists each one)."""
    announce(
        event="record.deleted",
        payload={
            "type": record_type,
            "id": record_id,
            "client": client_id,
            "deleted_at": deleted_at,
        },
    )
