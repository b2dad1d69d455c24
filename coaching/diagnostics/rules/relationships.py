"""Relationships: who the client keeps warm, asks, and relies on."""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from datetime import date, datetime, timedelta

from coaching.choices import (
    ApplicationStatus,
    Channel,
    Direction,
    HowMet,
    IntroductionKind,
    IntroductionStatus,
    Willingness,
)
from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.context import Ask, Context
from coaching.diagnostics.findings import Evidence, Finding, Measure
from coaching.diagnostics.history import too_early
from coaching.diagnostics.obligations import obligations_of
from coaching.diagnostics.rules.common import contact_evidence, make_finding, plural


def _last_touched(ctx: Context) -> dict[int, tuple[date, str, int]]:
    """Per contact: the last day the client reached out or met them, and the record."""
    last: dict[int, tuple[date, str, int]] = {}
    for touch in ctx.touches:
        if touch.interaction.direction == Direction.OUTBOUND:
            last[touch.interaction.contact_id] = (touch.day, "interaction", touch.interaction.id)
    for meeting in ctx.held_meetings:
        day = ctx.meeting_day[meeting.id]
        current = last.get(meeting.contact_id)
        if current is None or day >= current[0]:
            last[meeting.contact_id] = (day, "meeting", meeting.id)
    return last


def neglected_influencers(*, ctx: Context) -> list[Finding]:
    t = ctx.thresholds
    last = _last_touched(ctx)
    findings = []
    for contact in sorted(ctx.contacts.values(), key=lambda c: c.id):
        if contact.first_met_on is not None and contact.first_met_on > ctx.as_of:
            continue
        touched = last.get(contact.id)
        if contact.is_key_influencer:
            since = max(
                d
                for d in (
                    touched[0] if touched else None,
                    contact.first_met_on,
                    ctx.client.search_started_on,
                )
                if d is not None
            )
            idle = ctx.days_since(since)
            if idle > t.influencer_days:
                evidence = [contact_evidence(ctx, contact.id, on=since)]
                if touched:
                    evidence.append(Evidence(touched[1], touched[2], touched[0], "last contact"))
                findings.append(
                    make_finding(
                        code=FailureCode.NEGLECTED_INFLUENCERS,
                        subject=f"contact:{contact.id}",
                        measure=Measure(
                            value=idle,
                            threshold=t.influencer_days,
                            unit="days since last contact",
                            sentence=(
                                f"Key influencer {contact.name} untouched for {idle} days "
                                f"vs. a limit of {t.influencer_days}"
                            ),
                        ),
                        evidence=evidence,
                        observed_on=since,
                    )
                )
                continue
        finding = _event_contact_not_followed_up(ctx, contact.id)
        if finding is not None:
            findings.append(finding)
    return findings


def _event_contact_not_followed_up(ctx: Context, contact_id: int) -> Finding | None:
    t = ctx.thresholds
    contact = ctx.contacts[contact_id]
    met = contact.first_met_on
    if contact.how_met != HowMet.EVENT or met is None or not ctx.in_window(met):
        return None
    deadline = met + timedelta(days=t.event_follow_up_days)
    if ctx.as_of <= deadline or deadline < ctx.client.search_started_on:
        return None  # not due yet, or due before the search (and its records) began
    follow_up_days = [
        touch.day
        for touch in ctx.touches_by_contact.get(contact_id, [])
        if touch.interaction.direction == Direction.OUTBOUND
        and touch.interaction.channel != Channel.EVENT
        and touch.day >= met
    ]
    follow_up_days += [
        ctx.meeting_day[m.id]
        for m in ctx.held_meetings_by_contact.get(contact_id, [])
        if ctx.meeting_day[m.id] > met
    ]
    first = min(follow_up_days, default=None)
    if first is not None and first <= deadline:
        return None
    delay = (first - met).days if first is not None else ctx.days_since(met)
    done = (
        f"first followed up after {delay} days" if first else f"not followed up after {delay} days"
    )
    return make_finding(
        code=FailureCode.NEGLECTED_INFLUENCERS,
        subject=f"contact:{contact_id}",
        measure=Measure(
            value=delay,
            threshold=t.event_follow_up_days,
            unit="days from event to follow-up",
            sentence=(
                f"{contact.name}, met at an event on {met}, {done} "
                f"(expected within {t.event_follow_up_days})"
            ),
        ),
        evidence=[contact_evidence(ctx, contact_id, on=met)],
        observed_on=met,
    )


def not_asking(*, ctx: Context) -> list[Finding]:
    """Real conversations in the window (interviews are not networking) and no ask at all, once
    the search is old enough to judge (`asking_history_days`)."""
    t = ctx.thresholds
    if too_early(ctx=ctx, code=FailureCode.NOT_ASKING):
        return []
    conversations = [c for c in ctx.conversations if ctx.in_window(c.day)]
    if len(conversations) < t.not_asking_conversations:
        return []
    if any(ctx.in_window(a.day) for a in ctx.asks):
        return []
    return [
        make_finding(
            code=FailureCode.NOT_ASKING,
            subject="client",
            measure=Measure(
                value=len(conversations),
                threshold=t.not_asking_conversations,
                unit="conversations without an ask",
                sentence=(
                    f"{plural(len(conversations), 'real conversation')} and no referral or "
                    f"introduction request in the last {t.window_days} days (fires from "
                    f"{t.not_asking_conversations})"
                ),
            ),
            evidence=[
                Evidence(
                    c.record, c.id, c.day, f"Conversation with {ctx.contact_name(c.contact_id)}"
                )
                for c in conversations
            ],
            observed_on=conversations[-1].day,
        )
    ]


def _thin_ties(
    ctx: Context, contact_id: int, before: datetime, day: date
) -> list[tuple[str, float, float, str]]:
    """Why the relationship is too thin for an ask: (reason, value, threshold, sentence)."""
    t = ctx.thresholds
    contact = ctx.contacts.get(contact_id)
    name = ctx.contact_name(contact_id)
    reasons: list[tuple[str, float, float, str]] = []
    prior = ctx.prior_two_way(contact_id=contact_id, before=before)
    if prior < t.left_field_prior_interactions:
        reasons.append(
            (
                "prior_interactions",
                prior,
                t.left_field_prior_interactions,
                f"{plural(prior, 'prior two-way interaction')} with {name} "
                f"vs. at least {t.left_field_prior_interactions}",
            )
        )
    if contact is not None and contact.first_met_on is not None:
        known = (day - contact.first_met_on).days
        if known < t.left_field_known_days:
            reasons.append(
                (
                    "days_known",
                    known,
                    t.left_field_known_days,
                    f"met {name} {plural(known, 'day')} before vs. at least "
                    f"{t.left_field_known_days}",
                )
            )
    if contact is not None and contact.how_met == HowMet.LINKEDIN_ONLY:
        reasons.append(("linkedin_only", 1, 0, f"{name} is only a LinkedIn connection"))
    return reasons


def left_field_ask(*, ctx: Context) -> list[Finding]:
    """Asks in the window made on a thin relationship, and resumes forwarded by someone who
    barely knows the client (unless that forward's own request was already flagged)."""
    findings = []
    flagged: set[str] = set()
    for ask in ctx.asks:
        if ctx.in_window(ask.day):
            reasons = _thin_ties(ctx, ask.contact_id, ask.at, ask.day)
            if reasons:
                findings.append(
                    _left_field(ctx, ask.record, ask.id, ask.contact_id, ask.day, reasons, "Asked")
                )
                flagged.add(f"{ask.record}:{ask.id}")
                flagged.add(f"contact:{ask.contact_id}")
    for intro in ctx.introductions:
        if intro.kind != IntroductionKind.RESUME_FORWARD or intro.made_at is None:
            continue
        made_day = ctx.day(intro.made_at)
        if not ctx.in_window(made_day) or (
            f"introduction:{intro.id}" in flagged or f"contact:{intro.introducer_id}" in flagged
        ):
            continue
        reasons = _thin_ties(ctx, intro.introducer_id, intro.made_at, made_day)
        if reasons:
            findings.append(
                _left_field(
                    ctx,
                    "introduction",
                    intro.id,
                    intro.introducer_id,
                    made_day,
                    reasons,
                    "Resume forwarded by",
                )
            )
    return findings


def _left_field(
    ctx: Context,
    record: str,
    record_id: int,
    contact_id: int,
    day: date,
    reasons: list[tuple[str, float, float, str]],
    verb: str,
) -> Finding:
    _, value, threshold, _ = reasons[0]
    unit = {"prior_interactions": "prior two-way interactions", "days_known": "days known"}
    return make_finding(
        code=FailureCode.LEFT_FIELD_ASK,
        subject=f"{record}:{record_id}",
        measure=Measure(
            value=value,
            threshold=threshold,
            unit=unit.get(reasons[0][0], "LinkedIn-only tie"),
            sentence=f"{verb} {ctx.contact_name(contact_id)} on {day}: "
            + "; ".join(r[3] for r in reasons),
        ),
        evidence=[
            Evidence(record, record_id, day, f"Referral or introduction request ({verb.lower()})"),
            contact_evidence(ctx, contact_id),
        ],
        observed_on=day,
    )


def _made_by_introducer(ctx: Context) -> dict[int, list[datetime]]:
    made: dict[int, list[datetime]] = defaultdict(list)
    for intro in ctx.introductions:
        if intro.made_at is not None:
            made[intro.introducer_id].append(intro.made_at)
    return {k: sorted(v) for k, v in made.items()}


def unwilling_contact(*, ctx: Context) -> list[Finding]:
    """Repeated asks to someone marked unwilling, or asks since the last thing they produced."""
    t = ctx.thresholds
    made = _made_by_introducer(ctx)
    findings = []
    for contact_id in sorted(ctx.asks_by_contact):
        asks = ctx.asks_by_contact[contact_id]
        if len(asks) < t.unwilling_asks or not ctx.in_window(asks[-1].day):
            continue
        contact = ctx.contacts.get(contact_id)
        marked = contact is not None and contact.willingness == Willingness.UNWILLING
        produced = made.get(contact_id, [])
        last_produced = produced[-1] if produced else None
        fruitless: list[Ask] = (
            asks
            if last_produced is None
            else asks[bisect_left([a.at for a in asks], last_produced) :]
        )
        counted = asks if marked else fruitless
        if len(counted) < t.unwilling_asks:
            continue
        name = ctx.contact_name(contact_id)
        why = "marked unwilling to help" if marked else "with nothing to show for them"
        findings.append(
            make_finding(
                code=FailureCode.UNWILLING_CONTACT,
                subject=f"contact:{contact_id}",
                measure=Measure(
                    value=len(counted),
                    threshold=t.unwilling_asks,
                    unit="asks",
                    sentence=(
                        f"{plural(len(counted), 'ask')} to {name}, {why} "
                        f"(fires from {t.unwilling_asks})"
                    ),
                ),
                evidence=[contact_evidence(ctx, contact_id)]
                + [
                    Evidence(a.record, a.id, a.day, "Referral or introduction request")
                    for a in counted
                ],
                observed_on=counted[-1].day,
            )
        )
    return findings


def contact_lacks_leverage(*, ctx: Context) -> list[Finding]:
    """An open introduction (or forwarded resume) the client acted on that never reached a
    decision-maker. One whose call is still owed is ``intro_not_acted_on``'s."""
    t = ctx.thresholds
    waiting = {call.record for call in obligations_of(ctx).waiting_calls}
    progressed = {
        ApplicationStatus.INTERVIEWING,
        ApplicationStatus.OFFER,
        ApplicationStatus.ACCEPTED,
    }
    findings = []
    for intro in ctx.introductions:
        if (
            intro.status != IntroductionStatus.OPEN
            or intro.made_at is None
            or intro.reached_hiring_authority_at is not None
        ):
            continue
        if ("introduction", intro.id) in waiting:
            continue
        target = ctx.contacts.get(intro.target_id)
        if target is not None and target.is_hiring_authority:
            continue
        app = ctx.applications.get(intro.application_id) if intro.application_id else None
        if app is not None and app.status in progressed:
            continue
        made_day = ctx.day(intro.made_at)
        waited = ctx.days_since(made_day)
        if waited <= t.leverage_days:
            continue
        findings.append(
            make_finding(
                code=FailureCode.CONTACT_LACKS_LEVERAGE,
                subject=f"introduction:{intro.id}",
                measure=Measure(
                    value=waited,
                    threshold=t.leverage_days,
                    unit="days without reaching a hiring authority",
                    sentence=(
                        f"Introduction to {ctx.contact_name(intro.target_id)} via "
                        f"{ctx.contact_name(intro.introducer_id)} made {waited} days ago and no "
                        f"hiring authority reached yet (limit {t.leverage_days} days)"
                    ),
                ),
                evidence=[
                    Evidence("introduction", intro.id, made_day, "Introduction made"),
                    contact_evidence(ctx, intro.target_id),
                    contact_evidence(ctx, intro.introducer_id),
                ],
                observed_on=made_day,
            )
        )
    return findings
