"""Writes for the diagnostics: threshold settings, the coach's decisions on findings, and the
weekly snapshots.

Each validates all of its input at once (`ValidationError({"field": [...]})`, the shape DRF and
forms understand), checks scope through `coaching.access`, runs in one transaction and, where it
changes a client's search, writes the matching `ActivityEvent`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from audit.actions import AuditAction
from audit.services import audit_record
from coaching.access import client_get_for, ensure_can_coach
from coaching.diagnostics import CATALOG, Diagnosis
from coaching.diagnostics.findings import DispositionState
from coaching.diagnostics.thresholds import (
    SEASON_CALENDARS,
    THRESHOLD_NAMES,
    InvalidThresholds,
    resolve_thresholds,
    validate_thresholds,
)
from coaching.insights.loader import LoadedSearch, searches_load_all
from coaching.insights.models import (
    FindingDisposition,
    HiddenFinding,
    PracticeDiagnosticsSettings,
    WeeklySnapshot,
)
from coaching.insights.reports import counts_to_dict, diagnose_search, monday_of, trend_weeks
from coaching.models import Client
from coaching.services import client_set_threshold_overrides
from coaching.services.activity import activity_record, field_values
from coaching.timezones import local_date
from coaching.validation import day_problems, shown

NOTE_LIMIT = 2000
# What a finding's subject may look like (see `coaching.diagnostics.findings.Finding.subject`).
_SUBJECT = re.compile(
    r"^(client|season:[a-z]+-\d{4}|"
    r"(contact|interaction|introduction|follow_up|application|meeting|feedback):\d+)$"
)
_LAYER_PREFIX = re.compile(r"^\((practice|client|combined)\) ")


# --- thresholds --------------------------------------------------------------------------------


def practice_settings_get() -> PracticeDiagnosticsSettings:
    """The practice's single settings row (created empty on first use)."""
    settings, _ = PracticeDiagnosticsSettings.objects.get_or_create(singleton=True)
    return settings


def _merge_changes(
    current: Mapping[str, Any], changes: Mapping[str, Any], errors: dict[str, list[str]]
) -> dict[str, Any]:
    """`changes` sets values; a value of None removes the override (back to the layer below)."""
    merged = dict(current)
    for name, value in changes.items():
        if name not in THRESHOLD_NAMES:
            known = ", ".join(THRESHOLD_NAMES)
            errors.setdefault(name, []).append(f"'{name}' is not a threshold; use one of: {known}.")
        elif value is None:
            merged.pop(name, None)
        else:
            merged[name] = value
    return merged


def _plain_messages(errors: Mapping[str, list[str]]) -> dict[str, list[str]]:
    return {
        name: [_LAYER_PREFIX.sub("", message) for message in messages]
        for name, messages in errors.items()
    }


@transaction.atomic
def practice_thresholds_update(
    *, actor: User, changes: Mapping[str, Any]
) -> PracticeDiagnosticsSettings:
    """Change the practice-wide thresholds (and `season_calendar`) for every client; the owner
    decides. Every value is checked, alone and with the others; a value that would clash with a
    client's own overrides is refused too, naming the client, so no report silently drops one."""
    if actor.role != Role.OWNER or not actor.is_active:
        raise PermissionDenied("Only the practice owner changes the practice's thresholds.")
    settings = PracticeDiagnosticsSettings.objects.select_for_update().get_or_create(
        singleton=True
    )[0]
    errors: dict[str, list[str]] = {}
    merged = _merge_changes(settings.threshold_overrides, changes, errors)
    for name, messages in validate_thresholds(values=merged).items():
        errors.setdefault(name, []).extend(messages)
    if not errors:
        clients = Client.objects.exclude(threshold_overrides={}).select_related("user")
        for client in clients.order_by("pk"):
            try:
                resolve_thresholds(practice=merged, client=client.threshold_overrides)
            except InvalidThresholds as clash:
                for name, messages in _plain_messages(clash.errors).items():
                    for message in messages:
                        errors.setdefault(name, []).append(
                            f"{message} (with {client.user.name}'s own thresholds)"
                        )
    if errors:
        raise ValidationError(errors)
    if merged != settings.threshold_overrides:
        audit_record(
            action=AuditAction.THRESHOLDS_CHANGED,
            actor=actor,
            target_label="Practice defaults",
            details={"from": settings.threshold_overrides, "to": merged},
        )
        settings.threshold_overrides = merged
        settings.updated_by = actor
        settings.save()
    return settings


@transaction.atomic
def client_thresholds_update(*, actor: User, client_id: int, changes: Mapping[str, Any]) -> Client:
    """Change one client's own thresholds (e.g. their weekly goal) over the practice's; the
    client's coach or the owner decides. The calendar is practice-wide only."""
    client = client_get_for(actor=actor, client_id=client_id)
    ensure_can_coach(actor=actor, client=client)
    errors: dict[str, list[str]] = {}
    if "season_calendar" in changes:
        errors["season_calendar"] = [
            "The season calendar is a practice-wide setting "
            f"({', '.join(SEASON_CALENDARS)}); change it in the practice's settings."
        ]
    merged = _merge_changes(client.threshold_overrides or {}, changes, errors)
    merged.pop("season_calendar", None)
    for name, messages in validate_thresholds(values=merged).items():
        errors.setdefault(name, []).extend(messages)
    if not errors:
        try:
            resolve_thresholds(practice=practice_settings_get().threshold_overrides, client=merged)
        except InvalidThresholds as clash:
            for name, messages in _plain_messages(clash.errors).items():
                errors.setdefault(name, []).extend(
                    f"{message} (with the practice's thresholds)" for message in messages
                )
    if errors:
        raise ValidationError(errors)
    return client_set_threshold_overrides(client=client, actor=actor, overrides=merged)


# --- dispositions --------------------------------------------------------------------------------


def _check_disposition(
    *, finding_key: str, state: str, note: str, decided_on: date, expires_on: date | None
) -> None:
    errors: dict[str, list[str]] = {}
    code, _, subject = finding_key.partition(":")
    if code not in CATALOG:
        errors["finding_key"] = [f"{shown(code)} is not a failure code."]
    elif not _SUBJECT.match(subject):
        errors["finding_key"] = [
            f"{shown(finding_key)} is not a finding key; it looks like '{shown(code)[1:-1]}:client'"
            f" or '{shown(code)[1:-1]}:introduction:42' (the `key` of a finding in the report)."
        ]
    if state not in DispositionState.values:
        errors["state"] = [
            f"{shown(state)} is not a valid choice; use acknowledged or not_applicable."
        ]
    if state == DispositionState.NOT_APPLICABLE and not note.strip():
        errors["note"] = ["Say why this finding does not apply to this client."]
    if len(note) > NOTE_LIMIT:
        errors.setdefault("note", []).append(f"Use at most {NOTE_LIMIT} characters.")
    if expires_on is not None and (problems := day_problems(expires_on)):
        errors["expires_on"] = problems
    elif expires_on is not None and expires_on < decided_on:
        errors["expires_on"] = [f"This cannot be before the decision ({decided_on})."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def finding_dispose(
    *,
    actor: User,
    client_id: int,
    finding_key: str,
    state: str,
    note: str = "",
    note_shared: bool = False,
    expires_on: date | None = None,
    now: datetime | None = None,
) -> FindingDisposition:
    """Mark a finding acknowledged or not applicable: it stays in the report, marked, and stops
    counting from today (in the client's zone) until `expires_on`, if given. A second decision on
    the same day replaces the first; earlier decisions stay as history."""
    now = now or timezone.now()
    client = client_get_for(actor=actor, client_id=client_id)
    ensure_can_coach(actor=actor, client=client)
    today = local_date(at=now, tz=client.time_zone)
    note = note.strip()
    _check_disposition(
        finding_key=finding_key, state=state, note=note, decided_on=today, expires_on=expires_on
    )
    same_day = (
        FindingDisposition.objects.select_for_update()
        .filter(client=client, finding_key=finding_key, decided_on=today)
        .order_by("-pk")
        .first()
    )
    values = {
        "state": state,
        "note": note,
        "note_shared": note_shared,
        "expires_on": expires_on,
        "decided_by": actor,
    }
    if same_day is None:
        disposition = FindingDisposition.objects.create(
            client=client,
            finding_key=finding_key,
            code=finding_key.partition(":")[0],
            decided_on=today,
            **values,
        )
    else:
        disposition = same_day
        for name, value in values.items():
            setattr(disposition, name, value)
        disposition.save()
    activity_record(
        client=client,
        actor=actor,
        verb=f"finding.{state}",
        subject=disposition,
        changes=field_values(
            disposition, ["finding_key", "state", "note", "note_shared", "expires_on"]
        ),
        at=now,
    )
    return disposition


@transaction.atomic
def finding_set_hidden(
    *, actor: User, client_id: int, finding_key: str, hidden: bool, now: datetime | None = None
) -> bool:
    """Keep a finding out of the report shared with the client (`hidden`), or show it again.
    It still counts and stays in the coach's report. Returns whether anything changed."""
    now = now or timezone.now()
    client = client_get_for(actor=actor, client_id=client_id)
    ensure_can_coach(actor=actor, client=client)
    code, _, subject = finding_key.partition(":")
    if code not in CATALOG or not _SUBJECT.match(subject):
        raise ValidationError({"finding_key": ["This is not a finding of this report."]})
    rows = HiddenFinding.objects.filter(client=client, finding_key=finding_key)
    if hidden == rows.exists():
        return False
    if hidden:
        HiddenFinding.objects.create(
            client=client, finding_key=finding_key, hidden_by=actor, created_at=now
        )
    else:
        rows.delete()
    activity_record(
        client=client,
        actor=actor,
        verb="finding.hidden" if hidden else "finding.shown",
        subject=client,
        changes={"finding_key": finding_key},
        at=now,
    )
    return True


@transaction.atomic
def finding_disposition_withdraw(
    *, actor: User, client_id: int, finding_key: str, now: datetime | None = None
) -> int:
    """Make a disposed finding count again from today. Past days keep the decision (their
    reports do not change): it ends yesterday, or disappears if it was made today. Returns how
    many decisions were ended."""
    now = now or timezone.now()
    client = client_get_for(actor=actor, client_id=client_id)
    ensure_can_coach(actor=actor, client=client)
    today = local_date(at=now, tz=client.time_zone)
    in_force = FindingDisposition.objects.select_for_update().filter(
        client=client, finding_key=finding_key, decided_on__lte=today
    )
    ended = 0
    for disposition in in_force.order_by("pk"):
        if disposition.expires_on is not None and disposition.expires_on < today:
            continue
        activity_record(
            client=client,
            actor=actor,
            verb="finding.reopened",
            subject=disposition,
            changes=field_values(disposition, ["finding_key", "state", "note", "decided_on"]),
            at=now,
        )
        if disposition.decided_on == today:
            disposition.delete()
        else:
            disposition.expires_on = today - timedelta(days=1)
            disposition.save(update_fields=["expires_on"])
        ended += 1
    return ended


# --- weekly snapshots ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SnapshotChange:
    """What changed for one client since its previous stored snapshot (for webhooks, digests)."""

    client_id: int
    previous_status: str | None
    status: str
    raised: tuple[str, ...]
    """Finding keys that count now and did not before."""
    resolved: tuple[str, ...]
    """Finding keys that counted before and no longer do."""

    @property
    def status_changed(self) -> bool:
        return self.previous_status is not None and self.previous_status != self.status


@dataclass(frozen=True, slots=True)
class SnapshotRun:
    as_of: date
    stored: int
    skipped: int
    """Weeks that already held a later day: never overwritten by an earlier one."""
    changes: tuple[SnapshotChange, ...]


def weekly_snapshot_row(*, client_id: int, diagnosis: Diagnosis, now: datetime) -> WeeklySnapshot:
    return WeeklySnapshot(
        client_id=client_id,
        week_start=monday_of(diagnosis.as_of),
        as_of=diagnosis.as_of,
        status=diagnosis.status.status.value,
        days_without_progress=diagnosis.status.days_without_progress,
        weekly_goal=diagnosis.thresholds.weekly_goal,
        average_weekly_reach=diagnosis.figures.outreach.average_last_4_weeks,
        open_codes=list(diagnosis.open_codes),
        findings=[
            {"key": f.key, "code": f.code, "severity": f.severity.value, "counts": f.counts}
            for f in diagnosis.findings
        ],
        counts=counts_to_dict(counts=diagnosis.counts),
        engine_version=diagnosis.engine_version,
        computed_at=now,
    )


_UPDATED = [
    "as_of",
    "status",
    "days_without_progress",
    "weekly_goal",
    "average_weekly_reach",
    "open_codes",
    "findings",
    "counts",
    "engine_version",
    "computed_at",
]


def _store(
    *, searches: list[LoadedSearch], days: Collection[date], now: datetime
) -> tuple[int, int, list[WeeklySnapshot]]:
    """Diagnose every search as of each day and upsert the rows, keeping a week's latest day.
    Returns how many rows were written, how many weeks were skipped, and the rows written."""
    weeks = {monday_of(day) for day in days}
    ids = [search.client.pk for search in searches]
    existing = {
        (row.client_id, row.week_start): row
        for row in WeeklySnapshot.objects.filter(client_id__in=ids, week_start__in=weeks)
    }
    rows: dict[tuple[int, date], WeeklySnapshot] = {}
    skipped = 0
    for search in searches:
        for day in sorted(days):
            key = (search.client.pk, monday_of(day))
            current = existing.get(key)
            if current is not None and current.as_of > day:
                skipped += 1
                continue
            diagnosis = diagnose_search(search=search, as_of=day)
            rows[key] = weekly_snapshot_row(
                client_id=search.client.pk, diagnosis=diagnosis, now=now
            )
    WeeklySnapshot.objects.bulk_create(
        list(rows.values()),
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["client", "week_start"],
        update_fields=_UPDATED,
    )
    return len(rows), skipped, list(rows.values())


def _changes(
    *, as_of: date, stored: list[WeeklySnapshot], before: list[WeeklySnapshot]
) -> tuple[SnapshotChange, ...]:
    previous: dict[int, WeeklySnapshot] = {}
    for row in sorted(before, key=lambda r: r.as_of):
        if row.as_of < as_of:
            previous[row.client_id] = row
    changes = []
    for row in sorted(stored, key=lambda r: r.client_id):
        prior = previous.get(row.client_id)
        now_keys = {f["key"] for f in row.findings if f["counts"]}
        before_keys = {f["key"] for f in prior.findings if f["counts"]} if prior else set()
        changes.append(
            SnapshotChange(
                client_id=row.client_id,
                previous_status=prior.status if prior else None,
                status=row.status,
                raised=tuple(sorted(now_keys - before_keys)) if prior else tuple(sorted(now_keys)),
                resolved=tuple(sorted(before_keys - now_keys)),
            )
        )
    return tuple(changes)


@transaction.atomic
def weekly_snapshots_store(
    *, as_of: date, client_ids: Collection[int] | None = None, now: datetime | None = None
) -> SnapshotRun:
    """The nightly job: every client's status and findings as of `as_of` into that week's row
    (a system task: no acting user, the whole practice). Returns what changed since each
    client's previous stored day, for webhooks ("status changed", "finding raised / resolved").
    Archived searches are passed by (`coaching.services.archive`) unless named in `client_ids`."""
    now = now or timezone.now()
    if client_ids is None:
        client_ids = Client.objects.filter(archived_at__isnull=True).values_list("pk", flat=True)
    searches = searches_load_all(client_ids=client_ids)
    previous_week = monday_of(as_of) - timedelta(days=7)
    before = list(
        WeeklySnapshot.objects.filter(
            client_id__in=[s.client.pk for s in searches],
            week_start__in=[previous_week, monday_of(as_of)],
        )
    )
    stored, skipped, fresh = _store(searches=searches, days=[as_of], now=now)
    return SnapshotRun(
        as_of=as_of,
        stored=stored,
        skipped=skipped,
        changes=_changes(as_of=as_of, stored=fresh, before=before),
    )


@transaction.atomic
def weekly_snapshots_backfill(
    *, as_of: date, weeks: int = 12, client_ids: Collection[int] | None = None
) -> SnapshotRun:
    """Fill the past `weeks` weeks (each as of its Sunday, the current one as of `as_of`) from
    the records, for a practice that starts storing snapshots with history already in it.
    Loads once and diagnoses each week; weeks that hold a later day are kept."""
    now = timezone.now()
    searches = searches_load_all(client_ids=client_ids)
    days = [monday + timedelta(days=6) for monday in trend_weeks(as_of=as_of, weeks=weeks)]
    days[-1] = as_of
    stored, skipped, _ = _store(searches=searches, days=days, now=now)
    return SnapshotRun(as_of=as_of, stored=stored, skipped=skipped, changes=())
