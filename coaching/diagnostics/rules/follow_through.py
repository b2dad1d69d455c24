"""Follow-through: what the client does once someone has vouched for them."""

from __future__ import annotations

from coaching.choices import (
    CLIENT_DROPPED_REASONS,
    AbandonReason,
    ApplicationSource,
    IntroductionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
)
from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.context import Context
from coaching.diagnostics.findings import Evidence, Finding, Measure, Severity
from coaching.diagnostics.obligations import Obligation, obligations_of
from coaching.diagnostics.rules.common import contact_evidence, make_finding, plural
from coaching.diagnostics.snapshot import Introduction, Meeting


def intro_not_acted_on(*, ctx: Context) -> list[Finding]:
    """Days from the introduction (or the forwarded resume) to the client's first contact with
    the target (`obligations`: the calls owed).

    A still-open introduction fires for as long as it waits; a late first contact or a closed,
    never-contacted introduction only while the introduction is within the window. An abandoned
    one is `referral_abandoned`'s.
    """
    t = ctx.thresholds
    findings = []
    for call in obligations_of(ctx).calls:
        intro = call.introduction
        assert intro is not None
        delay = call.days(as_of=ctx.as_of)
        if intro.status == IntroductionStatus.ABANDONED or delay <= call.within_days:
            continue
        target = ctx.contact_name(intro.target_id)
        forwarded = intro.kind == IntroductionKind.RESUME_FORWARD
        if call.done_on is not None:
            if not ctx.in_window(call.since_on):
                continue
            what = "the resume was forwarded" if forwarded else "the introduction"
            sentence = f"Contacted {target} {plural(delay, 'day')} after {what}"
            observed = call.done_on
            explanation = _LATE.format(days=plural(delay, "day"))
        else:
            if intro.status != IntroductionStatus.OPEN and not ctx.in_window(call.since_on):
                continue
            what = "Resume forwarded to" if forwarded else "Introduced to"
            sentence = f"{what} {target} {plural(delay, 'day')} ago and not contacted yet"
            observed = call.since_on
            explanation = None
        critical = delay > t.intro_critical_days
        limit = t.intro_critical_days if critical else call.within_days
        by = "Resume forwarded by" if forwarded else "Introduced by"
        findings.append(
            make_finding(
                code=FailureCode.INTRO_NOT_ACTED_ON,
                subject=f"introduction:{intro.id}",
                severity=Severity.CRITICAL if critical else Severity.WARNING,
                measure=Measure(
                    value=delay,
                    threshold=limit,
                    unit="days from introduction to first contact",
                    sentence=f"{sentence} (expected within {call.within_days} days)",
                ),
                evidence=[
                    Evidence(
                        "introduction",
                        intro.id,
                        call.since_on,
                        f"{by} {ctx.contact_name(intro.introducer_id)}",
                    ),
                    contact_evidence(ctx, intro.target_id),
                ],
                observed_on=observed,
                explanation=explanation,
            )
        )
    return findings


_LATE = (
    "Someone made an introduction and the other side was expecting a call; the client did "
    "reach out, but only after {days}. A late first call still spends some of the "
    "introducer's credibility."
)


def _referral_meeting(ctx: Context, meeting: Meeting) -> Introduction | bool | None:
    """The introduction a meeting came through, True if it came through a referral some other
    way, or None."""
    intros = {i.id: i for i in ctx.introductions}
    if meeting.introduction_id is not None:
        return intros.get(meeting.introduction_id, True)
    if meeting.application_id is not None:
        for intro in ctx.introductions:
            if intro.application_id == meeting.application_id:
                return intro
        app = ctx.applications.get(meeting.application_id)
        if app is not None and app.source == ApplicationSource.REFERRAL:
            return True
    return None


def referral_no_show(*, ctx: Context) -> list[Finding]:
    findings = []
    for meeting in ctx.past_meetings:
        day = ctx.meeting_day[meeting.id]
        if meeting.status != MeetingStatus.NO_SHOW or not ctx.in_window(day):
            continue
        via = _referral_meeting(ctx, meeting)
        if via is None:
            continue
        what = "interview" if meeting.purpose == MeetingPurpose.INTERVIEW else "meeting"
        evidence = [Evidence("meeting", meeting.id, day, f"Missed {what}, not cancelled")]
        referrer = ""
        if isinstance(via, Introduction):
            referrer = f", arranged through {ctx.contact_name(via.introducer_id)}"
            evidence.append(Evidence("introduction", via.id, None, "Introduction behind it"))
        evidence.append(contact_evidence(ctx, meeting.contact_id))
        findings.append(
            make_finding(
                code=FailureCode.REFERRAL_NO_SHOW,
                subject=f"meeting:{meeting.id}",
                measure=Measure(
                    value=1,
                    threshold=0,
                    unit="missed referral meetings",
                    sentence=f"Did not attend the {what} on {day}{referrer}, and did not cancel",
                ),
                evidence=evidence,
                observed_on=day,
            )
        )
    return findings


def referral_abandoned(*, ctx: Context) -> list[Finding]:
    """Only paths the client dropped for another interview or offer; a target who never
    answered or a path that simply ended is not the client's failing."""
    findings = []
    for intro in ctx.introductions:
        if (
            intro.status != IntroductionStatus.ABANDONED
            or intro.abandon_reason not in CLIENT_DROPPED_REASONS
        ):
            continue
        moment = intro.ended_at or intro.made_at or intro.requested_at
        day = ctx.day(moment) if moment else None
        if day is None or not ctx.in_window(day):
            continue
        reason = str(AbandonReason(intro.abandon_reason).label).lower()
        findings.append(
            make_finding(
                code=FailureCode.REFERRAL_ABANDONED,
                subject=f"introduction:{intro.id}",
                measure=Measure(
                    value=1,
                    threshold=0,
                    unit="dropped introductions",
                    sentence=(
                        f"Dropped the introduction to {ctx.contact_name(intro.target_id)} via "
                        f"{ctx.contact_name(intro.introducer_id)} on {day} ({reason})"
                    ),
                ),
                evidence=[
                    Evidence("introduction", intro.id, day, f"Abandoned: {reason}"),
                    contact_evidence(ctx, intro.introducer_id),
                ],
                observed_on=day,
            )
        )
    return findings


def no_thanks_or_outcome(*, ctx: Context) -> list[Finding]:
    """Thank-yous owed after meetings and to introducers, and outcomes owed to introducers
    (`obligations`), once past their deadline within the window."""
    owed = obligations_of(ctx)
    findings = []
    for thanks in owed.meeting_thanks:
        if not ctx.in_window(thanks.since_on) or not thanks.missed(as_of=ctx.as_of):
            continue
        meeting = thanks.meeting
        assert meeting is not None
        delay = thanks.days(as_of=ctx.as_of)
        name = ctx.contact_name(meeting.contact_id)
        day = thanks.since_on
        done = thanks.done_on is not None
        when = f"thanked after {delay} days" if done else f"no thank-you after {delay} days"
        findings.append(
            make_finding(
                code=FailureCode.NO_THANKS_OR_OUTCOME,
                subject=f"meeting:{meeting.id}",
                measure=Measure(
                    value=delay,
                    threshold=thanks.within_days,
                    unit="days to thank-you",
                    sentence=f"Met {name} on {day}: {when} (expected within {thanks.within_days})",
                ),
                evidence=[
                    Evidence("meeting", meeting.id, day, "Meeting held"),
                    contact_evidence(ctx, meeting.contact_id),
                ],
                observed_on=day,
            )
        )
    outcomes = {o.record: o for o in owed.outcomes}
    for thanks in owed.introducer_thanks:
        finding = _introduction_loop_open(ctx, thanks, outcomes.get(thanks.record))
        if finding is not None:
            findings.append(finding)
    return findings


def _introduction_loop_open(
    ctx: Context, thanks: Obligation, outcome: Obligation | None
) -> Finding | None:
    """The introducer not thanked in time, or (once the introduction led to a meeting or was
    closed) never told the outcome."""
    intro = thanks.introduction
    assert intro is not None
    problems: list[tuple[int, str]] = []
    evidence = [Evidence("introduction", intro.id, thanks.since_on, "Introduction made")]
    introducer = ctx.contact_name(intro.introducer_id)
    if ctx.in_window(thanks.since_on) and thanks.missed(as_of=ctx.as_of):
        delay = thanks.days(as_of=ctx.as_of)
        done = thanks.done_on is not None
        state = f"thanked after {delay} days" if done else f"not thanked after {delay} days"
        problems.append((delay, f"{introducer} {state}"))
    if (
        outcome is not None
        and outcome.done_on is None
        and ctx.in_window(outcome.since_on)
        and ctx.as_of > outcome.due_on
    ):
        since = outcome.since_on
        if outcome.meeting is not None and ctx.meeting_day[outcome.meeting.id] == since:
            what = f"how the meeting on {since} went"
            evidence.append(Evidence("meeting", outcome.meeting.id, since, "Meeting it led to"))
        else:
            what = f"how the introduction turned out (closed on {since})"
        problems.append((outcome.days(as_of=ctx.as_of), f"{introducer} not told {what}"))
    if not problems:
        return None
    evidence.append(contact_evidence(ctx, intro.introducer_id))
    return make_finding(
        code=FailureCode.NO_THANKS_OR_OUTCOME,
        subject=f"introduction:{intro.id}",
        measure=Measure(
            value=problems[0][0],
            threshold=thanks.within_days,
            unit="days without thanks or update",
            sentence="; ".join(p[1] for p in problems)
            + f" (expected within {thanks.within_days} days)",
        ),
        evidence=evidence,
        observed_on=max(e.on for e in evidence if e.on is not None),
    )


def unprepared_meeting(*, ctx: Context) -> list[Finding]:
    """Networking, informational and referral meetings held without the three preparation
    items; none recorded is a warning, some recorded is informational."""
    findings = []
    for meeting in ctx.held_meetings:
        day = ctx.meeting_day[meeting.id]
        if not ctx.in_window(day) or not ctx.expects_thanks(meeting):
            continue
        in_time = meeting.prepared_at is None or meeting.prepared_at <= meeting.scheduled_for
        prepared = {
            "company research": meeting.prep_company_research and in_time,
            "questions": meeting.prep_questions and in_time,
            "a goal": meeting.prep_goal and in_time,
        }
        done = sum(prepared.values())
        if done == len(prepared):
            continue
        missing = ", ".join(k for k, v in prepared.items() if not v)
        findings.append(
            make_finding(
                code=FailureCode.UNPREPARED_MEETING,
                subject=f"meeting:{meeting.id}",
                severity=Severity.INFO if done else Severity.WARNING,
                measure=Measure(
                    value=done,
                    threshold=len(prepared),
                    unit="preparation items recorded",
                    sentence=(
                        f"Met {ctx.contact_name(meeting.contact_id)} on {day} with {done} of "
                        f"{len(prepared)} preparation items recorded (missing: {missing})"
                    ),
                ),
                evidence=[Evidence("meeting", meeting.id, day, f"Missing: {missing}")],
                observed_on=day,
            )
        )
    return findings
