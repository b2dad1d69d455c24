"""View models for one client's search: the diagnosis with linkable evidence, the referral chain
step by step, and what the client owes today. Every read goes through `coaching.access` or a
`coaching.selectors` function with the acting user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from coaching.access import scoped
from coaching.choices import Direction
from coaching.diagnostics import Diagnosis
from coaching.diagnostics.findings import Evidence, Finding
from coaching.insights.loader import LoadedSearch, search_load, zone_or_utc
from coaching.insights.obligations import OwedItem, WaitingCall, thanks_and_outcomes_owed
from coaching.insights.reports import diagnose_search
from coaching.models import Application, Client, Feedback, Interaction, Introduction, Meeting
from coaching.selectors import introductions_waiting_on_client
from coaching.timezones import local_date, week_start

LINKABLE = frozenset(
    {"contact", "interaction", "introduction", "follow_up", "application", "meeting", "feedback"}
)


@dataclass(frozen=True, slots=True)
class EvidenceLink:
    evidence: Evidence
    url: str | None


@dataclass(frozen=True, slots=True)
class FindingView:
    finding: Finding
    evidence: tuple[EvidenceLink, ...]


def evidence_url(*, client_id: int, evidence: Evidence) -> str | None:
    if evidence.record == "client":
        return reverse("client_page", args=[client_id]) + "#profile"
    if evidence.record not in LINKABLE or evidence.id is None:
        return None
    return reverse("record_link", args=[client_id, evidence.record, evidence.id])


def client_diagnosis(
    *, actor: User, client: Client, as_of: date | None = None, now: datetime | None = None
) -> tuple[Diagnosis, LoadedSearch]:
    """One client's diagnosis (`coaching.insights.loader`: a fixed number of queries), with the
    practice's thresholds and the coach's decisions on findings."""
    now = now or timezone.now()
    today = local_date(at=now, tz=client.time_zone)
    search = search_load(actor=actor, client_id=client.pk)
    return diagnose_search(search=search, as_of=min(as_of or today, today)), search


def finding_views(*, diagnosis: Diagnosis) -> list[FindingView]:
    return [
        FindingView(
            finding=f,
            evidence=tuple(
                EvidenceLink(e, evidence_url(client_id=diagnosis.client_id, evidence=e))
                for e in f.evidence
            ),
        )
        for f in diagnosis.findings
    ]


@dataclass(frozen=True, slots=True)
class Step:
    label: str
    at: datetime | None


@dataclass(frozen=True, slots=True)
class IntroductionView:
    introduction: Introduction
    steps: tuple[Step, ...]
    waiting: WaitingCall | None
    """Set while the target waits for the client's call."""

    @property
    def next_step(self) -> str:
        for step in self.steps:
            if step.at is None:
                return step.label
        return ""


def introduction_views(*, actor: User, client: Client, now: datetime) -> list[IntroductionView]:
    """Every introduction of the client, newest first, with each step of the chain dated."""
    waiting = {
        w.introduction.pk: w
        for w in introductions_waiting_on_client(actor=actor, client_id=client.pk, now=now)
    }
    intros = (
        scoped(Introduction.objects.filter(client=client), actor=actor)
        .select_related("introducer", "target", "application")
        .order_by("-made_at", "-requested_at", "-pk")
    )
    views = []
    for intro in intros:
        steps = (
            Step("Requested", intro.requested_at),
            Step("Made", intro.made_at),
            Step("Client made contact", intro.first_contact_at),
            Step("Introducer thanked", intro.thanked_at),
            Step("Reached a hiring authority", intro.reached_hiring_authority_at),
            Step("Outcome reported", intro.outcome_reported_at),
        )
        views.append(IntroductionView(intro, steps, waiting.get(intro.pk)))
    return views


def records(*, actor: User, client: Client) -> dict[str, object]:
    """Applications, meetings and feedback for the client page, each one query."""
    return {
        "applications": list(
            scoped(Application.objects.filter(client=client), actor=actor).order_by(
                "-applied_on", "-pk"
            )
        ),
        "meetings": list(
            scoped(Meeting.objects.filter(client=client), actor=actor)
            .select_related("contact", "introduction")
            .order_by("-scheduled_for")
        ),
        "feedback": list(
            scoped(Feedback.objects.filter(client=client), actor=actor)
            .select_related("contact")
            .order_by("-received_on")
        ),
    }


def owed(*, actor: User, client: Client, now: datetime) -> list[OwedItem]:
    """Thank-yous and outcome reports the client still owes (`coaching.diagnostics.obligations`),
    from the diagnostics window, oldest first."""
    search = search_load(actor=actor, client_id=client.pk)
    today = now.astimezone(zone_or_utc(client.time_zone)).date()
    return thanks_and_outcomes_owed(search=search, as_of=today)


def outreach_this_week(*, actor: User, client: Client, now: datetime) -> int:
    """Distinct contacts the client reached since Monday in their own zone (one query)."""
    monday = week_start(at=now, tz=client.time_zone)
    return (
        scoped(Interaction.objects.filter(client=client), actor=actor)
        .filter(direction=Direction.OUTBOUND, occurred_at__gte=monday, occurred_at__lte=now)
        .values("contact_id")
        .distinct()
        .count()
    )
