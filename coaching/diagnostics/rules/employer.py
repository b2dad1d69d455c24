"""The employer's side: silence after the client did their part is not the client's failing."""

from __future__ import annotations

from coaching.choices import ApplicationSource, ApplicationStatus, MeetingPurpose
from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.context import Context
from coaching.diagnostics.findings import Evidence, Finding, Measure
from coaching.diagnostics.rules.common import make_finding

_WAITING = (ApplicationStatus.APPLIED, ApplicationStatus.INTERVIEWING)


def employer_unresponsive(*, ctx: Context) -> list[Finding]:
    """The client moved last and the employer has said nothing since.

    Only applications where the employer had engaged (replied, interviewed) or that came
    through a referral: a cold application that never got an answer belongs to job-board
    reliance, not here.
    """
    t = ctx.thresholds
    introduced = {i.application_id: i for i in ctx.introductions if i.application_id is not None}
    interviews: dict[int, list[int]] = {}
    for meeting in ctx.held_meetings:
        if meeting.purpose == MeetingPurpose.INTERVIEW and meeting.application_id is not None:
            interviews.setdefault(meeting.application_id, []).append(meeting.id)
    findings = []
    for app in sorted(ctx.applications.values(), key=lambda a: a.id):
        if app.status not in _WAITING or app.last_client_action_on is None:
            continue
        engaged = (
            app.last_employer_contact_on is not None
            or app.status == ApplicationStatus.INTERVIEWING
            or app.source == ApplicationSource.REFERRAL
            or app.id in introduced
            or app.id in interviews
        )
        if not engaged:
            continue
        if (
            app.last_employer_contact_on is not None
            and app.last_employer_contact_on > app.last_client_action_on
        ):
            continue
        acted = app.last_client_action_on
        silent = ctx.days_since(acted)
        if silent < t.employer_silent_days:
            continue
        evidence = [
            Evidence("application", app.id, acted, f"{app.company}: {app.role}".rstrip(": "))
        ]
        if app.last_employer_contact_on is not None:
            evidence.append(
                Evidence(
                    "application", app.id, app.last_employer_contact_on, "Employer last heard from"
                )
            )
        evidence += [
            Evidence("meeting", mid, ctx.meeting_day[mid], "Interview held")
            for mid in interviews.get(app.id, [])
        ]
        if app.id in introduced:
            evidence.append(Evidence("introduction", introduced[app.id].id, None, "Referral"))
        findings.append(
            make_finding(
                code=FailureCode.EMPLOYER_UNRESPONSIVE,
                subject=f"application:{app.id}",
                measure=Measure(
                    value=silent,
                    threshold=t.employer_silent_days,
                    unit="days of employer silence",
                    sentence=(
                        f"{app.company} silent for {silent} days since the client's last move on "
                        f"{acted} (fires from {t.employer_silent_days})"
                    ),
                ),
                evidence=evidence,
                observed_on=acted,
            )
        )
    return findings
