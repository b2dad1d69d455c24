"""What the practice report adds from across the whole practice: each client's cohort benchmarks
(`insights.cohorts`) with the counts behind them, and ask fatigue (`insights.ask_fatigue`). Both
read beyond the reader's own clients to count; only what `coaching.access` lets the reader see
is named (the rows are already the reader's clients)."""

from __future__ import annotations

from datetime import date
from typing import Any

from accounts.models import User
from coaching.insights.ask_fatigue import ASK_FATIGUE, PracticeFinding, practice_findings
from coaching.insights.cohorts import (
    FIGURES,
    MIN_COHORT,
    POSITIONS,
    benchmark_to_dict,
    benchmarks_for,
    cohort_table,
)


def ask_fatigue_to_dict(*, finding: PracticeFinding) -> dict[str, Any]:
    return {
        "person": finding.name,
        "company": finding.company,
        "asks": finding.asks,
        "clients": finding.clients,
        "last_asked_on": finding.last_asked_on.isoformat(),
        "clients_shown": [{"client_id": pk, "name": name} for pk, name in finding.shown_clients],
        "clients_not_shown": finding.hidden_clients,
        "sentence": finding.sentence,
    }


def add_practice_view(*, report: dict[str, Any], actor: User, as_of: date) -> dict[str, Any]:
    """`report` (a practice report) with `benchmarks` on each client row, `cohorts` (per figure,
    the reader's clients below, within and above the middle half, by id), `clients_behind` (the
    reader's clients behind each status and reason count, by id) and `ask_fatigue`."""
    table = cohort_table(as_of=as_of)
    groups: dict[str, dict[str, list[int]]] = {
        figure: {"below": [], "within": [], "above": [], "not_compared": []} for figure in FIGURES
    }
    for row in report["clients"]:
        benchmarks = benchmarks_for(table=table, client_id=row["client_id"])
        row["benchmarks"] = benchmark_to_dict(benchmarks=benchmarks)
        compared = {b.figure: b.position for b in benchmarks.benchmarks}
        for figure in FIGURES:
            groups[figure][compared.get(figure) or "not_compared"].append(row["client_id"])
    behind: dict[str, dict[str, list[int]]] = {"status": {}, "reason": {}}
    for row in report["clients"]:  # already in the report's order: exceptions first
        behind["status"].setdefault(row["status"], []).append(row["client_id"])
        for code in row["open_codes"]:
            behind["reason"].setdefault(code, []).append(row["client_id"])
    report["clients_behind"] = behind
    report["cohorts"] = {
        "minimum_cohort": MIN_COHORT,
        "positions": POSITIONS,
        "figures": [
            {"figure": figure, "label": label, **groups[figure]}
            for figure, label in FIGURES.items()
        ],
    }
    report["ask_fatigue"] = {
        "thresholds": {
            "asks": ASK_FATIGUE.asks,
            "days": ASK_FATIGUE.days,
            "clients": ASK_FATIGUE.clients,
        },
        "people": [
            ask_fatigue_to_dict(finding=f) for f in practice_findings(actor=actor, as_of=as_of)
        ],
    }
    return report
