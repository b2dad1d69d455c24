"""Exports, deletion requests, the retention rule and the tombstones of deleted records.

Rows here name clients, contacts and members by id only, without foreign keys where the row must
outlive what it names (a deletion request and a tombstone stay after the client is gone), so
nothing readable of a deleted person is kept here either.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from coaching.models import Client


def _enum_check(
    model: str, field: str, choices: type[models.TextChoices]
) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}), name=f"{model}_{field}_valid"
    )


class ExportKind(models.TextChoices):
    CLIENT = "client", "One client's search"
    PRACTICE = "practice", "The whole practice"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Being prepared"
    READY = "ready", "Ready to download"
    FAILED = "failed", "Failed"
    EXPIRED = "expired", "Expired"


class ExportJob(models.Model):
    """One export, built in the background. The row is the job's outbox: its task is sent once
    the request commits, and the sweep sends it again if it waited too long (the broker was
    down) or its run went silent. The zip lives in private storage until `expires_at`."""

    kind = models.CharField(max_length=16, choices=ExportKind)
    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, null=True, blank=True, related_name="exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=16, choices=ExportStatus, default=ExportStatus.QUEUED)
    total_steps = models.PositiveIntegerField(default=0)  # one step per record type
    done_steps = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=300, blank=True)  # path inside private storage
    size_bytes = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    # Moved by every progress save: the run's heartbeat, and `updated_since` for the API.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [
            _enum_check("export_job", "kind", ExportKind),
            _enum_check("export_job", "status", ExportStatus),
            models.CheckConstraint(
                condition=Q(kind=ExportKind.CLIENT, client__isnull=False)
                | Q(kind=ExportKind.PRACTICE, client__isnull=True),
                name="export_job_client_iff_client_kind",
            ),
            models.CheckConstraint(
                condition=Q(done_steps__lte=models.F("total_steps")),
                name="export_job_progress_bounded",
            ),
        ]
        indexes = [models.Index(fields=["status", "updated_at"], name="export_job_status_time")]

    def __str__(self) -> str:
        return f"Export {self.pk} ({self.kind}, {self.status})"

    @property
    def progress(self) -> float:
        return self.done_steps / self.total_steps if self.total_steps else 0.0

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.READY, ExportStatus.FAILED, ExportStatus.EXPIRED)


class DeletionKind(models.TextChoices):
    CONTACT = "contact", "A contact"
    CLIENT = "client", "A client's search and account"
    PRACTICE = "practice", "The whole practice"


class DeletionReason(models.TextChoices):
    REQUESTED = "requested", "Asked for by a member"
    RETENTION = "retention", "The practice's retention rule"


class DeletionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled for deletion"
    CANCELLED = "cancelled", "Undone"
    DONE = "done", "Deleted"


class DeletionRequest(models.Model):
    """A deletion asked for (or scheduled by the retention rule): a contact's is done at once,
    a client's and the practice's wait out a grace period during which they can be undone.

    `record_id`, `client_id` and `coach_id` are plain ids: the request is the record of what was
    deleted, when and on whose word, after the records themselves are gone."""

    kind = models.CharField(max_length=16, choices=DeletionKind)
    record_id = models.BigIntegerField(null=True, blank=True)  # the contact or client; none for
    client_id = models.BigIntegerField(null=True, blank=True)  # the practice
    coach_id = models.BigIntegerField(null=True, blank=True)  # the client's coach when asked
    reason = models.CharField(
        max_length=16, choices=DeletionReason, default=DeletionReason.REQUESTED
    )
    status = models.CharField(max_length=16, choices=DeletionStatus)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    due_at = models.DateTimeField()
    done_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # A client cannot sign in during the grace period; undo gives back what they had.
    user_was_active = models.BooleanField(null=True, blank=True)
    # For the retention rule: the landing day the search was scheduled for (an undone retention
    # deletion is not scheduled again for the same landing).
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        constraints = [
            _enum_check("deletion_request", "kind", DeletionKind),
            _enum_check("deletion_request", "reason", DeletionReason),
            _enum_check("deletion_request", "status", DeletionStatus),
            models.UniqueConstraint(
                fields=["kind", "record_id"],
                condition=Q(status=DeletionStatus.SCHEDULED) & ~Q(kind=DeletionKind.PRACTICE),
                name="deletion_request_one_scheduled_per_record",
            ),
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(status=DeletionStatus.SCHEDULED, kind=DeletionKind.PRACTICE),
                name="deletion_request_one_scheduled_practice",
            ),
            models.CheckConstraint(
                condition=Q(kind=DeletionKind.PRACTICE, record_id__isnull=True)
                | (~Q(kind=DeletionKind.PRACTICE) & Q(record_id__isnull=False)),
                name="deletion_request_record_iff_not_practice",
            ),
            models.CheckConstraint(
                condition=Q(status=DeletionStatus.DONE, done_at__isnull=False)
                | (~Q(status=DeletionStatus.DONE) & Q(done_at__isnull=True)),
                name="deletion_request_done_at_iff_done",
            ),
            models.CheckConstraint(
                condition=Q(status=DeletionStatus.CANCELLED, cancelled_at__isnull=False)
                | (~Q(status=DeletionStatus.CANCELLED) & Q(cancelled_at__isnull=True)),
                name="deletion_request_cancelled_at_iff_cancelled",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_at"], name="deletion_request_due"),
            models.Index(fields=["kind", "record_id"], name="deletion_request_record"),
        ]

    def __str__(self) -> str:
        return f"Deletion of {self.kind} {self.record_id or ''} ({self.status})".replace("  ", " ")


class RetentionPolicy(models.Model):
    """The owner's rule for ended searches: one row per practice (the schema)."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    # Delete a landed search this many months after its landing day; None: keep (the default).
    landed_months = models.PositiveSmallIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "retention policies"
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="retention_policy_singleton"),
            models.CheckConstraint(
                condition=Q(landed_months__isnull=True)
                | Q(landed_months__gte=1, landed_months__lte=120),
                name="retention_policy_months_range",
            ),
        ]

    def __str__(self) -> str:
        return f"Retention: {self.landed_months or 'off'}"


class DeletedRecord(models.Model):
    """A tombstone: this record (of a type the API serves) was deleted then. The deletions
    feed lists these; integrations drop what they hold under the same type and id."""

    record_type = models.CharField(max_length=32)  # "contact", "interaction", "client", ...
    record_id = models.BigIntegerField()
    client_id = models.BigIntegerField(null=True, blank=True)  # whose search it belonged to
    coach_id = models.BigIntegerField(null=True, blank=True)  # that client's coach then
    deleted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["deleted_at", "id"], name="deleted_record_time"),
            models.Index(fields=["client_id"], name="deleted_record_client"),
        ]

    def __str__(self) -> str:
        return f"{self.record_type} {self.record_id} deleted {self.deleted_at:%Y-%m-%d}"
