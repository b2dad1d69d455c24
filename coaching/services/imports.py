"""Imports run in two steps: `import_start` stores the file and queues the job; `import_run` (in
a Celery worker) validates every row, then writes everything in one transaction or nothing.

Validation happens outside the write transaction so that `processed_rows` is committed as it
grows and the screen can show progress; the write itself is a handful of bulk statements.

Every job ends, `succeeded` or `failed` with a reason the person reads on the import's page:

- The job row is the outbox: its task is sent once the upload commits, and if the broker was
  down then, the sweeper (`imports_to_queue`, every minute) sends it again.
- A run claims the job under a row lock (`queued` → `running`, `attempts` + 1, `started_at`
  naming the run). Progress saves move `updated_at`, the run's heartbeat; a run silent for
  longer than `JOBS_LEASE_SECONDS` has lost its worker, and the sweeper queues the job again,
  or fails it after MAX_ATTEMPTS runs.
- The rows are written, and the job marked succeeded, in one transaction that first checks,
  under the job's row lock, that this run still owns the job: a run the sweeper gave up on
  never writes, so a file is imported exactly once.
- The practice must still be allowed to write (not read-only for billing) when the run starts
  and again when it writes; otherwise nothing is written and the job fails saying why.
- Any exception ends the job failed with a human reason (logged with its traceback).
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    connection,
    transaction,
)
from django.utils import timezone

from accounts.models import User
from billing.entitlements import practice_access
from coaching.access import ensure_can_write
from coaching.capture.plans import CapturePlan, capture_plan
from coaching.choices import ImportKind, ImportMode, ImportStatus
from coaching.events import import_finished_announce
from coaching.imports.contacts import ContactPlan, plan_contacts
from coaching.imports.formats import SPECS
from coaching.imports.interactions import InteractionPlan, plan_interactions
from coaching.imports.reading import ImportFileError, RowError, Table, decode, read_table
from coaching.models import Client, Contact, ImportJob, Interaction
from coaching.services.activity import activity_record
from coaching.services.linking import settle_imported
from coaching.validation import Errors
from config import locks
from config.celery_app import enqueue, enqueue_on_commit
from tenants.context import active_practice

logger = logging.getLogger(__name__)

# Files that are not CSV: capture reads them (coaching/capture) into the same kind of plan.
CAPTURE_KINDS = frozenset({ImportKind.LINKEDIN_ARCHIVE, ImportKind.CALENDAR})
Plan = ContactPlan | InteractionPlan | CapturePlan

MAX_IMPORT_BYTES = 50 * 1024 * 1024
BATCH_SIZE = 2000
MAX_ATTEMPTS = 3  # runs of one job (a worker that dies mid-run costs one)
SWEEP_LIMIT = 500  # rows looked at per sweep and practice

READ_ONLY = "The practice is read-only, so nothing was imported. "
STOPPED = (
    "The import stopped before it finished {attempts} times (the server running it went away), "
    "so nothing was imported. Upload the file again; if this keeps happening, split it into "
    "smaller files."
)
CONFLICT = "The contacts changed while the file was imported; run the import again."
DATABASE_LOST = (
    "The connection to the database was lost while the file was being imported, so nothing was "
    "imported. Upload the file again."
)
NOT_TEXT = (
    "The file could not be read as text: it is cut off or damaged, or not in the encoding it "
    "claims. Export it again as CSV (UTF-8) and upload that file."
)
NUL_CHARACTERS = (
    "The file contains NUL characters, which are not text, so nothing was imported. Export it "
    "again as CSV (UTF-8) and upload that file."
)
UNEXPECTED = (
    "Something went wrong on our side while importing this file, so nothing was imported. Upload "
    "it again; if that fails too, contact support and mention import {pk}."
)


@transaction.atomic
def import_start(
    *,
    client: Client,
    actor: User,
    kind: str,
    payload: bytes,
    filename: str = "",
    mode: str = ImportMode.ALL_OR_NOTHING,
) -> ImportJob:
    """Store the upload and queue it; the worker starts once this transaction commits (or, if
    the broker cannot take the task then, once the sweeper sends it). `mode` good_rows imports
    the rows that can be used and lists the others instead of refusing the file."""
    from coaching.tasks import import_run_task  # the task module imports this one

    ensure_can_write(actor=actor, client=client)
    errors = Errors()
    errors.choice("kind", kind, ImportKind)
    errors.choice("mode", mode, ImportMode)
    if not payload:
        errors.add("file", "The file is empty.")
    elif len(payload) > MAX_IMPORT_BYTES:
        errors.add("file", f"The file is larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MB.")
    errors.raise_if_any()
    job = ImportJob.objects.create(
        client=client,
        kind=kind,
        mode=mode,
        payload=payload,
        filename=filename[:255],
        created_by=actor,
    )
    activity_record(
        client=client,
        actor=actor,
        verb="import.queued",
        subject=job,
        changes={"kind": kind, "filename": job.filename, "mode": mode},
    )
    enqueue_on_commit(import_run_task, job.pk)
    return job


def _lease() -> timedelta:
    return timedelta(seconds=settings.JOBS_LEASE_SECONDS)


def _save(job: ImportJob, **fields: object) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def import_run(*, job_id: int, now: datetime | None = None) -> ImportJob:
    """Run a queued job to its end. Does nothing for a job that finished, or that another run
    is working on (its heartbeat is fresh); a job whose run went silent is taken over."""
    now = now or timezone.now()
    job = _claim(job_id)
    if job is None:
        return ImportJob.objects.get(pk=job_id)
    try:
        return _run(job, now=now)
    except Exception as exc:  # every job ends: say what happened, never leave it running
        return _fail_after_crash(job, exc)


def _claim(job_id: int) -> ImportJob | None:
    """Lock the job and make it this run's, or None when there is nothing for this run to do."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("client", "created_by")
            .get(pk=job_id)
        )
        if job.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED):
            return None
        if job.status == ImportStatus.RUNNING and job.updated_at > timezone.now() - _lease():
            return None  # another run is alive; a duplicate message ends here
        if job.attempts >= MAX_ATTEMPTS:
            _finish(job, status=ImportStatus.FAILED, errors=[_stopped(job)])
            return None
        if not _slot_free(job):
            logger.info("import %s waits: the practice's import slots are taken", job.pk)
            return None  # still queued; the sweeper sends it again (imports_to_queue)
        _save(
            job,
            status=ImportStatus.RUNNING,
            attempts=job.attempts + 1,
            started_at=timezone.now(),
            processed_rows=0,
            errors=[],
            dropped=[],
        )
        return job


def _run(job: ImportJob, *, now: datetime) -> ImportJob:
    refusal = _read_only_refusal()
    if refusal:
        return _end(job, status=ImportStatus.FAILED, errors=[refusal])
    table: Table | None = None
    try:
        if job.kind in CAPTURE_KINDS:
            plan: Plan = capture_plan(
                job,
                now=now,
                progress=lambda done: _save(job, processed_rows=done),
                total=lambda rows: _save(job, total_rows=rows),
            )
        else:
            text, encoding = decode(bytes(job.payload))
            table = read_table(text, spec=SPECS[ImportKind(job.kind)])
    except ImportFileError as exc:
        return _end(job, status=ImportStatus.FAILED, errors=[exc.error])
    try:
        if table is not None:
            _save(job, encoding=encoding, total_rows=len(table.rows) + len(table.errors))
            plan = _plan(job, table, now=now)
        _save(job, processed_rows=job.total_rows)
        errors = sorted(plan.errors, key=lambda e: e.line)
        forgiving = job.mode == ImportMode.GOOD_ROWS
        if errors and not forgiving:
            return _end(job, status=ImportStatus.FAILED, errors=errors)
        with transaction.atomic():
            if not _still_ours(job):
                return ImportJob.objects.get(pk=job.pk)
            refusal = _read_only_refusal()  # the practice may have lapsed while we validated
            if refusal:
                _finish(job, status=ImportStatus.FAILED, errors=[refusal])
                return job
            summary = _write(job, plan)
            if not forgiving:
                _finish(job, status=ImportStatus.SUCCEEDED, summary=summary)
                return job
            _finish(
                job,
                status=ImportStatus.SUCCEEDED,
                summary=summary,
                errors=errors,
                dropped=sorted(plan.dropped, key=lambda e: e.line),
            )
            return job
    except (IntegrityError, ValidationError) as exc:
        logger.warning("import %s conflicted with concurrent edits: %s", job.pk, exc)
        return _end(job, status=ImportStatus.FAILED, errors=[RowError(0, "file", CONFLICT)])


def _plan(job: ImportJob, table: Table, *, now: datetime) -> ContactPlan | InteractionPlan:
    def progress(done: int) -> None:
        _save(job, processed_rows=done)

    forgiving = job.mode == ImportMode.GOOD_ROWS
    if job.kind == ImportKind.INTERACTIONS_CSV:
        return plan_interactions(
            table, client=job.client, now=now, progress=progress, forgiving=forgiving
        )
    return plan_contacts(
        table, kind=job.kind, client=job.client, now=now, progress=progress, forgiving=forgiving
    )


def _write(job: ImportJob, plan: Plan) -> dict[str, int]:
    if isinstance(plan, CapturePlan):
        plan.write(job)
    elif isinstance(plan, InteractionPlan):
        Contact.objects.bulk_create(plan.new_contacts, batch_size=BATCH_SIZE)
        Interaction.objects.bulk_create(plan.interactions, batch_size=BATCH_SIZE)
        # One event, one record: imported outreach to a target dates the introduction's first
        # contact, an imported thank-you the thanks owed (where exactly one item fits).
        settle_imported(
            client=job.client,
            actor=job.created_by,
            interactions=plan.interactions,
            now=timezone.now(),
        )
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
    if job.mode == ImportMode.GOOD_ROWS:
        summary["skipped_rows"] = (
            len(plan.errors)
            if isinstance(plan, CapturePlan)
            else len({e.line for e in plan.errors})
        )
        summary["dropped_values"] = len(plan.dropped)
    # One timeline entry for the whole file: the job holds the details.
    activity_record(
        client=job.client,
        actor=job.created_by,
        verb="import.succeeded",
        subject=job,
        changes={"kind": job.kind, "filename": job.filename, **summary},
    )
    return summary


def _slot_free(job: ImportJob) -> bool:
    """Whether the practice may start one more import (IMPORTS_MAX_CONCURRENT_PER_PRACTICE runs
    with a fresh heartbeat). Claims in one practice take turns under an advisory lock held until
    the claim commits, so two can never both take the last slot."""
    locks.transaction_lock(locks.practice_lock_name("import-slots"))
    running = (
        ImportJob.objects.filter(
            status=ImportStatus.RUNNING, updated_at__gt=timezone.now() - _lease()
        )
        .exclude(pk=job.pk)
        .count()
    )
    return running < settings.IMPORTS_MAX_CONCURRENT_PER_PRACTICE


def _still_ours(job: ImportJob) -> bool:
    """Lock the job's row (until the caller's transaction ends) and check that this run, named
    by its `started_at`, still owns it: the sweeper may have handed it to another run."""
    current = ImportJob.objects.select_for_update(of=("self",)).get(pk=job.pk)
    return current.status == ImportStatus.RUNNING and current.started_at == job.started_at


def _end(job: ImportJob, *, status: str, errors: list[RowError]) -> ImportJob:
    """Finish the job from outside a transaction, if this run still owns it."""
    with transaction.atomic():
        if _still_ours(job):
            _finish(job, status=status, errors=errors)
            return job
    return ImportJob.objects.get(pk=job.pk)


def _finish(
    job: ImportJob,
    *,
    status: str,
    errors: list[RowError] | None = None,
    summary: dict[str, int] | None = None,
    dropped: list[RowError] | None = None,
) -> None:
    """Record the outcome (in the caller's transaction, with the job's row locked) and announce
    it once that commits."""
    fields: dict[str, object] = {"status": status, "finished_at": timezone.now()}
    if errors is not None:
        fields["errors"] = [e.as_dict() for e in errors]
    if dropped is not None:
        fields["dropped"] = [e.as_dict() for e in dropped]
    if summary is not None:
        fields["summary"] = summary
    _save(job, **fields)
    try:
        with transaction.atomic():  # a savepoint: a failed announcement must not undo the end
            import_finished_announce(job=job)
    except Exception:
        logger.exception("import %s ended %s but could not be announced", job.pk, status)
    transaction.on_commit(_send_next_waiting)


def _send_next_waiting() -> None:
    """A slot of this practice is free: send its oldest waiting import now, rather than when the
    sweeper next finds it waiting (minutes). Its run takes the slot only if still free."""
    from coaching.tasks import import_run_task  # the task module imports this one

    waiting = (
        ImportJob.objects.filter(status=ImportStatus.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    if waiting is not None:
        enqueue(import_run_task, waiting)


def _stopped(job: ImportJob) -> RowError:
    return RowError(0, "file", STOPPED.format(attempts=job.attempts))


def _read_only_refusal() -> RowError | None:
    """Why this practice may not be written to now (trial over, unpaid, cancelled), or None."""
    state = practice_access(practice=active_practice())
    if state.writable:
        return None
    return RowError(0, "file", READ_ONLY + state.message(is_owner=True))


def _fail_after_crash(job: ImportJob, exc: Exception) -> ImportJob:
    """An exception nobody expected: end the job failed, saying what happened in words. If even
    that cannot be written (the database is still away), the job stays `running` and the
    sweeper takes it over once its lease has passed."""
    logger.exception("import %s failed unexpectedly", job.pk)
    if isinstance(exc, OperationalError | InterfaceError) and not connection.in_atomic_block:
        connection.close()  # broken; the next statement opens a new connection
    try:
        reason = RowError(0, "file", _reason(job, exc))
        return _end(job, status=ImportStatus.FAILED, errors=[reason])
    except Exception:
        logger.exception("could not record that import %s failed; the sweeper will", job.pk)
        return job


def _reason(job: ImportJob, exc: Exception) -> str:
    if isinstance(exc, OperationalError | InterfaceError):
        return DATABASE_LOST
    if isinstance(exc, UnicodeError):
        return NOT_TEXT
    if "NUL" in str(exc) or "\x00" in str(exc):
        return NUL_CHARACTERS
    return UNEXPECTED.format(pk=job.pk)


def imports_to_queue(*, now: datetime, waited: timedelta) -> list[int]:
    """For the sweeper: the jobs to send (again) now.

    - `queued` for longer than `waited`: the task was never sent (the broker was down when the
      upload committed) or was lost. Each is stamped, so it is sent at most once per `waited`.
    - `running` with no heartbeat for longer than JOBS_LEASE_SECONDS: the worker died. The job
      goes back to `queued` for another run or, after MAX_ATTEMPTS runs, ends failed.
    """
    due = list(
        ImportJob.objects.filter(status=ImportStatus.QUEUED, updated_at__lt=now - waited)
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_LIMIT]
    )
    ImportJob.objects.filter(pk__in=due).update(updated_at=now)
    stale = ImportJob.objects.filter(status=ImportStatus.RUNNING, updated_at__lt=now - _lease())
    for pk in list(stale.order_by("pk").values_list("pk", flat=True)[:SWEEP_LIMIT]):
        with transaction.atomic():
            # A run that is writing holds the row: skip it, it is alive.
            job = stale.select_for_update(skip_locked=True, of=("self",)).filter(pk=pk).first()
            if job is None:
                continue
            if job.attempts >= MAX_ATTEMPTS:
                _finish(job, status=ImportStatus.FAILED, errors=[_stopped(job)])
                continue
            logger.warning("import %s lost its worker (run %s); queued again", pk, job.attempts)
            _save(job, status=ImportStatus.QUEUED)
            due.append(pk)
    return due
