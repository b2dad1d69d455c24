"""Writes for exports: asking for one, building it in the background, downloading it, expiry.

- Who may export: a client's search, anyone who may see that client (the client themself, their
  coach, the owner); the whole practice, the owner only. Anyone else gets "not found".
- The job row is the outbox: the task is sent once the request commits; if the broker could not
  take it, or the run went silent (its worker died), the sweep sends it again, up to
  MAX_ATTEMPTS runs, then the export fails saying why.
- A run claims the job under a row lock; the zip is written to a temporary file and moved into
  private storage, and the job is marked ready with its expiry (EXPORT_LINK_HOURS).
- A client's own export leaves out the diagnostic files (findings, decisions on them) until the
  coach shares the report with them: the same rule as the portal.
- Asking again while an export of the same search (or of the practice) is still being made
  returns that export instead of starting a second one.
"""

from __future__ import annotations

import logging
import os
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from accounts.models import Role, User
from accounts.tokens import TokenError
from audit.actions import AuditAction
from audit.services import audit_record
from coaching.access import NotFound, ensure_can_write
from coaching.insights.reports import report_readable
from coaching.lifecycle.export_spec import (
    COACH_FILES,
    PRACTICE_TYPES,
    REPORT_FILES,
    SEARCH_TYPES,
    RecordType,
    for_others_than_the_client,
)
from coaching.lifecycle.export_writer import Heading, write_export
from coaching.lifecycle.links import EXPORT_LINK_HOURS, export_link_check
from coaching.lifecycle.models import ExportJob, ExportKind, ExportStatus
from coaching.lifecycle.selectors import export_get
from coaching.lifecycle.storage import export_file_name, private_storage
from coaching.models import Client
from config.celery_app import enqueue, enqueue_on_commit
from tenants.context import active_practice, active_schema

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
REQUEUE_AFTER = timedelta(minutes=2)  # queued this long: the task was lost, send it again
LEASE = timedelta(minutes=15)  # running without a heartbeat this long: the worker died

STOPPED = (
    "The export stopped before it finished {attempts} times (the server making it went away). "
    "Ask for a new export; if this keeps happening, contact support and mention export {pk}."
)
BUILDING = ".building-"  # an export being written (left behind only by a worker that died)
UNEXPECTED = (
    "Something went wrong on our side while making this export. Ask for a new one; if that "
    "fails too, contact support and mention export {pk}."
)
COACH_ONLY = (
    "Your coach's own notes, on the findings and on your sessions: they are kept for your coach."
)
CAPTURES = (
    "Exchanges captured from the client's mail or LinkedIn archive that the client has not "
    "confirmed, and the mail received at the client's private address: they stay the client's."
)
NOT_SHARED = (
    "The diagnostic findings and the decisions on them: your coach has not shared your "
    "report with you yet."
)


class DownloadRefused(Exception):
    """The link cannot be used; `message` says why in words a person can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _task() -> Any:
    from coaching.lifecycle.tasks import export_run_task  # the task module imports this one

    return export_run_task


@transaction.atomic
def export_request(*, actor: User, client: Client | None = None) -> ExportJob:
    """Ask for an export of `client`'s search, or (no client) of the whole practice."""
    if client is not None:
        ensure_can_write(actor=actor, client=client)  # the client, their coach, the owner
        kind, same = ExportKind.CLIENT, ExportJob.objects.filter(client=client)
        label, target = client.user.email, client
    else:
        if not (actor.is_active and actor.is_owner):
            raise NotFound("No such page.")
        kind, same = ExportKind.PRACTICE, ExportJob.objects.filter(kind=ExportKind.PRACTICE)
        label, target = active_practice().name, None
    waiting = same.filter(status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING)).first()
    if waiting is not None:
        return waiting
    job = ExportJob.objects.create(kind=kind, client=client, requested_by=actor)
    audit_record(
        action=AuditAction.EXPORT_REQUESTED,
        actor=actor,
        target=target,
        target_label=label,
        details={"export": job.pk, "kind": kind},
    )
    enqueue_on_commit(_task(), job.pk)  # if the broker is away, the sweep sends it later
    return job


def _save(job: ExportJob, **fields: object) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=[*fields, "updated_at"])


def _claim(export_id: int) -> ExportJob | None:
    """Make the job this run's (queued → running), or None when there is nothing to do."""
    with transaction.atomic():
        job = (
            ExportJob.objects.select_for_update(of=("self",))
            .select_related("client__user", "requested_by")
            .filter(pk=export_id)
            .first()
        )
        if job is None or job.finished:
            return None
        if job.status == ExportStatus.RUNNING and job.updated_at > timezone.now() - LEASE:
            return None  # another run is alive: a duplicate message ends here
        if job.attempts >= MAX_ATTEMPTS:
            _fail(job, STOPPED.format(attempts=job.attempts, pk=job.pk))
            return None
        _save(
            job,
            status=ExportStatus.RUNNING,
            attempts=job.attempts + 1,
            started_at=timezone.now(),
            done_steps=0,
            error="",
        )
        return job


def _fail(job: ExportJob, reason: str) -> None:
    _save(job, status=ExportStatus.FAILED, error=reason, finished_at=timezone.now())


def _still_ours(job: ExportJob) -> bool:
    current = ExportJob.objects.select_for_update(of=("self",)).filter(pk=job.pk).first()
    return (
        current is not None
        and current.status == ExportStatus.RUNNING
        and current.started_at == job.started_at
    )


def _without_coach_notes(record: RecordType) -> RecordType:
    """The timeline without the coach's decisions on findings (they carry the coach's notes)."""
    if record.name != "timeline":
        return record
    everything = record.rows
    return replace(record, rows=lambda cid: everything(cid).exclude(verb__startswith="finding."))


def _contents(job: ExportJob) -> tuple[tuple[RecordType, ...], list[tuple[str, str]]]:
    """The record types in this export, and what is left out beyond the fixed list."""
    if job.kind == ExportKind.PRACTICE:
        return PRACTICE_TYPES, []
    client = job.client
    assert client is not None
    requester = job.requested_by
    if requester is not None and not report_readable(actor=requester, client=client):
        kept = tuple(r for r in SEARCH_TYPES if r.name not in REPORT_FILES | COACH_FILES)
        return kept, [
            ("finding_decisions, hidden_findings, weekly_status", NOT_SHARED),
            ("session_notes", COACH_ONLY),
        ]
    if requester is not None and requester.role == Role.CLIENT:
        kept = tuple(_without_coach_notes(r) for r in SEARCH_TYPES if r.name not in COACH_FILES)
        return kept, [("finding_decisions, hidden_findings, session_notes", COACH_ONLY)]
    return SEARCH_TYPES, []


def _heading(job: ExportJob) -> Heading:
    practice = active_practice()
    zone = ZoneInfo(practice.time_zone)
    made = timezone.localtime(timezone.now(), zone)
    if job.client is not None:
        user = job.client.user
        what = f"the search of {user.name or user.email} (client {job.client.pk})"
    else:
        what = f"the whole practice {practice.name}"
    requester = job.requested_by
    return Heading(
        what=what,
        made_at=f"{made:%Y-%m-%d %H:%M}",
        made_for=requester.email if requester else "a member who has since been removed",
        time_zone=practice.time_zone,
    )


def export_run(*, export_id: int) -> ExportJob | None:
    """Build a queued export to its end (ready or failed). Does nothing for a finished export,
    or one another run is making."""
    job = _claim(export_id)
    if job is None:
        return ExportJob.objects.filter(pk=export_id).first()
    try:
        return _build(job)
    except Exception:  # every export ends: say so in words, never leave it running
        logger.exception("export %s failed", job.pk)
        with transaction.atomic():
            if _still_ours(job):
                _fail(job, UNEXPECTED.format(pk=job.pk))
        return ExportJob.objects.filter(pk=job.pk).first()  # gone if its search was deleted


def _captures_for_whom(
    job: ExportJob, records: tuple[RecordType, ...], left_out: list[tuple[str, str]]
) -> tuple[tuple[RecordType, ...], list[tuple[str, str]]]:
    """Everything captured goes into the export the client asks for; anyone else's (the
    coach's, the owner's, the practice's) holds only the exchanges the client confirmed."""
    requester = job.requested_by
    if job.client is not None and requester is not None and job.client.user_id == requester.pk:
        return records, left_out
    return for_others_than_the_client(records), [*left_out, ("captured, inbound_mail", CAPTURES)]


def _build(job: ExportJob) -> ExportJob | None:
    """Write the zip next to where it will live (never in /tmp, which may be small), then move
    it into place and mark the job ready in one step, if this run still owns the job."""
    records, left_out = _captures_for_whom(job, *_contents(job))
    _save(job, total_steps=len(records))
    name = export_file_name(schema_name=active_schema(), export_id=job.pk)
    final = private_storage().path(name)
    folder = os.path.dirname(final)
    os.makedirs(folder, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=folder, prefix=BUILDING, delete=False) as spool:
        try:
            write_export(
                out=spool,
                records=records,
                client_id=job.client_id,
                heading=_heading(job),
                left_out=left_out,
                on_step=lambda done: _save(job, done_steps=done),  # also the run's heartbeat
                spool_dir=folder,
            )
            size = spool.tell()
        except BaseException:
            os.unlink(spool.name)
            raise
    with transaction.atomic():
        if not _still_ours(job):  # given up on, or its search deleted meanwhile
            os.unlink(spool.name)
            return ExportJob.objects.filter(pk=job.pk).first()
        os.replace(spool.name, final)
        now = timezone.now()
        _save(
            job,
            status=ExportStatus.READY,
            file_name=name,
            size_bytes=size,
            finished_at=now,
            expires_at=now + timedelta(hours=EXPORT_LINK_HOURS),
        )
    return job


def export_for_download(*, actor: User, export_id: int, token: str) -> ExportJob:
    """The export a download link points at, if the person may see it and the link is good.

    Raises NotFound when the export is not theirs (or does not exist) and DownloadRefused, with
    words to show, when the link is not valid here, has expired, or the file is gone."""
    job = export_get(actor=actor, export_id=export_id)
    try:
        export_link_check(token=token, export_id=job.pk)
    except TokenError as exc:
        if exc.expired:
            raise DownloadRefused(
                f"This download link has expired (links last {EXPORT_LINK_HOURS} hours). "
                "Ask for a new export."
            ) from exc
        raise DownloadRefused("This download link is not valid here.") from exc
    if job.status != ExportStatus.READY or (job.expires_at and job.expires_at <= timezone.now()):
        raise DownloadRefused("This export is no longer kept. Ask for a new export.")
    return job


@transaction.atomic
def export_downloaded(*, actor: User, job: ExportJob) -> None:
    """Record the download in the audit log (called as the file starts to go out)."""
    if job.client is not None:
        target, label = job.client, job.client.user.email
    else:
        target, label = None, active_practice().name
    audit_record(
        action=AuditAction.EXPORT_DOWNLOADED,
        actor=actor,
        target=target,
        target_label=label,
        details={"export": job.pk, "kind": job.kind},
    )


def export_download_name(job: ExportJob) -> str:
    """The zip's file name: whose data, and the day it was made."""
    when = (job.finished_at or job.created_at).date().isoformat()
    if job.client is not None:
        whose = slugify(job.client.user.name or "search") or "search"
    else:
        whose = slugify(active_practice().name) or "practice"
    return f"warmpath-{whose}-{when}.zip"


def exports_expire(*, now: datetime | None = None) -> int:
    """Delete the files of exports past their expiry; the rows stay (status expired)."""
    from coaching.lifecycle.selectors import exports_expiring

    storage = private_storage()
    expired = 0
    for job in exports_expiring(now=now):
        if job.file_name and storage.exists(job.file_name):
            storage.delete(job.file_name)
        _save(job, status=ExportStatus.EXPIRED, file_name="")
        expired += 1
    _forget_unfinished(now=now or timezone.now())
    return expired


def _forget_unfinished(*, now: datetime) -> None:
    """Half-written zips of runs whose worker died (a day old: no run lives that long)."""
    folder = os.path.dirname(
        private_storage().path(export_file_name(schema_name=active_schema(), export_id=0))
    )
    if not os.path.isdir(folder):
        return
    for entry in os.scandir(folder):
        old = now.timestamp() - entry.stat().st_mtime > 24 * 3600
        if entry.name.startswith(BUILDING) and old:
            os.unlink(entry.path)


def exports_to_queue(*, now: datetime | None = None) -> list[int]:
    """For the sweep: exports whose task was lost (queued too long) or whose run went silent
    (running with no heartbeat past the lease) are sent again; the run gives up after
    MAX_ATTEMPTS. Each is stamped, so it is sent at most once per REQUEUE_AFTER."""
    now = now or timezone.now()
    waiting = ExportJob.objects.filter(
        status=ExportStatus.QUEUED, updated_at__lt=now - REQUEUE_AFTER
    )
    silent = ExportJob.objects.filter(status=ExportStatus.RUNNING, updated_at__lt=now - LEASE)
    due = sorted({*waiting.values_list("pk", flat=True), *silent.values_list("pk", flat=True)})
    ExportJob.objects.filter(pk__in=due, status=ExportStatus.QUEUED).update(updated_at=now)
    for pk in due:
        enqueue(_task(), pk)
    return due


def export_files_remove(*, client: Client) -> None:
    """The files of a client's exports (the client's search is being deleted)."""
    storage = private_storage()
    for name in (
        ExportJob.objects.filter(client=client)
        .exclude(file_name="")
        .values_list("file_name", flat=True)
    ):
        if storage.exists(name):
            storage.delete(name)
