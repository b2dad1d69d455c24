"""Introduction nudges. Someone stuck their neck out and told the target to expect the client's
call; the call should come within a couple of days (seed 002). At 48 hours without contact we
remind the client (and announce `introduction.overdue` to webhooks); at 7 days we remind the client
again and tell the coach."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db.models import QuerySet

from accounts.models import User
from api.webhooks.services import webhook_emit
from coaching.choices import ClientStatus, IntroductionKind, IntroductionStatus
from coaching.models import Introduction
from notifications.jobs.common import awake, first_name, practice_zone, queue_guarded
from notifications.kinds import Kind
from notifications.models import JobRun, JobRunStatus
from notifications.services import Outgoing

CLIENT_AFTER = timedelta(hours=48)
COACH_AFTER = timedelta(days=7)
# Introductions older than this (imported history, say) are left to the diagnostics.
HORIZON = timedelta(days=21)


@dataclass(frozen=True, slots=True)
class Counts:
    client_nudges: int = 0
    coach_alerts: int = 0
    webhooks: int = 0


def waiting_introductions(*, now: datetime) -> QuerySet[Introduction]:
    """Warm introductions made 48 hours to 3 weeks ago, still open, with no contact yet, for
    clients who are actively searching."""
    return (
        Introduction.objects.filter(
            kind=IntroductionKind.INTRODUCTION,
            status=IntroductionStatus.OPEN,
            first_contact_at__isnull=True,
            made_at__lte=now - CLIENT_AFTER,
            made_at__gt=now - HORIZON,
            client__status=ClientStatus.ACTIVE,
        )
        .select_related("client__user", "client__coach", "introducer", "target")
        .order_by("made_at", "pk")
    )


def _once(key: str) -> bool:
    """True the first time `key` is seen in this practice (kept as a finished job run)."""
    _, created = JobRun.objects.get_or_create(
        key=key, defaults={"job": key.split(":", 1)[0], "status": JobRunStatus.SUCCEEDED}
    )
    return created


def introduction_nudges(*, now: datetime) -> Counts:
    client_nudges = coach_alerts = webhooks = 0
    coach_zone = practice_zone()
    for intro in waiting_introductions(now=now):
        assert intro.made_at is not None
        waited = now - intro.made_at
        client = intro.client
        if _once(f"webhook_introduction_overdue:introduction:{intro.pk}"):
            webhook_emit(
                event="introduction.overdue",
                payload={
                    "introduction_id": intro.pk,
                    "client_id": client.pk,
                    "introducer_id": intro.introducer_id,
                    "target_id": intro.target_id,
                    "made_at": intro.made_at,
                    "days_waiting": waited.days,
                },
            )
            webhooks += 1
        stage = "7d" if waited >= COACH_AFTER else "2d"
        if awake(now=now, tz=client.time_zone):
            key = f"intro_nudge:introduction:{intro.pk}:{stage}"
            client_nudges += queue_guarded(
                now=now,
                key=key,
                kind=Kind.INTRO_NUDGE,
                user=client.user,
                build=partial(
                    _client_nudge, intro=intro, key=key, second=stage == "7d", days=waited.days
                ),
            )
        if stage == "7d" and awake(now=now, tz=coach_zone):
            key = f"intro_overdue_coach:introduction:{intro.pk}"
            coach_alerts += queue_guarded(
                now=now,
                key=key,
                kind=Kind.INTRO_OVERDUE_COACH,
                user=client.coach,
                build=partial(_coach_alert, intro=intro, key=key, days=waited.days),
            )
    return Counts(client_nudges, coach_alerts, webhooks)


def _client_nudge(*, intro: Introduction, key: str, second: bool, days: int) -> Outgoing:
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
            "days": days,
            "second": second,
            "path": "/my/introductions/",
        },
    )


def _coach_alert(*, intro: Introduction, key: str, days: int) -> Outgoing:
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
            "path": f"/clients/{intro.client_id}/",
        },
    )
