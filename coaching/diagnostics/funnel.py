"""The referral funnel: requested, made, contacted, meeting, hiring authority, interview, offer.

Each introduction becomes one raw row (the day it reached each stage). Rows from many clients
concatenate, so the same summary serves one client, one introducer and the whole practice.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from statistics import median

from coaching.choices import ApplicationStatus, MeetingPurpose
from coaching.diagnostics.context import Context

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


@dataclass(frozen=True, slots=True)
class FunnelStage:
    name: str
    count: int
    conversion: float | None
    """Share of the previous stage's introductions that reached this one."""
    median_days: float | None
    """Median days from the previous stage, over introductions with both days recorded."""


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
        rows.append(FunnelRow(ctx.client.id, intro.id, intro.introducer_id, days, reached))
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
            if start is not None and end is not None:
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
