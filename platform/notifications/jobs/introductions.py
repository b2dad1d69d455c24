"""Introduction nudges. Someone stuck their neck out and told the target to expect the client's
call (or forwarded the client's resume to them); the call should come within a couple of days
(seed 002). Which introductions wait, and their deadlines, are the obligations'
(`coaching.insights.obligations.calls_waiting`), with the thresholds in force for each client:
once `intro_warning_days` have passed without contact (48 hours by default) we remind the client
(and announce `introduction.overdue` to webhooks); once `intro_critical_days` have passed (7 days)
we remind the client again and tell the coach. Introductions made before the client's
diagnostics window (`window_days`: imported history, say) are left to the diagnostics."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from accounts.models import User
from coaching.choices import ClientStatus, IntroductionKind
from coaching.events import introduction_overdue_announce
from coaching.insights.obligations import WaitingCall, calls_waiting
from coaching.models import Client
from notifications.jobs.common import awake, first_name, practice_zone, queue_guarded
from notifications.kinds import Kind
from notifications.models import JobRun, JobRunStatus
from notifications.services import Outgoing


@dataclass(frozen=True, slots=True)
class Counts:
    client_nudges: int = 0
    coach_alerts: int = 0
    webhooks: int = 0


def waiting_introductions(*, now: datetime) -> list[WaitingCall]:
    """Introductions of actively searching clients past their warning deadline, still waiting
    for the client's call, made within the client's diagnostics window."""
    waiting = calls_waiting(clients=Client.objects.filter(status=ClientStatus.ACTIVE), at=now)
    return [
        w
        for w in waiting
        if w.severity != "due" and w.waiting <= timedelta(days=w.thresholds.window_days)
    ]


def _once(key: str) -> bool:
    """True the first time `key` is seen in this practice (kept as a finished job run)."""
    _, created = JobRun.objects.get_or_create(
        key=key, defaults={"job": key.split(":", 1)[0], "status": JobRunStatus.SUCCEEDED}
    )
    return created


def introduction_nudges(*, now: datetime) -> Counts:
    client_nudges = coach_alerts = webhooks = 0
    coach_zone = practice_zone()
    for waiting in waiting_introductions(now=now):
        intro, client = waiting.introduction, waiting.introduction.client
        if _once(f"webhook_introduction_overdue:introduction:{intro.pk}"):
            introduction_overdue_announce(introduction=intro, days_waiting=waiting.days_waiting)
            webhooks += 1
        # The dedupe keys keep their historical names: "2d" is the warning stage, "7d" the
        # critical one, whatever the thresholds say.
        stage = "7d" if waiting.severity == "critical" else "2d"
        if awake(now=now, tz=client.time_zone):
            key = f"intro_nudge:introduction:{intro.pk}:{stage}"
            client_nudges += queue_guarded(
                now=now,
                key=key,
                kind=Kind.INTRO_NUDGE,
                user=client.user,
                build=partial(_client_nudge, waiting=waiting, key=key, second=stage == "7d"),
            )
        if stage == "7d" and awake(now=now, tz=coach_zone):
            key = f"intro_overdue_coach:introduction:{intro.pk}"
            coach_alerts += queue_guarded(
                now=now,
                key=key,
                kind=Kind.INTRO_OVERDUE_COACH,
                user=client.coach,
                build=partial(_coach_alert, waiting=waiting, key=key),
            )
    return Counts(client_nudges, coach_alerts, webhooks)


def _client_nudge(*, waiting: WaitingCall, key: str, second: bool) -> Outgoing:
    intro, days = waiting.introduction, waiting.days_waiting
    user: User = intro.client.user
    target, introducer = intro.target, intro.introducer
    subject = (
        f"{target.name} has been waiting {days} days for your call"
        if second
        else f"{target.name} is expecting your call"
    )
    return Outgoing(
        dedupe_key=key,
        kind=Kind.INTRO_NUDGE,
        user=user,
        subject=subject,
        template="intro_nudge",
        context={
            "name": first_name(user),
            "target": target,
            "introducer": introducer,
            "forwarded": intro.kind == IntroductionKind.RESUME_FORWARD,
            "days": days,
            "within_days": waiting.call.within_days,
            "second": second,
            "path": "/my/introductions/",
        },
    )


def _coach_alert(*, waiting: WaitingCall, key: str) -> Outgoing:
    intro, days = waiting.introduction, waiting.days_waiting
    coach: User = intro.client.coach
    client_user: User = intro.client.user
    return Outgoing(
        dedupe_key=key,
        kind=Kind.INTRO_OVERDUE_COACH,
        user=coach,
        subject=f"{client_user.name or client_user.email} has not called {intro.target.name} "
        f"after {days} days",
        template="intro_overdue_coach",
        context={
            "name": first_name(coach),
            "client_name": client_user.name or client_user.email,
            "target": intro.target,
            "introducer": intro.introducer,
            "days": days,
            "warning_days": waiting.call.within_days,
            "path": f"/clients/{intro.client_id}/",
        },
    )
