"""Where the search stands: landed, stalled, slowing or active."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from coaching.choices import ApplicationStatus, ClientStatus
from coaching.diagnostics.context import Context
from coaching.vocabulary import TextChoices


class SearchStatus(TextChoices):
    ACTIVE = "active", "Active"
    SLOWING = "slowing", "Slowing"
    STALLED = "stalled", "Stalled"
    LANDED = "landed", "Landed"


@dataclass(frozen=True, slots=True)
class StatusReport:
    status: SearchStatus
    last_progress_on: date | None
    """Last real conversation, introduction made, meeting held, interview or offer."""
    days_without_progress: int
    recent_weekly_reach: float
    """Distinct contacts reached per week over the recent period (default 2 weeks)."""
    baseline_weekly_reach: float
    """The same over the period before it (default 4 weeks)."""
    reason: str


def landed_on(*, ctx: Context) -> date | None:
    """The day the client landed, if they had by ``as_of`` (unknown day: the search start)."""
    client = ctx.client
    if client.status == ClientStatus.LANDED and (
        client.landed_on is None or client.landed_on <= ctx.as_of
    ):
        return client.landed_on or client.search_started_on
    accepted = [
        a.offer_on or ctx.as_of
        for a in ctx.applications.values()
        if a.status == ApplicationStatus.ACCEPTED
        and (a.offer_on is None or a.offer_on <= ctx.as_of)
    ]
    return min(accepted, default=None)


def last_progress(*, ctx: Context) -> date | None:
    """Forward progress only: applications sent, rejections, thank-yous and bare email replies
    do not move a search forward."""
    days = [c.day for c in ctx.conversations]
    days += [ctx.day(i.made_at) for i in ctx.introductions if i.made_at is not None]
    days += [ctx.meeting_day[m.id] for m in ctx.held_meetings]
    days += [a.offer_on for a in ctx.applications.values() if a.offer_on is not None]
    return max(days, default=None)


def search_status(*, ctx: Context) -> StatusReport:
    t = ctx.thresholds
    progress = last_progress(ctx=ctx)
    since = max(d for d in (progress, ctx.client.search_started_on) if d is not None)
    quiet = max(0, ctx.days_since(since))
    recent_weeks = t.slowing_recent_days // 7
    baseline_weeks = t.slowing_baseline_days // 7
    recent = sum(ctx.weekly_reach(weeks=recent_weeks, ending=ctx.as_of)) / recent_weeks
    baseline = (
        sum(
            ctx.weekly_reach(
                weeks=baseline_weeks, ending=ctx.as_of - timedelta(days=t.slowing_recent_days)
            )
        )
        / baseline_weeks
    )

    def report(status: SearchStatus, reason: str) -> StatusReport:
        return StatusReport(
            status=status,
            last_progress_on=progress,
            days_without_progress=quiet,
            recent_weekly_reach=round(recent, 2),
            baseline_weekly_reach=round(baseline, 2),
            reason=reason,
        )

    landed = landed_on(ctx=ctx)
    if landed is not None:
        return report(SearchStatus.LANDED, f"Landed on {landed}")
    if quiet > t.stalled_days:
        what = f"since {progress}" if progress else "since the search started"
        return report(
            SearchStatus.STALLED,
            f"No forward progress for {quiet} days {what} (stalled after {t.stalled_days})",
        )
    if baseline > 0 and recent < t.slowing_ratio * baseline:
        return report(
            SearchStatus.SLOWING,
            f"Outreach fell to {recent:.1f} contacts/week over the last "
            f"{t.slowing_recent_days} days, from {baseline:.1f} in the "
            f"{t.slowing_baseline_days} days before",
        )
    if ctx.search_days == 0:
        return report(SearchStatus.ACTIVE, f"The search starts on {ctx.client.search_started_on}")
    progressed = (
        f"Forward progress within the last {t.stalled_days} days"
        if progress is not None and ctx.days_since(progress) <= t.stalled_days
        else f"Search started {_ago(ctx.search_days - 1)}, no forward progress yet"
    )
    return report(SearchStatus.ACTIVE, f"{progressed}; {_outreach(ctx=ctx)}")


def _ago(count: int) -> str:
    return "today" if count == 0 else f"{_days(count)} ago"


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"


def _outreach(*, ctx: Context) -> str:
    """Outreach in the volume rule's own measure, so the line never contradicts the tiles."""
    t = ctx.thresholds
    if ctx.search_days < t.volume_history_days:
        return (
            f"too early to judge outreach ({_days(ctx.search_days)} of search, judged from "
            f"{t.volume_history_days})"
        )
    weeks = min(t.window_days // 7, ctx.search_days // 7)
    average = sum(ctx.weekly_reach(weeks=weeks, ending=ctx.as_of)) / weeks
    shown = f"{average:.1f}".removesuffix(".0")
    over = f"the last {weeks} weeks" if weeks > 1 else "the last week"
    if average >= t.weekly_goal:
        return f"outreach at goal ({shown} contacts/week over {over} vs. {t.weekly_goal})"
    return f"outreach below goal ({shown} contacts/week over {over} vs. {t.weekly_goal})"
