"""Follow-up hygiene: silence on the other side, and how the client handles it."""

from __future__ import annotations

from coaching.choices import InteractionKind
from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.context import Context, Touch
from coaching.diagnostics.findings import Evidence, Finding, Measure, Severity
from coaching.diagnostics.obligations import obligations_of
from coaching.diagnostics.rules.common import contact_evidence, make_finding, plural


def stalemate(*, ctx: Context) -> list[Finding]:
    """A networking contact who had engaged (a conversation or a reply) and has not answered
    the client's follow-ups or asks since (`AWAITS_REPLY`): a thank-you, an outcome report or a
    conversation record waits for no reply. Someone the client interviewed with is an
    interview process, never a stalemate (`employer_unresponsive` is the employer's side).
    Still counts only while the client is still trying (last attempt within the window).
    Silence from a key influencer or a hiring authority is a warning."""
    t = ctx.thresholds
    chases = {c.contact_id: c for c in obligations_of(ctx).chases}
    findings = []
    for contact_id in sorted(ctx.last_two_way):
        chase = chases.get(contact_id)
        if chase is None or contact_id in ctx.interviewers:
            continue
        pending = chase.awaiting_reply
        if not pending or not ctx.in_window(pending[-1].day):
            continue
        silent = ctx.days_since(pending[0].day)
        if silent < t.stalemate_days:
            continue
        last_exchange = ctx.day(ctx.last_two_way[contact_id])
        name = ctx.contact_name(contact_id)
        contact = ctx.contacts.get(contact_id)
        matters = contact is not None and (contact.is_key_influencer or contact.is_hiring_authority)
        findings.append(
            make_finding(
                code=FailureCode.STALEMATE,
                subject=f"contact:{contact_id}",
                severity=Severity.WARNING if matters else None,
                measure=Measure(
                    value=silent,
                    threshold=t.stalemate_days,
                    unit="days without a reply",
                    sentence=(
                        f"No reply from {name} for {silent} days since the message of "
                        f"{pending[0].day}, after an exchange on {last_exchange} "
                        f"(fires from {t.stalemate_days})"
                    ),
                ),
                evidence=[contact_evidence(ctx, contact_id, on=last_exchange)]
                + [
                    Evidence("interaction", p.interaction.id, p.day, f"Unanswered {_kind(p)}")
                    for p in pending
                ],
                observed_on=pending[-1].day,
            )
        )
    return findings


def _kind(touch: Touch) -> str:
    return str(InteractionKind(touch.interaction.kind).label).lower()


def over_follow_up(*, ctx: Context) -> list[Finding]:
    """Contacts with more follow-ups than the limit since they last answered (or ever)."""
    t = ctx.thresholds
    findings = []
    for chase in obligations_of(ctx).chases:
        contact_id, follow_ups = chase.contact_id, chase.follow_ups
        if not chase.over_limit or not ctx.in_window(follow_ups[-1].day):
            continue
        findings.append(
            make_finding(
                code=FailureCode.OVER_FOLLOW_UP,
                subject=f"contact:{contact_id}",
                measure=Measure(
                    value=len(follow_ups),
                    threshold=t.over_follow_up,
                    unit="unanswered follow-ups",
                    sentence=(
                        f"{plural(len(follow_ups), 'follow-up')} to "
                        f"{ctx.contact_name(contact_id)} without a reply vs. at most "
                        f"{t.over_follow_up}"
                    ),
                ),
                evidence=[contact_evidence(ctx, contact_id)]
                + [
                    Evidence(
                        "interaction",
                        p.interaction.id,
                        p.day,
                        f"Follow-up ({p.interaction.channel})",
                    )
                    for p in follow_ups
                ],
                observed_on=follow_ups[-1].day,
            )
        )
    return findings


def follow_ups_overdue(*, ctx: Context) -> list[Finding]:
    t = ctx.thresholds
    overdue = sorted(
        (
            f
            for f in ctx.follow_ups
            if (f.done_at is None or ctx.day(f.done_at) > ctx.as_of)
            and ctx.days_since(f.due_on) > t.overdue_days
        ),
        key=lambda f: (f.due_on, f.id),
    )
    if len(overdue) < t.overdue_count:
        return []
    return [
        make_finding(
            code=FailureCode.FOLLOW_UPS_OVERDUE,
            subject="client",
            measure=Measure(
                value=len(overdue),
                threshold=t.overdue_count,
                unit=f"follow-ups more than {t.overdue_days} days overdue",
                sentence=(
                    f"{plural(len(overdue), 'follow-up')} more than {t.overdue_days} days past "
                    f"due (fires from {t.overdue_count})"
                ),
            ),
            evidence=[
                Evidence(
                    "follow_up",
                    f.id,
                    f.due_on,
                    f"{ctx.contact_name(f.contact_id)}: {ctx.days_since(f.due_on)} days overdue",
                )
                for f in overdue
            ],
            observed_on=ctx.as_of,
        )
    ]
