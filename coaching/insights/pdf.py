"""The client report as printable HTML and as a PDF (WeasyPrint), from the same template, written
for a person: plain words instead of codes, record ids and threshold names; the thresholds in
sentences; dates as people write them; the practice's name (and logo, when the practice has one)
on top; the weeks of history from the stored weekly snapshots (`insights.models.WeeklySnapshot`,
backfilled after an import: `insights.backfill`).

The template only reads the report dict (`insights.reports.build_client_report`) through
`_context`, so the PDF says what the JSON says. Links to records need the web app's URLs: pass
`record_url`, a function of (record type, id) that returns a URL or None, and evidence becomes
links (the id stays in the link, never in the text).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.template.loader import render_to_string

from accounts.models import User
from coaching.choices import Channel
from coaching.diagnostics.findings import Category
from coaching.diagnostics.thresholds import DESCRIPTIONS
from coaching.insights.reports import client_report
from coaching.insights.summaries import hygiene_labels
from tenants.branding import logo_data_uri
from tenants.models import Practice

RecordUrl = Callable[[str, int], str | None]

_STAGE_LABELS = {
    "requested": "Introduction requested",
    "made": "Introduction made",
    "contacted": "Client made contact",
    "meeting": "Meeting held",
    "hiring_authority": "Reached a hiring authority",
    "interview": "Interview",
    "offer": "Offer",
}
RECORD_WORDS = {
    "application": "an application",
    "client": "the client's profile",
    "contact": "a contact",
    "disposition": "a decision of the coach on a finding",
    "feedback": "a piece of feedback",
    "follow_up": "a scheduled follow-up",
    "interaction": "a message, call or conversation",
    "introduction": "an introduction",
    "meeting": "a meeting",
    "period": "a period",
}
"""Record types as a sentence names them (data problems, evidence without a note)."""
FIELD_WORDS = {
    "occurred_at": "when it happened",
    "replied_at": "when the reply came",
    "requested_at": "when it was asked for",
    "made_at": "when it was made",
    "first_contact_at": "when the client first made contact",
    "thanked_at": "when the thank-you was sent",
    "outcome_reported_at": "when the outcome was reported",
    "reached_hiring_authority_at": "when it reached a hiring authority",
    "ended_at": "when it ended",
    "scheduled_for": "when it was planned",
    "prepared_at": "when it was prepared",
    "due_on": "the day it is due",
    "done_at": "when it was done",
    "applied_on": "the day of the application",
    "posting_seen_on": "the day the posting appeared",
    "first_outreach_on": "the first outreach to the company",
    "last_employer_contact_on": "the employer's last contact",
    "last_client_action_on": "the client's last move",
    "received_on": "the day it was received",
    "first_met_on": "the day they first met",
    "search_started_on": "the day the search started",
    "landed_on": "the day the client landed",
    "time_zone": "the time zone",
    "weekly_outreach_goal": "the weekly outreach goal",
    "decided_on": "the day of the decision",
    "expires_on": "the day the decision ends",
}
SEVERITY_WORDS = {"critical": "Critical", "warning": "Warning", "info": "For information"}
FAULT_WORDS = {
    "client": "the client's move",
    "context": "circumstances",
    "employer": "on the employer",
}
STATUS_WORDS = {
    "stalled": "Stalled",
    "slowing": "Slowing",
    "active": "Active",
    "landed": "Landed",
}
SOURCE_WORDS = {
    "default": "the usual value",
    "practice": "set by the practice",
    "client": "set for this client",
}
_SHARES = frozenset({"slowing_ratio", "eggs_share"})
_CALENDARS = {"us": "the US calendar", "none": "no calendar (no slow seasons)"}


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"


def _channel(name: str) -> str:
    return str(Channel(name).label) if name in Channel.values else _words(name)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _words(name: str) -> str:
    """A field or threshold name nobody mapped yet, as words (never the name itself)."""
    return name.replace("_", " ").strip()


def threshold_sentence(*, name: str, value: Any, source: str) -> str:
    """One threshold in force as a sentence: "Days without forward progress before a search
    counts as stalled: 14 (the usual value)." The words come from the engine's descriptions."""
    description = DESCRIPTIONS.get(name) or _words(name)
    if name in _SHARES and isinstance(value, int | float):
        shown = f"{round(value * 100)}%"
    elif name == "season_calendar":
        shown = _CALENDARS.get(str(value), str(value))
    elif isinstance(value, float) and value.is_integer():
        shown = str(int(value))
    else:
        shown = str(value)
    where = SOURCE_WORDS.get(source, source)
    return f"{description[:1].upper()}{description[1:]}: {shown} ({where})."


def _evidence(item: dict[str, Any], record_url: RecordUrl | None) -> dict[str, Any]:
    url = (
        record_url(item["record"], item["id"])
        if record_url is not None and item.get("id") is not None
        else None
    )
    text = item.get("note") or RECORD_WORDS.get(item["record"], _words(item["record"]))
    return {"on": _day(item.get("on")), "text": text, "url": url}


def _finding(finding: dict[str, Any], record_url: RecordUrl | None) -> dict[str, Any]:
    category = finding.get("category", "")
    return {
        **finding,
        "severity_words": SEVERITY_WORDS.get(finding["severity"], finding["severity"]),
        "category_words": Category(category).label if category in Category.values else "",
        "fault_words": FAULT_WORDS.get(finding.get("fault", ""), ""),
        "evidence": [_evidence(item, record_url) for item in finding.get("evidence", [])],
        "decided_on": _day((finding.get("disposition") or {}).get("decided_on")),
    }


def _problem(problem: dict[str, Any], record_url: RecordUrl | None) -> dict[str, Any]:
    url = (
        record_url(problem["record"], problem["id"])
        if record_url is not None and problem.get("id") is not None
        else None
    )
    return {
        "record": RECORD_WORDS.get(problem["record"], _words(problem["record"])),
        "field": FIELD_WORDS.get(problem["field"], _words(problem["field"])),
        "value": problem["value"],
        "message": problem["message"],
        "url": url,
    }


def _history(report: dict[str, Any]) -> list[dict[str, Any]]:
    started = date.fromisoformat(report["client"]["search_started_on"])
    rows = []
    for week in report["history"]:
        monday = date.fromisoformat(week["week_start"])
        if monday + timedelta(days=6) < started:
            status = "Before the search started"
        elif week["status"] is None:
            status = "No weekly record kept"
        else:
            status = STATUS_WORDS.get(week["status"], week["status"])
        rows.append(
            {
                "week_start": monday,
                "status": status,
                "open_findings": week["open_findings"],
                "average_weekly_reach": week["average_weekly_reach"],
            }
        )
    return rows


@dataclass(frozen=True, slots=True)
class PracticeHeader:
    name: str
    logo_src: str | None


def practice_header() -> PracticeHeader:
    """The current practice's name, and its logo inline (a `data:` address WeasyPrint reads
    without fetching anything), if it has one (`tenants.branding`)."""
    practice = getattr(connection, "tenant", None)
    name = str(getattr(practice, "name", "") or "")
    src = logo_data_uri(practice) if isinstance(practice, Practice) else None
    return PracticeHeader(name=name, logo_src=src)


def _context(
    report: dict[str, Any], record_url: RecordUrl | None, practice: PracticeHeader | None
) -> dict[str, Any]:
    figures = report["figures"]
    weeks = figures["outreach"]["weeks"]
    goal = figures["outreach"]["goal"]
    scale = max([goal, *(w["contacts"] for w in weeks)]) or 1
    findings = [_finding(f, record_url) for f in report["findings"]]
    in_force = report["thresholds"]["in_force"]
    status = report["status"]
    return {
        "report": report,
        "practice": practice or practice_header(),
        "as_of": date.fromisoformat(report["as_of"]),
        "started_on": date.fromisoformat(report["client"]["search_started_on"]),
        "status_words": STATUS_WORDS.get(status["status"], status["status"]),
        "last_progress_on": _day(status.get("last_progress_on")),
        "data_problems": [_problem(p, record_url) for p in report.get("data_problems", [])],
        "findings": findings,
        "open_findings": [f for f in findings if f["counts"]],
        "disposed_findings": [f for f in findings if not f["counts"]],
        "signals": [
            {**s, "evidence": [_evidence(e, record_url) for e in s.get("evidence", [])]}
            for s in report.get("signals", [])
        ],
        "waiting": report.get("waiting", []),
        "weeks": [
            {
                **week,
                "week_start": date.fromisoformat(week["week_start"]),
                "bar": round(100 * week["contacts"] / scale),
                "channels": ", ".join(
                    f"{_channel(name)} {count}" for name, count in week["by_channel"]
                ),
            }
            for week in weeks
        ],
        "goal_mark": round(100 * goal / scale),
        "stages": [
            {
                **stage,
                "label": _STAGE_LABELS.get(stage["name"], _words(stage["name"])),
                "conversion_text": _percent(stage["conversion"]),
            }
            for stage in figures["funnel"]["stages"]
        ],
        "hygiene": [
            {
                "label": label,
                "done": figures["hygiene"][name]["numerator"],
                "due": figures["hygiene"][name]["denominator"],
                "share": _percent(figures["hygiene"][name]["share"]),
            }
            for name, label in hygiene_labels(
                intro_days={in_force["intro_warning_days"]["value"]},
                thanks_days={in_force["thanks_days"]["value"]},
            ).items()
        ],
        "over_followed_up": figures["hygiene"]["over_followed_up_contacts"],
        "history": _history(report),
        "threshold_sentences": [
            threshold_sentence(name=name, value=value["value"], source=value["source"])
            for name, value in sorted(in_force.items())
        ],
    }


def client_report_html(
    *,
    report: dict[str, Any],
    record_url: RecordUrl | None = None,
    practice: PracticeHeader | None = None,
) -> str:
    """The report as a standalone, printable HTML page (the web app may embed the same)."""
    return render_to_string("insights/client_report.html", _context(report, record_url, practice))


def client_report_pdf_bytes(
    *, report: dict[str, Any], record_url: RecordUrl | None = None
) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango and fonts

    html = client_report_html(report=report, record_url=record_url)
    return bytes(HTML(string=html).write_pdf())


def client_report_pdf(
    *,
    actor: User,
    client_id: int,
    as_of: date | None = None,
    record_url: RecordUrl | None = None,
) -> bytes:
    """The PDF of one client's report, with the same scope and sharing rules as the JSON."""
    report = client_report(actor=actor, client_id=client_id, as_of=as_of)
    return client_report_pdf_bytes(report=report, record_url=record_url)
