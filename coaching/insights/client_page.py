"""What one client's pages read (the coach's client page and the client's portal): the diagnosis
(under the report-sharing rule), the referral chain step by step, the records, what the client
owes today and this week's outreach. Every read takes the acting user and goes through
`coaching.access`; each is a fixed number of queries.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from accounts.models import User
from coaching.access import client_queryset_for, scoped
from coaching.choices import Direction
from coaching.diagnostics import Diagnosis
from coaching.insights.client_report import for_reader
from coaching.insights.loader import LoadedSearch, search_load, zone_or_utc
from coaching.insights.obligations import OwedItem, WaitingCall, thanks_and_outcomes_owed
from coaching.insights.reports import diagnose_search, ensure_report_readable
from coaching.insights.summaries import ClientSummary, summaries_for, with_versions
from coaching.models import Application, Client, Feedback, Interaction, Introduction, Meeting
from coaching.selectors import introductions_waiting_on_client
from coaching.timezones import week_start


def _today(client: Client, now: datetime) -> date:
    return now.astimezone(zone_or_utc(client.time_zone)).date()


def search_diagnosis(
    *, actor: User, client: Client, as_of: date | None = None, now: datetime | None = None
) -> tuple[Diagnosis, LoadedSearch]:
    """One client's diagnosis as of `as_of` (at most their today), with the loaded search it
    came from (seven queries). A client reads their own once the coach shared the report
    (`reports.ensure_report_readable`: `PermissionDenied` otherwise)."""
    search = search_load(actor=actor, client_id=client.pk)
    ensure_report_readable(actor=actor, client=search.client)
    today = _today(client, now or timezone.now())
    diagnosis = diagnose_search(search=search, as_of=min(as_of or today, today))
    return for_reader(actor=actor, client=search.client, diagnosis=diagnosis), search


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
    """Every introduction of the client, newest first, with each step of the chain dated and
    the call still owed (`obligations`). Four queries."""
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


def applications_of(*, actor: User, client: Client) -> list[Application]:
    """The client's applications, newest first (one query)."""
    return list(
        scoped(Application.objects.filter(client=client), actor=actor).order_by(
            "-applied_on", "-pk"
        )
    )


def meetings_of(*, actor: User, client: Client) -> list[Meeting]:
    """The client's meetings, latest first, with whom and through which introduction."""
    return list(
        scoped(Meeting.objects.filter(client=client), actor=actor)
        .select_related("contact", "introduction")
        .order_by("-scheduled_for")
    )


def feedback_of(*, actor: User, client: Client) -> list[Feedback]:
    """What others said about the client, newest first (one query)."""
    return list(
        scoped(Feedback.objects.filter(client=client), actor=actor)
        .select_related("contact")
        .order_by("-received_on")
    )


def records(*, actor: User, client: Client) -> dict[str, object]:
    """Applications, meetings and feedback for the client page, each one query."""
    return {
        "applications": applications_of(actor=actor, client=client),
        "meetings": meetings_of(actor=actor, client=client),
        "feedback": feedback_of(actor=actor, client=client),
    }


def client_summary(
    *, actor: User, client: Client, as_of: date | None = None, now: datetime | None = None
) -> ClientSummary:
    """The client's status and headline figures as the dashboard has them: cached until the
    search changes (`insights.summaries`), so a page showing only the header and one list does
    not diagnose the whole search again. One query (the data version) when cached."""
    versioned = with_versions(client_queryset_for(actor=actor).filter(pk=client.pk)).get()
    return summaries_for(actor=actor, clients=[versioned], now=now, as_of=as_of)[client.pk]


def owed(*, actor: User, client: Client, now: datetime) -> list[OwedItem]:
    """Thank-yous and outcome reports the client still owes (`coaching.diagnostics.obligations`),
    from the diagnostics window, oldest first."""
    search = search_load(actor=actor, client_id=client.pk)
    return thanks_and_outcomes_owed(search=search, as_of=_today(client, now))


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
