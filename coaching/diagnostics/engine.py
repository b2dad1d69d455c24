"""The entry point: one client's snapshot, an "as of" day and thresholds in, a diagnosis out.

Pure and deterministic: no database, no clock, no I/O. The same input gives the same output,
down to the bytes of :func:`diagnosis_to_json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from coaching.diagnostics.context import Context
from coaching.diagnostics.dispositions import apply_dispositions
from coaching.diagnostics.figures import Figures, compute_figures
from coaching.diagnostics.findings import Finding, Severity, sort_key
from coaching.diagnostics.funnel import order_problems
from coaching.diagnostics.history import Waiting, waiting_for_history
from coaching.diagnostics.obligations import Obligations, obligations_of
from coaching.diagnostics.problems import screen
from coaching.diagnostics.rules import RULES
from coaching.diagnostics.signals import Signal, positive_signals
from coaching.diagnostics.snapshot import DataProblem, Snapshot
from coaching.diagnostics.status import SearchStatus, StatusReport, search_status
from coaching.diagnostics.thresholds import InvalidThresholds, Thresholds, with_client_goal
from coaching.diagnostics.todos import CoachTodo, coach_todos

ENGINE_VERSION = "2"
"""Bumped when the rules change what they raise (2: coach to-dos, history thresholds, interviews
never networking, positive signals), so stored snapshots say which rules produced them."""


@dataclass(frozen=True, slots=True)
class FindingCounts:
    """Open findings only: disposed ones are listed but not counted."""

    critical: int
    warning: int
    info: int
    disposed: int

    @property
    def total(self) -> int:
        return self.critical + self.warning + self.info


@dataclass(frozen=True, slots=True)
class Diagnosis:
    client_id: int
    as_of: date
    status: StatusReport
    findings: tuple[Finding, ...]
    counts: FindingCounts
    figures: Figures
    thresholds: Thresholds
    engine_version: str = ENGINE_VERSION
    data_problems: tuple[DataProblem, ...] = ()
    """Stored values the diagnosis could not use and left out (``problems.screen``): each names
    its record so it can be corrected. Everything else is diagnosed as usual."""
    obligations: Obligations = field(default_factory=Obligations)
    """What the client owes as of the day (``obligations``): the rules judge these, and the
    dashboard, the portal and the practice report list them."""
    coach_todos: tuple[CoachTodo, ...] = ()
    """Gaps in the coach's own inputs (``todos``): shown to the coach, never findings."""
    waiting: tuple[Waiting, ...] = ()
    """Rules not judged yet for lack of history (``history``): not findings."""
    signals: tuple[Signal, ...] = ()
    """What is working (``signals``), listed next to the findings; never counted."""

    @property
    def open_codes(self) -> tuple[str, ...]:
        """Distinct codes with at least one counting finding, for practice-wide tallies."""
        return tuple(sorted({f.code for f in self.findings if f.counts}))


def run_rule(
    *, code: str, snapshot: Snapshot, as_of: date, thresholds: Thresholds
) -> list[Finding]:
    """One rule on its own (for tests and for explaining a single code)."""
    snapshot = screen(snapshot)
    thresholds, _ = _with_goal(snapshot=snapshot, thresholds=thresholds)
    ctx = Context(snapshot=snapshot, as_of=as_of, thresholds=thresholds)
    return sorted(RULES[code](ctx=ctx), key=sort_key)


def diagnose(*, snapshot: Snapshot, as_of: date, thresholds: Thresholds) -> Diagnosis:
    """Status, ranked findings and figures for one client as of the end of ``as_of``.

    The client's own weekly goal (``snapshot.client.weekly_goal``) is folded into the
    thresholds unless a client-level override already set it. Landed clients get a status and
    figures but no findings; a day before the search started gets no findings either (the
    practice report's month-ago tallies count each search only from its start). Stored values
    the engine cannot use (a date out of range, an unknown time zone, a goal out of bounds)
    are left out and listed in ``data_problems``, as are funnel steps recorded out of order.
    Coach to-dos, rules waiting for more history and positive signals come apart from the
    findings and are never counted as findings.
    """
    snapshot = screen(snapshot)
    thresholds, goal_problems = _with_goal(snapshot=snapshot, thresholds=thresholds)
    ctx = Context(snapshot=snapshot, as_of=as_of, thresholds=thresholds)
    status = search_status(ctx=ctx)
    findings: list[Finding] = []
    diagnosed = status.status != SearchStatus.LANDED and ctx.search_days > 0
    if diagnosed:
        for rule in RULES.values():
            findings.extend(rule(ctx=ctx))
        findings = apply_dispositions(
            findings=findings, dispositions=snapshot.dispositions, as_of=as_of
        )
        findings.sort(key=sort_key)
    counting = [f for f in findings if f.counts]
    figures = compute_figures(ctx=ctx)
    return Diagnosis(
        client_id=snapshot.client.id,
        as_of=as_of,
        status=status,
        findings=tuple(findings),
        counts=FindingCounts(
            critical=sum(f.severity == Severity.CRITICAL for f in counting),
            warning=sum(f.severity == Severity.WARNING for f in counting),
            info=sum(f.severity == Severity.INFO for f in counting),
            disposed=len(findings) - len(counting),
        ),
        figures=figures,
        thresholds=thresholds,
        data_problems=(
            *(snapshot.problems or ()),
            *goal_problems,
            *order_problems(rows=figures.funnel_rows),
        ),
        obligations=obligations_of(ctx),
        coach_todos=coach_todos(ctx=ctx) if diagnosed else (),
        waiting=waiting_for_history(ctx=ctx) if diagnosed else (),
        signals=positive_signals(ctx=ctx) if diagnosed else (),
    )


def _with_goal(
    *, snapshot: Snapshot, thresholds: Thresholds
) -> tuple[Thresholds, tuple[DataProblem, ...]]:
    """The client's own goal folded in; one that is out of bounds is left out and reported."""
    goal = snapshot.client.weekly_goal
    try:
        return with_client_goal(thresholds=thresholds, weekly_goal=goal), ()
    except InvalidThresholds as problem:
        messages = " ".join(m for ms in problem.errors.values() for m in ms)
        return thresholds, (
            DataProblem(
                "client",
                snapshot.client.id,
                "weekly_outreach_goal",
                str(goal),
                f"{messages} The practice's weekly goal applies until it is corrected.",
            ),
        )
