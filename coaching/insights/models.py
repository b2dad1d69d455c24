"""What the diagnostics keep between computations: the practice's thresholds, the coach's
decisions on findings, and one snapshot of each client's status and findings per week.

A client's own threshold overrides live on `coaching.Client.threshold_overrides`; everything here
is written by `insights.services` only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from coaching.diagnostics.findings import DispositionState
from coaching.diagnostics.status import SearchStatus
from coaching.models import Client


class PracticeDiagnosticsSettings(models.Model):
    """The practice-wide layer of thresholds (including `season_calendar`): one row per practice.

    Each practice is a schema, so the table holds a single row; `singleton` keeps it that way.
    """

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    threshold_overrides = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "practice diagnostics settings"
        verbose_name_plural = "practice diagnostics settings"
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="insights_settings_singleton")
        ]

    def __str__(self) -> str:
        return f"Diagnostics settings ({len(self.threshold_overrides)} overrides)"


class FindingDisposition(models.Model):
    """A coach's decision on one finding (by its stable key): it stays visible, stops counting.

    Rows are never edited or deleted, so the history of decisions is kept; the latest decision in
    force on a day wins (see `coaching.diagnostics.dispositions`). Withdrawing a decision ends it
    with `expires_on`.
    """

    client = models.ForeignKey(
        Client, on_delete=models.CASCADE, related_name="finding_dispositions"
    )
    finding_key = models.CharField(max_length=200)  # "intro_not_acted_on:introduction:42"
    code = models.CharField(max_length=48)  # the key's code, for filtering and tallies
    state = models.CharField(max_length=16, choices=DispositionState)
    note = models.TextField(blank=True)
    # The note is the coach's own unless they chose to show it in the report shared with the
    # client (`insights.client_report` drops private notes from everything a client can read).
    note_shared = models.BooleanField(default=False, db_default=False)
    decided_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=DispositionState.values),
                name="finding_disposition_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gte=F("decided_on")),
                name="finding_disposition_expires_after_decided",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "finding_key"], name="disposition_client_key"),
        ]

    def __str__(self) -> str:
        return f"{self.finding_key}: {self.state}"


class HiddenFinding(models.Model):
    """A finding the coach keeps out of the report shared with the client (by its stable key).

    It still counts and stays in the coach's report; the client's report page, PDF and API
    answer leave it out (`insights.client_report`). Showing it again deletes the row.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="hidden_findings")
    finding_key = models.CharField(max_length=200)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "finding_key"], name="hidden_finding_once_per_client"
            )
        ]

    def __str__(self) -> str:
        return f"{self.finding_key}: hidden from the client"


class WeeklySnapshot(models.Model):
    """A client's status and findings as they stood on `as_of`, one row per (client, week).

    The nightly job rewrites the current week's row, so a past week's row is that week's last
    computed day. Trends and month-over-month tallies read these instead of recomputing.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="weekly_snapshots")
    week_start = models.DateField()  # the Monday of the week `as_of` falls in
    as_of = models.DateField()
    status = models.CharField(max_length=16, choices=SearchStatus)
    days_without_progress = models.PositiveIntegerField(default=0)
    weekly_goal = models.PositiveIntegerField(default=0)
    average_weekly_reach = models.FloatField(default=0)  # last 4 weeks, distinct contacts
    open_codes = models.JSONField(default=list, blank=True)  # distinct codes that count
    # [{"key", "code", "severity", "counts"}], in the report's order.
    findings = models.JSONField(default=list, blank=True)
    counts = models.JSONField(default=dict, blank=True)  # {"critical", "warning", "info", ...}
    engine_version = models.CharField(max_length=16)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["client", "week_start"], name="weekly_snapshot_one_per_week"
            ),
            models.CheckConstraint(
                condition=Q(status__in=SearchStatus.values), name="weekly_snapshot_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(as_of__gte=F("week_start")), name="weekly_snapshot_as_of_in_week"
            ),
        ]
        indexes = [models.Index(fields=["week_start"], name="weekly_snapshot_week")]

    def __str__(self) -> str:
        return f"Client {self.client_id} week of {self.week_start}: {self.status}"
