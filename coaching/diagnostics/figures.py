"""The dashboard's numbers: outreach per week, the referral funnel, follow-up hygiene."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from coaching.choices import Direction
from coaching.diagnostics.context import Context
from coaching.diagnostics.funnel import FunnelRow, FunnelSummary, funnel_rows, summarize_funnel
from coaching.diagnostics.obligations import Obligation, obligations_of

TREND_WEEKS = 12


@dataclass(frozen=True, slots=True)
class WeekOfOutreach:
    week_start: date
    """Monday, in the client's time zone."""
    iso_week: str
    contacts: int
    by_channel: tuple[tuple[str, int], ...]
    """Distinct contacts per channel; a contact reached on two channels counts in both."""
    met_goal: bool
    partial: bool
    """The week is still running on the "as of" day."""


@dataclass(frozen=True, slots=True)
class OutreachFigures:
    goal: int
    weeks: tuple[WeekOfOutreach, ...]
    average_last_4_weeks: float
    """Rolling 7-day blocks ending on the "as of" day, as the volume rule measures it."""


@dataclass(frozen=True, slots=True)
class Ratio:
    numerator: int
    denominator: int

    @property
    def share(self) -> float | None:
        return round(self.numerator / self.denominator, 4) if self.denominator else None


@dataclass(frozen=True, slots=True)
class HygieneFigures:
    follow_ups_on_time: Ratio
    introductions_acted_on_in_time: Ratio
    meetings_thanked_in_time: Ratio
    outcomes_reported: Ratio
    over_followed_up_contacts: int


@dataclass(frozen=True, slots=True)
class Figures:
    outreach: OutreachFigures
    funnel: FunnelSummary
    funnel_rows: tuple[FunnelRow, ...]
    hygiene: HygieneFigures


def outreach_figures(*, ctx: Context) -> OutreachFigures:
    goal = ctx.thresholds.weekly_goal
    this_monday = ctx.as_of - timedelta(days=ctx.as_of.weekday())
    first_monday = this_monday - timedelta(weeks=TREND_WEEKS - 1)
    totals: list[set[int]] = [set() for _ in range(TREND_WEEKS)]
    channels: list[dict[str, set[int]]] = [defaultdict(set) for _ in range(TREND_WEEKS)]
    for touch in ctx.touches:
        interaction = touch.interaction
        if interaction.direction != Direction.OUTBOUND or touch.day < first_monday:
            continue
        week = (touch.day - first_monday).days // 7
        totals[week].add(interaction.contact_id)
        channels[week][str(interaction.channel)].add(interaction.contact_id)
    weeks = []
    for index in range(TREND_WEEKS):
        monday = first_monday + timedelta(weeks=index)
        year, number, _ = monday.isocalendar()
        weeks.append(
            WeekOfOutreach(
                week_start=monday,
                iso_week=f"{year}-W{number:02d}",
                contacts=len(totals[index]),
                by_channel=tuple(sorted((c, len(ids)) for c, ids in channels[index].items())),
                met_goal=len(totals[index]) >= goal,
                partial=monday + timedelta(days=6) > ctx.as_of,
            )
        )
    blocks = ctx.weekly_reach(weeks=4, ending=ctx.as_of)
    return OutreachFigures(
        goal=goal, weeks=tuple(weeks), average_last_4_weeks=round(sum(blocks) / 4, 2)
    )


def hygiene_figures(*, ctx: Context) -> HygieneFigures:
    """Over the whole search to date: these events are few, a 4-week slice would be noise.
    An item only counts once its deadline has passed or it was done."""
    on_time = settled = 0
    for follow_up in ctx.follow_ups:
        done = ctx.day(follow_up.done_at) if follow_up.done_at else None
        if done is not None and done > ctx.as_of:
            done = None
        if done is None and follow_up.due_on >= ctx.as_of:
            continue
        settled += 1
        on_time += done is not None and done <= follow_up.due_on

    owed = obligations_of(ctx)
    return HygieneFigures(
        follow_ups_on_time=Ratio(on_time, settled),
        introductions_acted_on_in_time=_in_time(owed.calls, as_of=ctx.as_of),
        meetings_thanked_in_time=_in_time(owed.meeting_thanks, as_of=ctx.as_of),
        outcomes_reported=Ratio(
            sum(o.done_on is not None for o in owed.outcomes), len(owed.outcomes)
        ),
        over_followed_up_contacts=sum(c.over_limit for c in owed.chases),
    )


def _in_time(obligations: tuple[Obligation, ...], *, as_of: date) -> Ratio:
    """Of the obligations met or past their deadline, those met by it."""
    settled = [o for o in obligations if o.settled(as_of=as_of)]
    return Ratio(sum(o.in_time(as_of=as_of) for o in settled), len(settled))


def compute_figures(*, ctx: Context) -> Figures:
    rows = funnel_rows(ctx=ctx)
    return Figures(
        outreach=outreach_figures(ctx=ctx),
        funnel=summarize_funnel(rows=rows),
        funnel_rows=rows,
        hygiene=hygiene_figures(ctx=ctx),
    )
