"""The referral funnel: requested, made, contacted, meeting, hiring authority, interview, offer.

Each introduction becomes one raw row (the day it reached each stage). Rows from many clients
concatenate, so the same summary serves one client, one introducer and the whole practice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from statistics import median
from types import MappingProxyType

from coaching.choices import ApplicationStatus, MeetingPurpose
from coaching.diagnostics.context import Context
from coaching.diagnostics.snapshot import DataProblem

STAGES = (
    "requested",
    "made",
    "contacted",
    "meeting",
    "hiring_authority",
    "interview",
    "offer",
)


@dataclass(frozen=True, slots=True)
class FunnelRow:
    client_id: int
    introduction_id: int
    introducer_id: int
    days: tuple[date | None, ...]
    """The day each stage was reached, aligned with STAGES; None when unknown or not reached."""
    reached: int
    """How many stages the introduction got through (a later stage implies the earlier ones,
    even when their day was not recorded)."""
    out_of_order: tuple[str, ...] = ()
    """Stages recorded on an earlier day than the stage before them: a data problem on the
    introduction, left out of the median days (never averaged as a negative gap)."""


@dataclass(frozen=True, slots=True)
class FunnelStage:
    name: str
    count: int
    conversion: float | None
    """Share of the previous stage's introductions that reached this one."""
    median_days: float | None
    """Median days from the previous stage, over introductions with both days recorded in
    order (a step recorded before the one it follows is a data problem, not a gap)."""


@dataclass(frozen=True, slots=True)
class FunnelSummary:
    stages: tuple[FunnelStage, ...]
    introductions: int

    @property
    def days_to_first_contact(self) -> float | None:
        """The headline hygiene figure: median days from introduction made to first contact."""
        return self.stages[STAGES.index("contacted")].median_days


def funnel_rows(*, ctx: Context) -> tuple[FunnelRow, ...]:
    interviews_for: dict[int, list[date]] = {}
    for meeting in ctx.held_meetings:
        if meeting.purpose == MeetingPurpose.INTERVIEW and meeting.application_id is not None:
            interviews_for.setdefault(meeting.application_id, []).append(
                ctx.meeting_day[meeting.id]
            )
    rows = []
    for intro in ctx.introductions:
        held = [
            (ctx.meeting_day[m.id], m.purpose)
            for m in ctx.meetings_by_introduction.get(intro.id, ())
        ]
        target = ctx.contacts.get(intro.target_id)
        contacted = ctx.day(intro.first_contact_at) if intro.first_contact_at else None
        authority = (
            ctx.day(intro.reached_hiring_authority_at)
            if intro.reached_hiring_authority_at
            else (contacted if target is not None and target.is_hiring_authority else None)
        )
        interview_days = [d for d, purpose in held if purpose == MeetingPurpose.INTERVIEW]
        app = ctx.applications.get(intro.application_id) if intro.application_id else None
        if app is not None:
            interview_days += interviews_for.get(app.id, [])
        offered = app is not None and (
            app.offer_on is not None
            or app.status in (ApplicationStatus.OFFER, ApplicationStatus.ACCEPTED)
        )
        days = (
            ctx.day(intro.requested_at) if intro.requested_at else None,
            ctx.day(intro.made_at) if intro.made_at else None,
            contacted,
            min((d for d, _ in held), default=None),
            authority,
            min(interview_days, default=None),
            app.offer_on if app is not None else None,
        )
        flags = [d is not None for d in days]
        flags[-1] = flags[-1] or offered
        reached = max((i + 1 for i, hit in enumerate(flags) if hit), default=0)
        disorder = tuple(
            STAGES[i]
            for i in range(1, len(STAGES))
            if (start := days[i - 1]) is not None and (end := days[i]) is not None and end < start
        )
        rows.append(
            FunnelRow(ctx.client.id, intro.id, intro.introducer_id, days, reached, disorder)
        )
    return tuple(rows)


def merge_funnels(*, funnels: Iterable[Iterable[FunnelRow]]) -> tuple[FunnelRow, ...]:
    """Rows of many clients as one, in a stable order."""
    return tuple(
        sorted(
            (row for rows in funnels for row in rows),
            key=lambda r: (r.client_id, r.introduction_id),
        )
    )


def summarize_funnel(
    *,
    rows: Iterable[FunnelRow],
    where: Callable[[FunnelRow], bool] | None = None,
) -> FunnelSummary:
    """Counts, conversion and median days per stage; ``where`` narrows the rows (e.g. one
    introducer: ``lambda r: (r.client_id, r.introducer_id) in same_person``)."""
    selected = [r for r in rows if where is None or where(r)]
    stages = []
    previous_count: int | None = None
    for index, name in enumerate(STAGES):
        count = sum(1 for r in selected if r.reached > index)
        gaps = []
        for row in selected if index else ():
            start, end = row.days[index - 1], row.days[index]
            if start is not None and end is not None and end >= start:
                gaps.append((end - start).days)
        stages.append(
            FunnelStage(
                name=name,
                count=count,
                conversion=(round(count / previous_count, 4) if previous_count else None),
                median_days=round(float(median(gaps)), 1) if gaps else None,
            )
        )
        previous_count = count
    return FunnelSummary(stages=tuple(stages), introductions=len(selected))


STAGE_WORDS = MappingProxyType(
    {
        "requested": "requested",
        "made": "made",
        "contacted": "first contacted by the client",
        "meeting": "first meeting held",
        "hiring_authority": "reached a hiring authority",
        "interview": "first interview",
        "offer": "offer",
    }
)
_STAGE_FIELDS = MappingProxyType(
    {
        "requested": "requested_at",
        "made": "made_at",
        "contacted": "first_contact_at",
        "meeting": "meeting",
        "hiring_authority": "reached_hiring_authority_at",
        "interview": "interview",
        "offer": "offer",
    }
)


def order_problems(*, rows: Iterable[FunnelRow]) -> tuple[DataProblem, ...]:
    """One data problem per step recorded before the step it follows, on its introduction."""
    problems = []
    for row in rows:
        for stage in row.out_of_order:
            index = STAGES.index(stage)
            day, before = row.days[index], row.days[index - 1]
            problems.append(
                DataProblem(
                    "introduction",
                    row.introduction_id,
                    _STAGE_FIELDS[stage],
                    day.isoformat() if day else "",
                    f"Recorded as {STAGE_WORDS[stage]} on {day}, before "
                    f"{STAGE_WORDS[STAGES[index - 1]]} on {before}. The steps are out of order, "
                    "so the funnel's median days leave this step out until it is corrected.",
                )
            )
    return tuple(problems)
