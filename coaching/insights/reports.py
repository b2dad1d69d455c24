"""The client report and the practice report, as plain JSON-ready dicts (reads, scoped by actor).

Everything here is deterministic for the same data and the same "as of" day: no clock, no random
order. `client_report_json` is byte-identical for identical inputs. Evidence is given as record
type + id (`{"record": "introduction", "id": 42}`); the web app and the API turn those into links
(see `EVIDENCE_RECORDS`), so the reports know nothing about URLs.

Comparisons in the practice report ("since last week", "since last month") use the stored weekly
snapshot of the week containing the reference day (as-of minus 7 and minus 28 days) when there is
one, and otherwise compute the diagnosis as of the reference day itself.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied

from accounts.models import Role, User
from coaching.diagnostics import CATALOG, Diagnosis, diagnose, diagnosis_to_dict
from coaching.diagnostics.engine import FindingCounts
from coaching.diagnostics.findings import Finding
from coaching.diagnostics.funnel import FunnelRow, FunnelSummary, merge_funnels, summarize_funnel
from coaching.diagnostics.status import SearchStatus
from coaching.diagnostics.thresholds import Thresholds
from coaching.insights.client_report import for_reader
from coaching.insights.loader import (
    LoadedSearch,
    StoredWeek,
    default_as_of,
    search_load,
    searches_load,
)
from coaching.insights.practice_view import add_practice_view
from coaching.models import Client

REPORT_VERSION = "1"
TREND_WEEKS = 12
STATUS_ORDER = (
    SearchStatus.STALLED,
    SearchStatus.SLOWING,
    SearchStatus.ACTIVE,
    SearchStatus.LANDED,
)
_STATUS_RANK = {status.value: rank for rank, status in enumerate(STATUS_ORDER)}

EVIDENCE_RECORDS = (
    "application",
    "client",
    "contact",
    "feedback",
    "follow_up",
    "interaction",
    "introduction",
    "meeting",
    "period",
)
"""Record types evidence can point at. Every one but `period` (a span of days, no id) is a
record of the client's search with that id: link it to the page or API resource of that type."""


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


# --- one client ----------------------------------------------------------------------------------


def diagnose_search(*, search: LoadedSearch, as_of: date) -> Diagnosis:
    return diagnose(snapshot=search.snapshot, as_of=as_of, thresholds=search.thresholds)


def trend_weeks(*, as_of: date, weeks: int = TREND_WEEKS) -> tuple[date, ...]:
    """The Mondays of the `weeks` weeks ending with the one `as_of` falls in, oldest first."""
    this_monday = monday_of(as_of)
    return tuple(this_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1))


def _client_header(search: LoadedSearch) -> dict[str, Any]:
    client = search.client
    return {
        "id": client.pk,
        "name": client.user.name,
        "headline": client.headline,
        "coach": {"id": client.coach_id, "name": client.coach.name},
        "time_zone": client.time_zone,
        "search_started_on": client.search_started_on.isoformat(),
        "report_shared_with_client": client.report_shared_with_client,
    }


def _history(*, search: LoadedSearch, as_of: date, diagnosis: Diagnosis) -> list[dict[str, Any]]:
    """Status and open findings per week for the trend: stored weekly snapshots, and the report's
    own diagnosis for the current week. Weeks with nothing stored say so (`status: null`)."""
    stored = {week.week_start: week for week in search.history}
    rows = []
    for monday in trend_weeks(as_of=as_of):
        if monday == monday_of(as_of):
            rows.append(
                {
                    "week_start": monday.isoformat(),
                    "as_of": as_of.isoformat(),
                    "status": diagnosis.status.status.value,
                    "open_findings": diagnosis.counts.total,
                    "average_weekly_reach": diagnosis.figures.outreach.average_last_4_weeks,
                    "source": "computed",
                }
            )
            continue
        week = stored.get(monday)
        rows.append(
            {
                "week_start": monday.isoformat(),
                "as_of": week.as_of.isoformat() if week else None,
                "status": week.status if week else None,
                "open_findings": len(week.open_findings) if week else None,
                "average_weekly_reach": week.average_weekly_reach if week else None,
                "source": "stored" if week else "missing",
            }
        )
    return rows


def _ignored(errors: dict[str, list[str]]) -> dict[str, list[str]]:
    return {name: list(messages) for name, messages in sorted(errors.items())}


def build_client_report(
    *, search: LoadedSearch, as_of: date, diagnosis: Diagnosis | None = None
) -> dict[str, Any]:
    """The client report from a loaded search (pure: no queries). Findings come ranked as the
    engine ranks them: counting before disposed, then severity, then the most recent first."""
    diagnosis = diagnosis or diagnose_search(search=search, as_of=as_of)
    body = diagnosis_to_dict(diagnosis=diagnosis)
    body["thresholds"] = {
        "in_force": body["thresholds"],  # {name: {"value", "source"}}, from the engine
        "ignored_overrides": _ignored(search.threshold_errors),
    }
    return {
        "report_version": REPORT_VERSION,
        "kind": "client_report",
        "as_of": as_of.isoformat(),
        "client": _client_header(search),
        **{k: v for k, v in body.items() if k not in ("as_of", "client_id")},
        "history": _history(search=search, as_of=as_of, diagnosis=diagnosis),
    }


class Shareable(Protocol):
    @property
    def report_shared_with_client(self) -> bool: ...


def report_readable(*, actor: User, client: Shareable) -> bool:
    """The report-sharing rule, decided here only: the coach and the owner read the report of
    any client they may see; a client reads their own once the coach shared it. The pages, the
    PDF, the API and the exports all ask this."""
    return actor.role != Role.CLIENT or client.report_shared_with_client


def ensure_report_readable(*, actor: User, client: Client) -> None:
    """`PermissionDenied` (403: a client knows their report exists) unless readable."""
    if not report_readable(actor=actor, client=client):
        raise PermissionDenied("Your coach has not shared this report yet.")


def client_report(*, actor: User, client_id: int, as_of: date | None = None) -> dict[str, Any]:
    """Status, ranked findings with evidence and advice, figures with their trend, thresholds in
    force and their source. `NotFound` (404) outside the actor's scope. Nine queries."""
    as_of = as_of or default_as_of()
    search = search_load(actor=actor, client_id=client_id, history=trend_weeks(as_of=as_of))
    ensure_report_readable(actor=actor, client=search.client)
    diagnosis = for_reader(
        actor=actor, client=search.client, diagnosis=diagnose_search(search=search, as_of=as_of)
    )
    return build_client_report(search=search, as_of=as_of, diagnosis=diagnosis)


def report_to_json(*, report: dict[str, Any]) -> str:
    """Sorted keys and fixed separators: byte-identical for identical reports."""
    return json.dumps(report, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def client_report_json(*, actor: User, client_id: int, as_of: date | None = None) -> str:
    return report_to_json(report=client_report(actor=actor, client_id=client_id, as_of=as_of))


def client_reports(
    *, actor: User, as_of: date | None = None, client_ids: Collection[int] | None = None
) -> list[dict[str, Any]]:
    """Reports of every client the actor may see (or of `client_ids` among them), in the same
    fixed number of queries as one: for exports, digests and bulk PDFs."""
    if actor.role == Role.CLIENT:
        raise PermissionDenied("Clients see their own report only.")
    as_of = as_of or default_as_of()
    searches = searches_load(actor=actor, client_ids=client_ids, history=trend_weeks(as_of=as_of))
    return [build_client_report(search=search, as_of=as_of) for search in searches]


def client_diagnosis(*, actor: User, client_id: int, as_of: date | None = None) -> Diagnosis:
    """The engine's own result for one client, for callers that need the objects (figures
    endpoints, webhooks). Same scope and sharing rules as the report."""
    as_of = as_of or default_as_of()
    search = search_load(actor=actor, client_id=client_id)
    ensure_report_readable(actor=actor, client=search.client)
    diagnosis = diagnose_search(search=search, as_of=as_of)
    return for_reader(actor=actor, client=search.client, diagnosis=diagnosis)


# --- many clients at a glance --------------------------------------------------------------------


def counts_to_dict(*, counts: FindingCounts) -> dict[str, int]:
    return {
        "critical": counts.critical,
        "warning": counts.warning,
        "info": counts.info,
        "disposed": counts.disposed,
        "total": counts.total,
    }


def _top_finding(findings: Iterable[Finding]) -> dict[str, Any] | None:
    for finding in findings:
        if finding.counts:
            return {
                "code": finding.code,
                "title": finding.title,
                "severity": finding.severity.value,
                "fault": finding.fault.value,
                "sentence": finding.measure.sentence,
            }
    return None


def status_row(*, search: LoadedSearch, diagnosis: Diagnosis) -> dict[str, Any]:
    """One client at a glance: the dashboard's row and the practice report's."""
    outreach = diagnosis.figures.outreach
    this_week = outreach.weeks[-1] if outreach.weeks else None
    client = search.client
    return {
        "client_id": client.pk,
        "name": client.user.name,
        "coach": {"id": client.coach_id, "name": client.coach.name},
        "status": diagnosis.status.status.value,
        "status_reason": diagnosis.status.reason,
        "last_progress_on": (
            diagnosis.status.last_progress_on.isoformat()
            if diagnosis.status.last_progress_on
            else None
        ),
        "days_without_progress": diagnosis.status.days_without_progress,
        "counts": counts_to_dict(counts=diagnosis.counts),
        "open_codes": list(diagnosis.open_codes),
        "top_finding": _top_finding(diagnosis.findings),
        "outreach": {
            "goal": outreach.goal,
            "this_week": this_week.contacts if this_week else 0,
            "average_last_4_weeks": outreach.average_last_4_weeks,
        },
        "introductions_waiting": len(diagnosis.obligations.waiting_calls),
        "data_problems": len(diagnosis.data_problems),
    }


def _attention_order(row: dict[str, Any]) -> tuple[int, int, int, str, int]:
    """Exceptions first: stalled, slowing, active, landed; then the most critical findings."""
    return (
        _STATUS_RANK[row["status"]],
        -row["counts"]["critical"],
        -row["counts"]["warning"],
        row["name"],
        row["client_id"],
    )


def client_statuses(
    *, actor: User, as_of: date | None = None, client_ids: Collection[int] | None = None
) -> list[dict[str, Any]]:
    """The dashboard: every client the actor may see at a glance, exceptions first, computed in
    a fixed number of queries whatever the number of clients."""
    if actor.role == Role.CLIENT:
        raise PermissionDenied("The dashboard is for coaches.")
    as_of = as_of or default_as_of()
    rows = [
        status_row(search=search, diagnosis=diagnose_search(search=search, as_of=as_of))
        for search in searches_load(actor=actor, client_ids=client_ids)
    ]
    return sorted(rows, key=_attention_order)


# --- the practice --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _PastState:
    """A client's status and counting findings on a reference day."""

    as_of: date
    status: str
    open_findings: tuple[str, ...]
    source: str  # "stored" or "computed"


def _past_state(
    *, search: LoadedSearch, day: date, memo: dict[tuple[int, date], Diagnosis]
) -> _PastState:
    stored: StoredWeek | None = next(
        (week for week in search.history if week.week_start == monday_of(day)), None
    )
    if stored is not None:
        return _PastState(stored.as_of, stored.status, stored.open_findings, "stored")
    key = (search.client.pk, day)
    if key not in memo:
        memo[key] = diagnose_search(search=search, as_of=day)
    diagnosis = memo[key]
    return _PastState(
        day,
        diagnosis.status.status.value,
        tuple(f.code for f in diagnosis.findings if f.counts),
        "computed",
    )


def funnel_to_dict(*, summary: FunnelSummary) -> dict[str, Any]:
    return {
        "introductions": summary.introductions,
        "days_to_first_contact": summary.days_to_first_contact,
        "stages": [
            {
                "name": stage.name,
                "count": stage.count,
                "conversion": stage.conversion,
                "median_days": stage.median_days,
            }
            for stage in summary.stages
        ],
    }


def _funnels(
    *, searches: Sequence[LoadedSearch], diagnoses: Sequence[Diagnosis], introducers: int
) -> dict[str, Any]:
    rows: tuple[FunnelRow, ...] = merge_funnels(funnels=(d.figures.funnel_rows for d in diagnoses))
    names = {
        (search.client.pk, contact.id): (contact.name, contact.company)
        for search in searches
        for contact in search.snapshot.contacts
    }
    by_introducer: dict[tuple[int, int], list[FunnelRow]] = defaultdict(list)
    for row in rows:
        by_introducer[(row.client_id, row.introducer_id)].append(row)
    ranked = sorted(
        by_introducer.items(),
        key=lambda item: (-len(item[1]), names.get(item[0], ("", ""))[0], item[0]),
    )
    return {
        "practice": funnel_to_dict(summary=summarize_funnel(rows=rows)),
        "introducers_total": len(by_introducer),
        "by_introducer": [
            {
                "client_id": client_id,
                "introducer_id": introducer_id,
                "name": names.get((client_id, introducer_id), ("", ""))[0],
                "company": names.get((client_id, introducer_id), ("", ""))[1],
                **funnel_to_dict(summary=summarize_funnel(rows=group)),
            }
            for (client_id, introducer_id), group in ranked[:introducers]
        ],
    }


def _reason_tallies(
    *, now: Sequence[tuple[str, ...]], before: Sequence[tuple[str, ...]], disposed: Counter[str]
) -> list[dict[str, Any]]:
    """Per code: clients with it open and findings that count, now and a month before."""
    clients_now = Counter(code for codes in now for code in set(codes))
    findings_now = Counter(code for codes in now for code in codes)
    clients_before = Counter(code for codes in before for code in set(codes))
    findings_before = Counter(code for codes in before for code in codes)
    tallies = [
        {
            "code": code,
            "title": entry.title,
            "category": entry.category.value,
            "fault": entry.fault.value,
            "clients": clients_now[code],
            "findings": findings_now[code],
            "disposed": disposed[code],
            "clients_last_month": clients_before[code],
            "findings_last_month": findings_before[code],
            "change": clients_now[code] - clients_before[code],
        }
        for code, entry in CATALOG.items()
    ]
    return sorted(tallies, key=lambda t: (-t["clients"], -t["findings"], t["code"]))


def build_practice_report(
    *,
    searches: Sequence[LoadedSearch],
    as_of: date,
    diagnoses: Sequence[Diagnosis] | None = None,
    introducers: int = 25,
) -> dict[str, Any]:
    """The practice report from loaded searches (pure). `searches` must carry the stored weeks
    of `as_of - 7` and `as_of - 28` in their history for those to be used."""
    diagnoses = diagnoses or [diagnose_search(search=s, as_of=as_of) for s in searches]
    last_week, last_month = as_of - timedelta(days=7), as_of - timedelta(days=28)
    memo: dict[tuple[int, date], Diagnosis] = {}
    rows, changes, now_codes, before_codes = [], [], [], []
    disposed: Counter[str] = Counter()
    sources: dict[str, Counter[str]] = {"last_week": Counter(), "last_month": Counter()}
    status_now: Counter[str] = Counter()
    status_before: Counter[str] = Counter()
    for search, diagnosis in zip(searches, diagnoses, strict=True):
        row = status_row(search=search, diagnosis=diagnosis)
        week_ago = _past_state(search=search, day=last_week, memo=memo)
        month_ago = _past_state(search=search, day=last_month, memo=memo)
        sources["last_week"][week_ago.source] += 1
        sources["last_month"][month_ago.source] += 1
        row["status_last_week"] = week_ago.status
        rows.append(row)
        status_now[row["status"]] += 1
        status_before[week_ago.status] += 1
        if week_ago.status != row["status"]:
            changes.append(
                {
                    "client_id": row["client_id"],
                    "name": row["name"],
                    "from": week_ago.status,
                    "to": row["status"],
                    "compared_with": week_ago.as_of.isoformat(),
                    "source": week_ago.source,
                }
            )
        now_codes.append(tuple(f.code for f in diagnosis.findings if f.counts))
        before_codes.append(month_ago.open_findings)
        disposed.update(f.code for f in diagnosis.findings if not f.counts)
    rows.sort(key=_attention_order)
    changes.sort(key=lambda c: (_STATUS_RANK[c["to"]], c["name"], c["client_id"]))
    return {
        "report_version": REPORT_VERSION,
        "kind": "practice_report",
        "as_of": as_of.isoformat(),
        "compared_with": {
            name: {"day": day.isoformat(), "sources": dict(sorted(sources[name].items()))}
            for name, day in (("last_week", last_week), ("last_month", last_month))
        },
        "status_counts": {
            status.value: {"now": status_now[status], "last_week": status_before[status]}
            for status in STATUS_ORDER
        },
        "clients": rows,
        "status_changes": changes,
        "reasons": _reason_tallies(now=now_codes, before=before_codes, disposed=disposed),
        "funnel": _funnels(searches=searches, diagnoses=diagnoses, introducers=introducers),
    }


def practice_report(
    *, actor: User, as_of: date | None = None, introducers: int = 25
) -> dict[str, Any]:
    """Every client's status (the actor's clients: a coach sees theirs, the owner all), how often
    each reason fires and its change since last month, status changes since last week, the
    referral funnel for the practice and per introducer, each client's cohort benchmarks and the
    people several clients asked (`insights.practice_view`). A fixed number of queries."""
    if actor.role == Role.CLIENT:
        raise PermissionDenied("The practice report is for coaches.")
    as_of = as_of or default_as_of()
    history = {monday_of(as_of - timedelta(days=7)), monday_of(as_of - timedelta(days=28))}
    searches = searches_load(actor=actor, history=history)
    report = build_practice_report(searches=searches, as_of=as_of, introducers=introducers)
    return add_practice_view(report=report, actor=actor, as_of=as_of)


@dataclass(frozen=True, slots=True)
class PracticeReports:
    practice: dict[str, Any]
    clients: list[dict[str, Any]]


def practice_reports_all(
    *, actor: User, as_of: date | None = None, introducers: int = 25
) -> PracticeReports:
    """The practice report and every client report in one pass: one load, one diagnosis per
    client for the day (shared by both), plus the comparison days the snapshots do not cover.
    For exports, the nightly digest and warming caches; a fixed number of queries."""
    if actor.role == Role.CLIENT:
        raise PermissionDenied("The practice report is for coaches.")
    as_of = as_of or default_as_of()
    history = {
        *trend_weeks(as_of=as_of),
        monday_of(as_of - timedelta(days=7)),
        monday_of(as_of - timedelta(days=28)),
    }
    searches = searches_load(actor=actor, history=history)
    diagnoses = [diagnose_search(search=search, as_of=as_of) for search in searches]
    practice = build_practice_report(
        searches=searches, as_of=as_of, diagnoses=diagnoses, introducers=introducers
    )
    return PracticeReports(
        practice=add_practice_view(report=practice, actor=actor, as_of=as_of),
        clients=[
            build_client_report(search=search, as_of=as_of, diagnosis=diagnosis)
            for search, diagnosis in zip(searches, diagnoses, strict=True)
        ],
    )


# --- the catalog ---------------------------------------------------------------------------------


def catalog_to_dict() -> dict[str, Any]:
    """Every failure code with its wording and sources, and the default thresholds: the API's
    catalog endpoint and the docs read this."""
    return {
        "codes": [
            {
                "code": code,
                "title": entry.title,
                "category": entry.category.value,
                "fault": entry.fault.value,
                "default_severity": entry.severity.value,
                "subject": entry.subject,
                "explanation": entry.explanation,
                "advice": entry.advice,
                "sources": [
                    {"article_id": src.article_id, "title": src.title} for src in entry.sources
                ],
            }
            for code, entry in CATALOG.items()
        ],
        "default_thresholds": Thresholds().values(),
    }
