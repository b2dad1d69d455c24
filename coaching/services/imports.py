"""Imports run in two steps: `import_start` stores the file and queues the job; `import_run` (in
a Celery worker) validates every row, then writes everything in one transaction or nothing.

Validation happens outside the write transaction so that `processed_rows` is committed as it
grows and the screen can show progress; the write itself is a handful of bulk statements.
"""

import logging
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from coaching.access import ensure_can_write
from coaching.choices import ImportKind, ImportStatus
from coaching.events import import_finished_announce
from coaching.imports.contacts import ContactPlan, plan_contacts
from coaching.imports.formats import SPECS
from coaching.imports.interactions import InteractionPlan, plan_interactions
from coaching.imports.reading import ImportFileError, RowError, Table, decode, read_table
from coaching.models import Client, Contact, ImportJob, Interaction
from coaching.services.activity import activity_record
from coaching.validation import Errors

logger = logging.getLogger(__name__)

MAX_IMPORT_BYTES = 50 * 1024 * 1024
BATCH_SIZE = 2000


@transaction.atomic
def import_start(
    *, client: Client, actor: User, kind: str, payload: bytes, filename: str = ""
) -> ImportJob:
    """Store the upload and queue it; the worker starts once this transaction commits."""
    from coaching.tasks import import_run_task  # the task module imports this one

    ensure_can_write(actor=actor, client=client)
    errors = Errors()
    errors.choice("kind", kind, ImportKind)
    if not payload:
        errors.add("file", "The file is empty.")
    elif len(payload) > MAX_IMPORT_BYTES:
        errors.add("file", f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    errors.raise_if_any()
    job = ImportJob.objects.create(
        client=client, kind=kind, payload=payload, filename=filename[:255], created_by=actor
    )
    activity_record(
        client=client,
        actor=actor,
        verb="import.queued",
        subject=job,
        changes={"kind": kind, "filename": job.filename},
    )
    transaction.on_commit(lambda: import_run_task.delay(job.pk))
    return job


def _save(job: ImportJob, **fields: object) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def import_run(*, job_id: int, now: datetime | None = None) -> ImportJob:
    """Process a queued job. Re-running a job that finished does nothing; one left `running` by
    a lost worker runs again (its writes were never committed)."""
    now = now or timezone.now()
    job = ImportJob.objects.select_related("client", "created_by").get(pk=job_id)
    if job.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED):
        return job
    _save(job, status=ImportStatus.RUNNING, started_at=timezone.now(), processed_rows=0, errors=[])
    try:
        text, encoding = decode(bytes(job.payload))
        table = read_table(text, spec=SPECS[ImportKind(job.kind)])
        _save(job, encoding=encoding, total_rows=len(table.rows) + len(table.errors))
        plan = _plan(job, table, now=now)
        _save(job, processed_rows=job.total_rows)
        if plan.errors:
            return _fail(job, sorted(plan.errors, key=lambda e: e.line))
        with transaction.atomic():
            summary = _write(job, plan)
    except ImportFileError as exc:
        return _fail(job, [exc.error])
    except (IntegrityError, ValidationError) as exc:
        logger.warning("import %s conflicted with concurrent edits: %s", job.pk, exc)
        message = "The contacts changed while the file was imported; run the import again."
        return _fail(job, [RowError(0, "file", message)])
    _save(job, status=ImportStatus.SUCCEEDED, summary=summary, finished_at=timezone.now())
    import_finished_announce(job=job)
    return job


def _plan(job: ImportJob, table: Table, *, now: datetime) -> ContactPlan | InteractionPlan:
    def progress(done: int) -> None:
        _save(job, processed_rows=done)

    if job.kind == ImportKind.INTERACTIONS_CSV:
        return plan_interactions(table, client=job.client, now=now, progress=progress)
    return plan_contacts(table, kind=job.kind, client=job.client, now=now, progress=progress)


def _write(job: ImportJob, plan: ContactPlan | InteractionPlan) -> dict[str, int]:
    if isinstance(plan, InteractionPlan):
        Contact.objects.bulk_create(plan.new_contacts, batch_size=BATCH_SIZE)
        Interaction.objects.bulk_create(plan.interactions, batch_size=BATCH_SIZE)
    else:
        Contact.objects.bulk_create(plan.new, batch_size=BATCH_SIZE)
        if plan.updated:
            stamp = timezone.now()
            for contact in plan.updated:
                contact.updated_at = stamp
            Contact.objects.bulk_update(
                plan.updated, [*sorted(plan.updated_fields), "updated_at"], batch_size=BATCH_SIZE
            )
    summary = {"rows": job.total_rows, **plan.summary()}
    # One timeline entry for the whole file: the job holds the details.
    activity_record(
        client=job.client,
        actor=job.created_by,
        verb="import.succeeded",
        subject=job,
        changes={"kind": job.kind, "filename": job.filename, **summary},
    )
    return summary


def _fail(job: ImportJob, errors: list[RowError]) -> ImportJob:
    _save(
        job,
        status=ImportStatus.FAILED,
        errors=[e.as_dict() for e in errors],
        finished_at=timezone.now(),
    )
    import_finished_announce(job=job)
    return job
