"""What the coaching domain announces to a practice's integrations (outbound webhooks).

Payloads are part of the public API (docs/api.md, "Webhook events"): add fields, never rename.
"""

from api.webhooks.services import webhook_emit
from coaching.models import ImportJob, Introduction


def introduction_made_announce(*, introduction: Introduction) -> None:
    """The other side now expects the client's call."""
    webhook_emit(
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
    webhook_emit(
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
    webhook_emit(
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
