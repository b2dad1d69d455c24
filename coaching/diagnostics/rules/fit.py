"""Fit and presentation: whether a contact can comfortably put their name behind the client."""

from __future__ import annotations

from coaching.choices import (
    ACTIVE_APPLICATION_STATUSES,
    ChecklistState,
    FeedbackAbout,
    FitRating,
    PresentationItem,
    Verdict,
)
from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.context import Context
from coaching.diagnostics.findings import Evidence, Finding, Measure
from coaching.diagnostics.rules.common import make_finding, plural
from coaching.diagnostics.snapshot import Application

_REPUTATION_FLAGS = {
    FeedbackAbout.OVERSTATED_CREDENTIALS: "overstated credentials",
    FeedbackAbout.MISREPRESENTED_RELATIONSHIP: "a misrepresented relationship",
    FeedbackAbout.NEGATIVE_PRIOR_IMPRESSION: "a negative prior impression",
}


def _current(ctx: Context, app: Application) -> bool:
    """Applied or approached in the window, or still live."""
    return (
        app.status in ACTIVE_APPLICATION_STATUSES
        or (app.applied_on is not None and ctx.in_window(app.applied_on))
        or (app.first_outreach_on is not None and ctx.in_window(app.first_outreach_on))
    )


def poor_fit_targeting(*, ctx: Context) -> list[Finding]:
    t = ctx.thresholds
    current = sorted((a for a in ctx.applications.values() if _current(ctx, a)), key=lambda a: a.id)
    poor = [a for a in current if a.fit_rating == FitRating.POOR]
    poor_ids = {a.id for a in poor}
    poor_asks = [
        i
        for i in ctx.introductions
        if i.application_id is not None
        and i.requested_at is not None
        and ctx.in_window(ctx.day(i.requested_at))
        and (app := ctx.applications.get(i.application_id)) is not None
        and app.fit_rating == FitRating.POOR
    ]
    families: dict[str, str] = {}
    for family in ctx.client.target_role_families:
        if family.strip():
            families.setdefault(family.strip().casefold(), family.strip())
    family_app: dict[str, Application] = {}
    for app in current:
        if app.role_family.strip():
            key = app.role_family.strip().casefold()
            families.setdefault(key, app.role_family.strip())
            family_app.setdefault(key, app)
    scattered = len(families) >= t.role_families
    if not scattered and not poor and not poor_asks:
        return []
    evidence: list[Evidence] = []
    if scattered:
        names = ", ".join(families[k] for k in sorted(families))
        measure = Measure(
            value=len(families),
            threshold=t.role_families,
            unit="role families",
            sentence=(
                f"Targets span {len(families)} role families ({names}); "
                f"{t.role_families} or more reads as a shotgun approach"
            ),
        )
        evidence.append(Evidence("client", ctx.client.id, None, f"Role families: {names}"))
        evidence += [
            Evidence("application", a.id, a.applied_on, f"{a.company}: {a.role_family}")
            for k in sorted(family_app)
            if (a := family_app[k]).id not in poor_ids
        ]
    else:
        count = len(poor) + len(poor_asks)
        measure = Measure(
            value=count,
            threshold=0,
            unit="poor-fit applications or asks",
            sentence=f"{plural(count, 'application or ask', 'applications or asks')} "
            "for roles the coach rated a poor fit",
        )
    evidence += [
        Evidence("application", a.id, a.applied_on, f"Poor fit: {a.role or a.company}")
        for a in poor
    ]
    evidence += [
        Evidence("introduction", i.id, ctx.day(i.requested_at), "Asked for a poor-fit role")
        for i in poor_asks
        if i.requested_at is not None
    ]
    return [
        make_finding(
            code=FailureCode.POOR_FIT_TARGETING,
            subject="client",
            measure=measure,
            evidence=evidence,
            observed_on=ctx.as_of,
        )
    ]


def _reached(count: int) -> str:
    return f"{plural(count, 'contact')} {'was' if count == 1 else 'were'} reached"


def _networking(ctx: Context) -> int:
    return len(ctx.reached_between(first=ctx.window_start, last=ctx.as_of))


def presentation_issues(*, ctx: Context) -> list[Finding]:
    """Checklist items the coach reviewed and found needing work, while the client is reaching
    people. An item nobody has reviewed yet is the coach's to-do (`todos`), and one marked not
    applicable is nothing at all."""
    reached = _networking(ctx)
    if not reached:
        return []
    failing = [e for e in ctx.client.presentation if e.state == ChecklistState.NEEDS_WORK]
    if not failing:
        return []
    failing.sort(key=lambda e: list(PresentationItem).index(e.item))
    names = ", ".join(str(e.item.label) for e in failing)
    return [
        make_finding(
            code=FailureCode.PRESENTATION_ISSUES,
            subject="client",
            measure=Measure(
                value=len(failing),
                threshold=0,
                unit="checklist items needing work",
                sentence=(
                    f"Needs work: {names}, while {_reached(reached)} "
                    f"in the last {ctx.thresholds.window_days} days"
                ),
            ),
            evidence=[
                Evidence(
                    "client",
                    ctx.client.id,
                    ctx.day(e.reviewed_at) if e.reviewed_at else None,
                    f"{e.item.label}: needs work (coach's review)",
                )
                for e in failing
            ],
            observed_on=ctx.as_of,
        )
    ]


def leaving_story_unconvincing(*, ctx: Context) -> list[Finding]:
    """The coach rated the reason for leaving unconvincing while the client is networking. A
    story the coach has not judged yet is the coach's to-do (`todos`), not the client's fault."""
    if ctx.client.leaving_story_verdict != Verdict.UNCONVINCING:
        return []
    reached = _networking(ctx)
    if not reached:
        return []
    return [
        make_finding(
            code=FailureCode.LEAVING_STORY_UNCONVINCING,
            subject="client",
            measure=Measure(
                value=None,
                threshold=None,
                unit="coach's verdict",
                sentence=(
                    f"Reason for leaving rated unconvincing, while {_reached(reached)} "
                    f"in the last {ctx.thresholds.window_days} days"
                ),
            ),
            evidence=[
                Evidence("client", ctx.client.id, None, "Reason for leaving: rated unconvincing")
            ],
            observed_on=ctx.as_of,
        )
    ]


def reputation_risk(*, ctx: Context) -> list[Finding]:
    findings = []
    for feedback in sorted(ctx.feedback, key=lambda f: (f.received_on, f.id)):
        flag = _REPUTATION_FLAGS.get(FeedbackAbout(feedback.about))
        if flag is None or not ctx.in_window(feedback.received_on):
            continue
        who = (
            f"introducer {ctx.contact_name(feedback.contact_id)}"
            if feedback.contact_id is not None
            else str(feedback.source)
        )
        evidence = [
            Evidence("feedback", feedback.id, feedback.received_on, feedback.note.strip() or flag)
        ]
        if feedback.contact_id is not None:
            evidence.append(
                Evidence(
                    "contact", feedback.contact_id, None, ctx.contact_name(feedback.contact_id)
                )
            )
        findings.append(
            make_finding(
                code=FailureCode.REPUTATION_RISK,
                subject=f"feedback:{feedback.id}",
                measure=Measure(
                    value=1,
                    threshold=0,
                    unit="credibility flags",
                    sentence=f"Feedback from the {who} on {feedback.received_on} flags {flag}",
                ),
                evidence=evidence,
                observed_on=feedback.received_on,
            )
        )
    return findings
