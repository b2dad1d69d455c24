"""The client report as printable HTML and as a PDF (WeasyPrint), from the same template.

The template only reads the report dict (`insights.reports.build_client_report`), so the PDF says
exactly what the JSON says. Links to records need the web app's URLs: pass `record_url`, a
function of (record type, id) that returns a URL or None, and evidence becomes links.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.template.loader import render_to_string

from accounts.models import User
from coaching.insights.reports import client_report
from coaching.insights.summaries import hygiene_labels

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


def _percent(share: float | None) -> str:
    return "—" if share is None else f"{round(share * 100)}%"


def _context(report: dict[str, Any], record_url: RecordUrl | None) -> dict[str, Any]:
    figures = report["figures"]
    weeks = figures["outreach"]["weeks"]
    goal = figures["outreach"]["goal"]
    scale = max([goal, *(w["contacts"] for w in weeks)]) or 1
    findings = []
    for finding in report["findings"]:
        evidence = [
            {
                **item,
                "url": record_url(item["record"], item["id"])
                if record_url is not None and item["id"] is not None
                else None,
            }
            for item in finding["evidence"]
        ]
        findings.append({**finding, "evidence": evidence})
    data_problems = [
        {
            **problem,
            "url": record_url(problem["record"], problem["id"])
            if record_url is not None and problem["id"] is not None
            else None,
        }
        for problem in report.get("data_problems", [])
    ]
    in_force = report["thresholds"]["in_force"]
    return {
        "report": report,
        "data_problems": data_problems,
        "findings": findings,
        "open_findings": [f for f in findings if f["counts"]],
        "disposed_findings": [f for f in findings if not f["counts"]],
        "weeks": [
            {
                **week,
                "bar": round(100 * week["contacts"] / scale),
                "channels": ", ".join(f"{name} {count}" for name, count in week["by_channel"]),
            }
            for week in weeks
        ],
        "goal_mark": round(100 * goal / scale),
        "stages": [
            {
                **stage,
                "label": _STAGE_LABELS.get(stage["name"], stage["name"]),
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
        "thresholds": [
            {"name": name, **value}
            for name, value in sorted(report["thresholds"]["in_force"].items())
        ],
    }


def client_report_html(*, report: dict[str, Any], record_url: RecordUrl | None = None) -> str:
    """The report as a standalone, printable HTML page (the web app may embed the same)."""
    return render_to_string("insights/client_report.html", _context(report, record_url))


def client_report_pdf_bytes(
    *, report: dict[str, Any], record_url: RecordUrl | None = None
) -> bytes:
    from weasyprint import HTML  # imported on use: it loads Pango and fonts

    return bytes(HTML(string=client_report_html(report=report, record_url=record_url)).write_pdf())


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
