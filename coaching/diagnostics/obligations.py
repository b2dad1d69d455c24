"""What the client owes, to whom, and since when: the one definition every part of Warmpath reads.

- **A call**: an introduction was made (a warm introduction or a forwarded resume: either way
  the target now has the client's name) and the client has not contacted the target yet. Owed
  from the introduction, within `intro_warning_days` (`intro_critical_days` is the alarm).
- **A thank-you after a meeting**: a networking or informational meeting, or any meeting an
  introduction led to, was held. Owed from the meeting, within `thanks_days`.
- **A thank-you to an introducer**: from the introduction, within `thanks_days`.
- **The outcome, to the introducer**: once the introduction led to a held meeting or was closed
  (whichever came first), the introducer should hear how it went; within `thanks_days`.
- **A contact at the follow-up limit**: the client's follow-ups since the contact last answered
  reached `over_follow_up`; the next move is the contact's (`Chase`).

A thank-you or an outcome report is met by the record's own field (`thanked_at`,
`outcome_reported_at`) or by an outbound message of that kind to the person, on the day the
obligation arose or later. Every deadline is a threshold in force for the client, never a
constant.

The rules (`intro_not_acted_on`, `no_thanks_or_outcome`, `contact_lacks_leverage`, `stalemate`,
`over_follow_up`), the figures, the dashboard, the portal's Today, the practice report, the
reminders and the calendar feed all read these. Pure: a `Context` (the snapshot as of a day, in
the client's zone, with its thresholds) in, obligations out. The one question the database side
asks by itself, "which introductions are waiting for the client's call at this moment", is
`awaits_call` here and `coaching.selectors.awaiting_call` there; a test proves the two agree.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from coaching.choices import ASK_KINDS, Direction, InteractionKind, IntroductionStatus
from coaching.diagnostics.snapshot import Introduction, Meeting, RecordId
from coaching.diagnostics.thresholds import Thresholds

if TYPE_CHECKING:
    from coaching.diagnostics.context import Context, Touch


AWAITS_REPLY = frozenset({InteractionKind.FOLLOW_UP, InteractionKind.OUTREACH, *ASK_KINDS})
"""Message kinds that wait for an answer: follow-ups (a fresh outreach message to someone the
client already talked to is one too) and asks. A thank-you, an outcome report or a conversation
record waits for nothing."""


class Owed(StrEnum):
    """What is owed. The values name the portal's "done" actions too."""

    CALL = "call"
    MEETING_THANKS = "thanks_meeting"
    INTRODUCER_THANKS = "thanks_introduction"
    OUTCOME = "outcome"


@dataclass(frozen=True, slots=True)
class Obligation:
    owed: Owed
    owed_to: RecordId
    """The contact: the target, the person met, or the introducer."""
    since: datetime
    since_on: date
    """`since` as a day in the client's zone."""
    within_days: int
    """The threshold in force: the deadline is this many days after `since`."""
    done_on: date | None
    """The day the records show it met (None while they do not)."""
    introduction: Introduction | None = None
    """The introduction behind it (for a meeting's thank-you: the one that led to the meeting,
    when the snapshot has it)."""
    meeting: Meeting | None = None
    """The meeting thanked for, or the first meeting an outcome is owed for."""

    @property
    def record(self) -> tuple[str, RecordId]:
        """Where it is recorded: ("meeting", id) for a meeting's thank-you, else the
        introduction."""
        if self.owed is Owed.MEETING_THANKS and self.meeting is not None:
            return "meeting", self.meeting.id
        assert self.introduction is not None
        return "introduction", self.introduction.id

    @property
    def due_on(self) -> date:
        return self.since_on + timedelta(days=self.within_days)

    @property
    def due_at(self) -> datetime:
        """The deadline as an instant (reminders count hours, not calendar days)."""
        return self.since + timedelta(days=self.within_days)

    @property
    def pending(self) -> bool:
        """Still owed: not met, and (for a call) the introduction is still open."""
        if self.done_on is not None:
            return False
        return self.owed is not Owed.CALL or _is_open(self.introduction)

    def days(self, *, as_of: date) -> int:
        """Days from `since` to the day it was met, or to `as_of` while it is not."""
        return ((self.done_on or as_of) - self.since_on).days

    def in_time(self, *, as_of: date) -> bool:
        return self.done_on is not None and self.days(as_of=as_of) <= self.within_days

    def settled(self, *, as_of: date) -> bool:
        """Met, or past its deadline: what the hygiene figures count."""
        return self.done_on is not None or self.days(as_of=as_of) > self.within_days

    def missed(self, *, as_of: date) -> bool:
        """Past its deadline and not met by it."""
        return as_of > self.due_on and not self.in_time(as_of=as_of)


@dataclass(frozen=True, slots=True)
class Chase:
    """A contact who has not answered the client since their last two-way exchange."""

    contact_id: RecordId
    unanswered: tuple[Touch, ...]
    """Every outbound message since then, oldest first."""
    follow_ups: tuple[Touch, ...]
    """Those that were follow-ups."""
    limit: int
    """`over_follow_up` in force."""

    @property
    def awaiting_reply(self) -> tuple[Touch, ...]:
        """The unanswered messages that expect an answer (`AWAITS_REPLY`)."""
        return tuple(p for p in self.unanswered if p.interaction.kind in AWAITS_REPLY)

    @property
    def at_limit(self) -> bool:
        """Enough follow-ups sent: leave it to the contact (the reminders stop nudging)."""
        return len(self.follow_ups) >= self.limit

    @property
    def over_limit(self) -> bool:
        """More than enough (`over_follow_up` fires)."""
        return len(self.follow_ups) > self.limit


@dataclass(frozen=True, slots=True)
class Obligations:
    calls: tuple[Obligation, ...] = ()
    """One per introduction made, met or not, open or ended."""
    meeting_thanks: tuple[Obligation, ...] = ()
    introducer_thanks: tuple[Obligation, ...] = ()
    outcomes: tuple[Obligation, ...] = ()
    chases: tuple[Chase, ...] = ()
    """Every contact with outbound messages they have not answered."""

    @property
    def waiting_calls(self) -> tuple[Obligation, ...]:
        """Introductions whose target still waits for the client's first contact."""
        return tuple(c for c in self.calls if c.pending)

    @property
    def thanks_and_outcomes_owed(self) -> tuple[Obligation, ...]:
        """Thank-yous and outcome reports not sent yet, oldest first."""
        owed = (*self.meeting_thanks, *self.introducer_thanks, *self.outcomes)
        return tuple(sorted((o for o in owed if o.pending), key=_oldest_first))

    def chase_of(self, contact_id: RecordId) -> Chase | None:
        return next((c for c in self.chases if c.contact_id == contact_id), None)


def _oldest_first(o: Obligation) -> tuple[datetime, str, RecordId]:
    record, pk = o.record
    return o.since, f"{o.owed}:{record}", pk


def _is_open(introduction: Introduction | None) -> bool:
    return introduction is not None and introduction.status == IntroductionStatus.OPEN


def awaits_call(introduction: Introduction, *, at: datetime) -> bool:
    """True when, at the moment `at`, the introduction was made, its target had not heard from
    the client, and it had not ended. Any kind: a forwarded resume waits like an introduction.
    `coaching.selectors.awaiting_call` asks the database the same question."""
    made, contacted = introduction.made_at, introduction.first_contact_at
    ended = introduction.ended_at
    if made is None or made > at:
        return False
    if contacted is not None and contacted <= at:
        return False
    return introduction.status == IntroductionStatus.OPEN or (ended is not None and ended > at)


def call_owed(
    introduction: Introduction, *, day: Callable[[datetime], date], thresholds: Thresholds
) -> Obligation:
    """The call owed for a made introduction; `day` turns an instant into the client's day."""
    assert introduction.made_at is not None
    contacted = introduction.first_contact_at
    return Obligation(
        Owed.CALL,
        introduction.target_id,
        introduction.made_at,
        day(introduction.made_at),
        thresholds.intro_warning_days,
        day(contacted) if contacted is not None else None,
        introduction=introduction,
    )


def call_severity(call: Obligation, *, thresholds: Thresholds, now: datetime) -> str:
    """How late a waiting call is at the moment `now`, in hours as the reminders count them:
    "due" before the warning threshold, "late" from it, "critical" from the critical one."""
    if now >= call.since + timedelta(days=thresholds.intro_critical_days):
        return "critical"
    return "late" if now >= call.due_at else "due"


def obligations_of(ctx: Context) -> Obligations:
    """Everything owed in this client's search as of `ctx.as_of` (computed once per context)."""
    if ctx.obligations_cache is None:
        ctx.obligations_cache = _obligations(ctx)
    return ctx.obligations_cache


def _obligations(ctx: Context) -> Obligations:
    t = ctx.thresholds
    thanks = _outbound_days(ctx, InteractionKind.THANK_YOU)
    reports = _outbound_days(ctx, InteractionKind.OUTCOME_REPORT)
    calls, introducer_thanks, outcomes = [], [], []
    for intro in ctx.introductions:
        if intro.made_at is None:
            continue
        made_on = ctx.day(intro.made_at)
        calls.append(call_owed(intro, day=ctx.day, thresholds=t))
        introducer_thanks.append(
            Obligation(
                Owed.INTRODUCER_THANKS,
                intro.introducer_id,
                intro.made_at,
                made_on,
                t.thanks_days,
                _first_sent(ctx, thanks.get(intro.introducer_id, ()), made_on, intro.thanked_at),
                introduction=intro,
            )
        )
        outcome = _outcome(ctx, intro, reports.get(intro.introducer_id, ()))
        if outcome is not None:
            outcomes.append(outcome)
    meeting_thanks = [
        Obligation(
            Owed.MEETING_THANKS,
            meeting.contact_id,
            meeting.scheduled_for,
            ctx.meeting_day[meeting.id],
            t.thanks_days,
            _first_sent(
                ctx,
                thanks.get(meeting.contact_id, ()),
                ctx.meeting_day[meeting.id],
                meeting.thanked_at,
            ),
            introduction=_introduction_of(ctx, meeting),
            meeting=meeting,
        )
        for meeting in ctx.held_meetings
        if ctx.expects_thanks(meeting)
    ]
    return Obligations(
        calls=tuple(calls),
        meeting_thanks=tuple(meeting_thanks),
        introducer_thanks=tuple(introducer_thanks),
        outcomes=tuple(outcomes),
        chases=_chases(ctx),
    )


def _outcome(ctx: Context, intro: Introduction, reports: tuple[date, ...]) -> Obligation | None:
    """Owed from the first meeting the introduction led to, or from its closing if earlier."""
    assert intro.made_at is not None
    meetings = ctx.meetings_by_introduction.get(intro.id, ())
    moments = [m.scheduled_for for m in meetings[:1]]
    if intro.status == IntroductionStatus.CLOSED and intro.ended_at is not None:
        moments.append(intro.ended_at)
    if not moments:
        return None
    since = min(moments)
    since_on = ctx.day(since)
    reported = _day_of(ctx, intro.outcome_reported_at)
    return Obligation(
        Owed.OUTCOME,
        intro.introducer_id,
        since,
        since_on,
        ctx.thresholds.thanks_days,
        reported if reported is not None else _first_sent(ctx, reports, since_on, None),
        introduction=intro,
        meeting=meetings[0] if meetings else None,
    )


def _introduction_of(ctx: Context, meeting: Meeting) -> Introduction | None:
    if meeting.introduction_id is None:
        return None
    return ctx.introductions_by_id.get(meeting.introduction_id)


def _day_of(ctx: Context, moment: datetime | None) -> date | None:
    return ctx.day(moment) if moment is not None else None


def _first_sent(
    ctx: Context, sent: tuple[date, ...], since_on: date, recorded: datetime | None
) -> date | None:
    """The first day it was met: a message on `since_on` or later, or the record's own field."""
    days = [d for d in sent if d >= since_on]
    if recorded is not None:
        days.append(ctx.day(recorded))
    return min(days, default=None)


def _outbound_days(ctx: Context, kind: InteractionKind) -> dict[RecordId, tuple[date, ...]]:
    days: dict[RecordId, list[date]] = defaultdict(list)
    for touch in ctx.touches:
        message = touch.interaction
        if message.kind == kind and message.direction == Direction.OUTBOUND:
            days[message.contact_id].append(touch.day)
    return {contact_id: tuple(found) for contact_id, found in days.items()}


def _chases(ctx: Context) -> tuple[Chase, ...]:
    chases = []
    for contact_id in sorted(ctx.touches_by_contact):
        unanswered = _unanswered(ctx, contact_id)
        if unanswered:
            follow_ups = tuple(
                p for p in unanswered if p.interaction.kind == InteractionKind.FOLLOW_UP
            )
            chases.append(Chase(contact_id, unanswered, follow_ups, ctx.thresholds.over_follow_up))
    return tuple(chases)


def _unanswered(ctx: Context, contact_id: RecordId) -> tuple[Touch, ...]:
    """Outbound messages after the contact's last two-way exchange, oldest first."""
    last = ctx.last_two_way.get(contact_id)
    pending = []
    for touch in reversed(ctx.touches_by_contact.get(contact_id, [])):
        if last is not None and touch.interaction.occurred_at <= last:
            break
        if touch.interaction.direction == Direction.OUTBOUND:
            pending.append(touch)
    return tuple(reversed(pending))
