"""Nightly diagnostics: every client's status and findings as of the day that just ended, stored
as that week's snapshot (`coaching.insights.services.weekly_snapshots_store`), and the matching
events for what changed since the client's previous stored day (`coaching.events`; the webhooks
subscribe to them).

Runs inside one transaction with its job-run row (see `job_run_once`): the snapshots and the
webhook deliveries commit together, and a second run of the same night finds it done, so no
event is announced twice.
"""

from datetime import date, datetime, timedelta
from typing import Any

from coaching.events import client_status_changed_announce, finding_announce
from coaching.insights.models import WeeklySnapshot
from coaching.insights.reports import monday_of
from coaching.insights.services import weekly_snapshots_store


def nightly_diagnostics(*, as_of: date, now: datetime) -> dict[str, Any]:
    run = weekly_snapshots_store(as_of=as_of, now=now)
    changed = [c for c in run.changes if c.status_changed or c.raised or c.resolved]
    findings: dict[int, dict[str, dict[str, Any]]] = {}
    previous: dict[int, dict[str, dict[str, Any]]] = {}
    if changed:
        ids = [c.client_id for c in changed]
        week = monday_of(as_of)
        for row in WeeklySnapshot.objects.filter(
            client_id__in=ids, week_start__in=[week, week - timedelta(days=7)]
        ).order_by("as_of"):
            target = findings if row.week_start == week else previous
            target[row.client_id] = {f["key"]: f for f in row.findings}
    status_changes = raised = resolved = 0
    for change in changed:
        if change.status_changed:
            client_status_changed_announce(
                client_id=change.client_id,
                previous_status=change.previous_status,
                status=change.status,
                as_of=as_of,
            )
            status_changes += 1
        current = findings.get(change.client_id, {})
        for key in change.raised:
            finding_announce(
                event="finding.raised",
                client_id=change.client_id,
                key=key,
                finding=current.get(key, {}),
                as_of=as_of,
            )
            raised += 1
        for key in change.resolved:
            last_seen = current.get(key) or previous.get(change.client_id, {}).get(key, {})
            finding_announce(
                event="finding.resolved",
                client_id=change.client_id,
                key=key,
                finding=last_seen,
                as_of=as_of,
            )
            resolved += 1
    return {
        "as_of": as_of.isoformat(),
        "stored": run.stored,
        "skipped": run.skipped,
        "status_changes": status_changes,
        "findings_raised": raised,
        "findings_resolved": resolved,
    }
