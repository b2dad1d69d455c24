"""Follow-through: what the client does once someone has vouched for them."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from coaching.choices import (
    CLIENT_DROPPED_REASONS,
    AbandonReason,
    ApplicationSource,
    Direction,
    InteractionKind,
    IntroductionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
)
from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.context import Context
from coaching.diagnostics.findings import Evidence, Finding, Measure, Severity
from coaching.diagnostics.rules.common import contact_evidence, make_finding, plural
from coaching.diagnostics.snapshot import Introduction, Meeting


def intro_not_acted_on(*, ctx: Context) -> list[Finding]:
    """Days from the introduction to the client's first contact with the target.

    A still-open introduction fires for as long as it waits; a late first contact or a closed,
    never-contacted introduction only while the introduction is within the window.
    """
    t = ctx.thresholds
    findings = []
    for intro in ctx.introductions:
        if (
            intro.made_at is None
            or intro.kind != IntroductionKind.INTRODUCTION
            or intro.status == IntroductionStatus.ABANDONED
        ):
            continue
        made_day = ctx.day(intro.made_at)
        target = ctx.contact_name(intro.target_id)
        if intro.first_contact_at is not None:
            contacted = ctx.day(intro.first_contact_at)
            delay = (contacted - made_day).days
            if delay <= t.intro_warning_days or not ctx.in_window(made_day):
                continue
            sentence = f"Contacted {target} {plural(delay, 'day')} after the introduction"
            observed = contacted
        else:
            delay = ctx.days_since(made_day)
            if delay <= t.intro_warning_days:
                continue
            if intro.status != IntroductionStatus.OPEN and not ctx.in_window(made_day):
                continue
            sentence = f"Introduced to {target} {plural(delay, 'day')} ago and not contacted yet"
            observed = made_day
        critical = delay > t.intro_critical_days
        limit = t.intro_critical_days if critical else t.intro_warning_days
        findings.append(
            make_finding(
                code=FailureCode.INTRO_NOT_ACTED_ON,
                subject=f"introduction:{intro.id}",
                severity=Severity.CRITICAL if critical else Severity.WARNING,
                measure=Measure(
                    value=delay,
                    threshold=limit,
                    unit="days from introduction to first contact",
                    sentence=f"{sentence} (expected within {t.intro_warning_days} days)",
                ),
                evidence=[
                    Evidence(
                        "introduction",
                        intro.id,
                        made_day,
                        f"Introduced by {ctx.contact_name(intro.introducer_id)}",
                    ),
                    contact_evidence(ctx, intro.target_id),
                ],
                observed_on=observed,
            )
        )
    return findings


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


def _outbound_days(ctx: Context, kind: InteractionKind) -> dict[int, list[date]]:
    days: dict[int, list[date]] = defaultdict(list)
    for touch in ctx.touches:
        i = touch.interaction
        if i.kind == kind and i.direction == Direction.OUTBOUND:
            days[i.contact_id].append(touch.day)
    return days


def _any_between(days: list[date], first: date, last: date) -> bool:
    return any(first <= d <= last for d in days)


def no_thanks_or_outcome(*, ctx: Context) -> list[Finding]:
    t = ctx.thresholds
    thanks = _outbound_days(ctx, InteractionKind.THANK_YOU)
    reports = _outbound_days(ctx, InteractionKind.OUTCOME_REPORT)
    by_intro = ctx.meetings_by_introduction
    findings = []
    for meeting in ctx.held_meetings:
        day = ctx.meeting_day[meeting.id]
        if not ctx.expects_thanks(meeting):
            continue
        deadline = day + timedelta(days=t.thanks_days)
        if not ctx.in_window(day) or ctx.as_of <= deadline:
            continue
        sent = [d for d in thanks.get(meeting.contact_id, []) if d >= day]
        if meeting.thanked_at is not None:
            sent = sorted([*sent, ctx.day(meeting.thanked_at)])
        if sent and sent[0] <= deadline:
            continue
        delay = (sent[0] - day).days if sent else ctx.days_since(day)
        name = ctx.contact_name(meeting.contact_id)
        when = f"thanked after {delay} days" if sent else f"no thank-you after {delay} days"
        findings.append(
            make_finding(
                code=FailureCode.NO_THANKS_OR_OUTCOME,
                subject=f"meeting:{meeting.id}",
                measure=Measure(
                    value=delay,
                    threshold=t.thanks_days,
                    unit="days to thank-you",
                    sentence=f"Met {name} on {day}: {when} (expected within {t.thanks_days})",
                ),
                evidence=[
                    Evidence("meeting", meeting.id, day, "Meeting held"),
                    contact_evidence(ctx, meeting.contact_id),
                ],
                observed_on=day,
            )
        )
    for intro in ctx.introductions:
        finding = _introduction_loop_open(ctx, intro, thanks, reports, by_intro.get(intro.id, ()))
        if finding is not None:
            findings.append(finding)
    return findings


def _introduction_loop_open(
    ctx: Context,
    intro: Introduction,
    thanks: dict[int, list[date]],
    reports: dict[int, list[date]],
    meetings: tuple[Meeting, ...],
) -> Finding | None:
    """Thanks to the introducer within the limit of the introduction, and the outcome
    reported within the limit of the first meeting it led to."""
    t = ctx.thresholds
    if intro.made_at is None:
        return None
    made = ctx.day(intro.made_at)
    problems: list[tuple[int, str]] = []
    evidence = [Evidence("introduction", intro.id, made, "Introduction made")]
    introducer = ctx.contact_name(intro.introducer_id)
    if ctx.in_window(made) and ctx.as_of > made + timedelta(days=t.thanks_days):
        sent = [d for d in thanks.get(intro.introducer_id, []) if d >= made]
        if intro.thanked_at is not None:
            sent.append(ctx.day(intro.thanked_at))
        first = min(sent, default=None)
        if first is None or (first - made).days > t.thanks_days:
            delay = (first - made).days if first else ctx.days_since(made)
            state = f"thanked after {delay} days" if first else f"not thanked after {delay} days"
            problems.append((delay, f"{introducer} {state}"))
    if meetings:
        met = ctx.meeting_day[meetings[0].id]
        due = met + timedelta(days=t.thanks_days)
        if ctx.in_window(met) and ctx.as_of > due:
            reported = intro.outcome_reported_at is not None or any(
                d >= met for d in reports.get(intro.introducer_id, [])
            )
            if not reported:
                problems.append(
                    (ctx.days_since(met), f"{introducer} not told how the meeting on {met} went")
                )
                evidence.append(Evidence("meeting", meetings[0].id, met, "Meeting it led to"))
    if not problems:
        return None
    evidence.append(contact_evidence(ctx, intro.introducer_id))
    return make_finding(
        code=FailureCode.NO_THANKS_OR_OUTCOME,
        subject=f"introduction:{intro.id}",
        measure=Measure(
            value=problems[0][0],
            threshold=t.thanks_days,
            unit="days without thanks or update",
            sentence="; ".join(p[1] for p in problems) + f" (expected within {t.thanks_days} days)",
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
