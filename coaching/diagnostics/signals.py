"""What is working: the positive signals listed next to the findings.

A report that only lists problems hides what the client should keep doing. Each signal is
measured the way the matching rule or figure measures the other side (the same obligations, the
same weekly reach, the same window), so a signal and a finding never disagree about one record.
Signals are never counted, ranked or disposed of like findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from coaching.diagnostics.context import Context
from coaching.diagnostics.findings import Evidence
from coaching.diagnostics.history import too_early
from coaching.diagnostics.obligations import Obligation, obligations_of
from coaching.diagnostics.rules.common import num, plural
from coaching.vocabulary import TextChoices


class SignalCode(TextChoices):
    """Additive to the failure codes; like them, stable once published."""

    INTROS_ACTED_ON_QUICKLY = "intros_acted_on_quickly", "Introductions acted on quickly"
    THANKS_ON_TIME = "thanks_on_time", "Thank-yous sent on time"
    OUTREACH_AT_GOAL = "outreach_at_goal", "Outreach at or above the goal"
    GROWING_FUNNEL = "growing_funnel", "More introductions coming in"
    FOLLOW_UPS_ON_TIME = "follow_ups_on_time", "Follow-ups done on time"


@dataclass(frozen=True, slots=True)
class Signal:
    code: str
    title: str
    sentence: str
    evidence: tuple[Evidence, ...]
    observed_on: date


def _signal(code: SignalCode, sentence: str, evidence: list[Evidence], on: date) -> Signal:
    return Signal(code.value, str(code.label), sentence, tuple(evidence), on)


def _all_in_time(ctx: Context, owed: tuple[Obligation, ...]) -> list[Obligation] | None:
    """The window's obligations that are settled, when there is one and every one was met in
    time; None otherwise."""
    settled = [o for o in owed if ctx.in_window(o.since_on) and o.settled(as_of=ctx.as_of)]
    if not settled or not all(o.in_time(as_of=ctx.as_of) for o in settled):
        return None
    return settled


def _intros_acted_on(ctx: Context) -> Signal | None:
    calls = _all_in_time(ctx, obligations_of(ctx).calls)
    if calls is None:
        return None
    within = ctx.thresholds.intro_warning_days
    evidence = [
        Evidence(
            "introduction",
            c.record[1],
            c.done_on,
            f"Contacted {ctx.contact_name(c.owed_to)} {plural(c.days(as_of=ctx.as_of), 'day')} "
            "after the introduction",
        )
        for c in calls
    ]
    return _signal(
        SignalCode.INTROS_ACTED_ON_QUICKLY,
        f"{plural(len(calls), 'introduction')} in the last {ctx.thresholds.window_days} days, "
        f"every one followed up within {plural(within, 'day')}",
        evidence,
        max(c.done_on or c.since_on for c in calls),
    )


def _thanks_on_time(ctx: Context) -> Signal | None:
    owed = obligations_of(ctx)
    thanks = _all_in_time(ctx, (*owed.meeting_thanks, *owed.introducer_thanks))
    if thanks is None:
        return None
    evidence = [
        Evidence(t.record[0], t.record[1], t.done_on, f"Thanked {ctx.contact_name(t.owed_to)}")
        for t in thanks
    ]
    return _signal(
        SignalCode.THANKS_ON_TIME,
        f"{plural(len(thanks), 'thank-you')} owed in the last {ctx.thresholds.window_days} "
        f"days, every one sent within {plural(ctx.thresholds.thanks_days, 'day')}",
        evidence,
        max(t.done_on or t.since_on for t in thanks),
    )


def _outreach_at_goal(ctx: Context) -> Signal | None:
    t = ctx.thresholds
    weeks = min(t.window_days // 7, ctx.search_days // 7)
    if too_early(ctx=ctx, code="low_outreach_volume") or weeks < 1:
        return None
    average = sum(ctx.weekly_reach(weeks=weeks, ending=ctx.as_of)) / weeks
    if average < t.weekly_goal:
        return None
    first = ctx.as_of - timedelta(days=7 * weeks - 1)
    return _signal(
        SignalCode.OUTREACH_AT_GOAL,
        f"{num(average)} contacts/week vs. a goal of {t.weekly_goal} "
        f"(average over the last {plural(weeks, 'week')})",
        [Evidence("period", None, first, f"{plural(weeks, 'week')} from this date")],
        ctx.as_of,
    )


def _growing_funnel(ctx: Context) -> Signal | None:
    """More introductions made for the client in the last half of the window than in the half
    before (at least two)."""
    half = ctx.thresholds.window_days // 2
    recent_from = ctx.as_of - timedelta(days=half - 1)
    earlier_from = recent_from - timedelta(days=half)
    recent, earlier = [], 0
    for intro in ctx.introductions:
        if intro.made_at is None:
            continue
        day = ctx.day(intro.made_at)
        if recent_from <= day <= ctx.as_of:
            recent.append((intro, day))
        elif earlier_from <= day < recent_from:
            earlier += 1
    if len(recent) < 2 or len(recent) <= earlier:
        return None
    return _signal(
        SignalCode.GROWING_FUNNEL,
        f"{plural(len(recent), 'introduction')} made in the last {half} days, "
        f"up from {earlier} in the {half} days before",
        [
            Evidence(
                "introduction",
                intro.id,
                day,
                f"Introduced to {ctx.contact_name(intro.target_id)} by "
                f"{ctx.contact_name(intro.introducer_id)}",
            )
            for intro, day in recent
        ],
        max(day for _, day in recent),
    )


def _follow_ups_on_time(ctx: Context) -> Signal | None:
    done = []
    for follow_up in ctx.follow_ups:
        if not ctx.in_window(follow_up.due_on) or follow_up.due_on >= ctx.as_of:
            continue
        day = ctx.day(follow_up.done_at) if follow_up.done_at else None
        if day is None or day > ctx.as_of or day > follow_up.due_on:
            return None
        done.append((follow_up, day))
    if len(done) < 2:
        return None
    return _signal(
        SignalCode.FOLLOW_UPS_ON_TIME,
        f"{plural(len(done), 'follow-up')} due in the last {ctx.thresholds.window_days} days, "
        "every one done by its day",
        [
            Evidence("follow_up", f.id, day, f"Followed up with {ctx.contact_name(f.contact_id)}")
            for f, day in done
        ],
        max(day for _, day in done),
    )


def positive_signals(*, ctx: Context) -> tuple[Signal, ...]:
    """What is going well as of the day, in a fixed order."""
    found = (
        _outreach_at_goal(ctx),
        _intros_acted_on(ctx),
        _thanks_on_time(ctx),
        _follow_ups_on_time(ctx),
        _growing_funnel(ctx),
    )
    return tuple(s for s in found if s is not None)
