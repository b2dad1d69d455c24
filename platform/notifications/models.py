"""What the notifications keep: each person's choices, the outbox of every email (its dedupe key
makes sending idempotent), calendar feed tokens, and a row per background job run.

Written by `notifications.services` and the jobs only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from notifications.kinds import Kind, Topic


class NotificationPreference(models.Model):
    """A person's choice for one topic. No row means the default: on."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    topic = models.CharField(max_length=32, choices=Topic)
    enabled = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="notification_pref_one"),
            models.CheckConstraint(
                condition=Q(topic__in=Topic.values), name="notification_pref_topic_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.topic}: {'on' if self.enabled else 'off'}"


class NotificationStatus(models.TextChoices):
    QUEUED = "queued", "Queued"  # waiting for the worker (or for a retry)
    SENT = "sent", "Sent"
    SKIPPED = "skipped", "Skipped"  # the person had switched this topic off
    FAILED = "failed", "Failed"  # gave up: see `last_error`


class Notification(models.Model):
    """One email to one person, rendered when queued. `dedupe_key` names the occasion
    ("intro_nudge:introduction:42:2d"); its uniqueness is what makes a job that runs twice, or a
    delivery task that runs twice, send one email."""

    dedupe_key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind)
    topic = models.CharField(max_length=32, choices=Topic)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="notifications",
    )
    to_email = models.EmailField()
    subject = models.CharField(max_length=200)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(
        max_length=16, choices=NotificationStatus, default=NotificationStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=NotificationStatus.values),
                name="notification_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=Kind.values), name="notification_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=NotificationStatus.SENT, sent_at__isnull=False)
                | (~Q(status=NotificationStatus.SENT) & Q(sent_at__isnull=True)),
                name="notification_sent_at_iff_sent",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"], name="notification_status_time"),
            models.Index(fields=["user", "created_at"], name="notification_user_time"),
        ]

    def __str__(self) -> str:
        return f"{self.dedupe_key} ({self.status})"


class CalendarFeed(models.Model):
    """A secret calendar address for one person. Only a hash of the token is stored: the address
    is shown once, and revoking (or making a new one) makes the old address answer 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_feed_one_live_per_user",
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed {self.pk} of {self.user_id}"


class JobRunStatus(models.TextChoices):
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class JobRun(models.Model):
    """One run of a per-practice job for one period ("nightly_diagnostics:2024-04-14"). A period
    that succeeded is never run again, so a job queued twice does its work once; a failed run
    keeps its error here and runs again on the next attempt."""

    key = models.CharField(max_length=120, unique=True)
    job = models.CharField(max_length=40)
    status = models.CharField(max_length=16, choices=JobRunStatus, default=JobRunStatus.RUNNING)
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=JobRunStatus.values), name="job_run_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["job", "started_at"], name="job_run_job_time")]

    def __str__(self) -> str:
        return f"{self.key} ({self.status})"
