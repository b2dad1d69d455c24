"""Reads for the coach's screens and the reports. Each takes the acting user and goes through
`coaching.access`, owns its select_related/prefetch_related, and runs a fixed number of queries
whatever the size of the search."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from django.db.models import Count, Max, Model, OuterRef, QuerySet, Subquery
from django.utils import timezone

from accounts.models import User
from coaching.access import NotFound, client_get_for, client_queryset_for, record_get_for
from coaching.access import scoped as record_scope
from coaching.choices import ClientStatus, ContactTier, Direction, ImportStatus, MeetingStatus
from coaching.insights.obligations import WaitingCall, calls_waiting
from coaching.models import (
    ActivityEvent,
    Application,
    Client,
    Contact,
    Feedback,
    FollowUp,
    ImportJob,
    Interaction,
    Introduction,
    Meeting,
)
from coaching.normalize import company_key
from coaching.timezones import local_date

M = TypeVar("M", bound=Model)


def client_list(*, actor: User) -> QuerySet[Client]:
    """The clients the actor may see, with their user and coach loaded."""
    return client_queryset_for(actor=actor).select_related("user", "coach").order_by("user__name")


def billed_client_count() -> int:
    """Clients whose search is active, in the current practice: the seats billing counts.
    Paused and landed clients are kept (and visible) but not billed."""
    return Client.objects.filter(status=ClientStatus.ACTIVE).count()


def client_detail(*, actor: User, client_id: int) -> Client:
    """One client with the presentation checklist prefetched."""
    client = client_get_for(actor=actor, client_id=client_id)
    return (
        Client.objects.prefetch_related("presentation")
        .select_related("user", "coach")
        .get(pk=client.pk)
    )


def own_search(*, actor: User) -> Client:
    """The signed-in client's own search (the portal's), or `NotFound`."""
    client = client_queryset_for(actor=actor).select_related("user", "coach").first()
    if client is None:
        raise NotFound("Your coach has not opened your search yet.")
    return client


def client_record(*, actor: User, client: Client, model: type[M], pk: Any) -> M:
    """One record (`model`: any per-client model) of `client`'s search, or `NotFound`: missing
    and out of scope look the same."""
    return record_get_for(model._default_manager.filter(client=client), actor=actor, pk=pk)


RECORD_KINDS: dict[str, type[Model]] = {
    "contact": Contact,
    "interaction": Interaction,
    "introduction": Introduction,
    "follow_up": FollowUp,
    "application": Application,
    "meeting": Meeting,
    "feedback": Feedback,
}
"""The records of a search a page can show, by the name evidence uses for them."""


def evidence_record(*, actor: User, client: Client, kind: str, pk: Any) -> Any:
    """The record of `client`'s search a finding's evidence points at (`{"record": kind, "id":
    pk}`), or `NotFound`: an unknown kind, a missing record and another's look the same."""
    model = RECORD_KINDS.get(kind)
    if model is None:
        raise NotFound("No such record.")
    return client_record(actor=actor, client=client, model=model, pk=pk)


def client_timeline(
    *, actor: User, client_id: int, before: datetime | None = None, limit: int = 100
) -> list[ActivityEvent]:
    """Every change to the search, newest first, with who made it; page with `before`."""
    client = client_get_for(actor=actor, client_id=client_id)
    events = ActivityEvent.objects.filter(client=client).select_related("actor")
    if before is not None:
        events = events.filter(at__lt=before)
    return list(events.order_by("-at", "-pk")[:limit])


@dataclass(frozen=True, slots=True)
class ContactFreshness:
    contact: Contact
    tier: ContactTier
    last_touch_at: datetime | None  # latest interaction or held meeting, either direction
    days_quiet: int | None  # whole days since then; None if never touched


def contact_tier(contact: Contact) -> ContactTier:
    if contact.is_key_influencer:
        return ContactTier.KEY_INFLUENCER
    if contact.is_hiring_authority:
        return ContactTier.HIRING_AUTHORITY
    return ContactTier.OTHER


_TIER_ORDER = {ContactTier.KEY_INFLUENCER: 0, ContactTier.HIRING_AUTHORITY: 1, ContactTier.OTHER: 2}


def contact_freshness(
    *, actor: User, client_id: int, now: datetime | None = None
) -> list[ContactFreshness]:
    """How long each contact has been quiet, by tier (key influencer, hiring authority, other),
    the quietest first within a tier. One query."""
    now = now or timezone.now()
    client = client_get_for(actor=actor, client_id=client_id)
    held = Meeting.objects.filter(
        contact=OuterRef("pk"), status=MeetingStatus.HELD, scheduled_for__lte=now
    ).order_by("-scheduled_for")
    contacts = Contact.objects.filter(client=client).annotate(
        last_interaction_at=Max("interactions__occurred_at"),
        last_meeting_at=Subquery(held.values("scheduled_for")[:1]),
    )
    rows = []
    for contact in contacts:
        touches = [t for t in (contact.last_interaction_at, contact.last_meeting_at) if t]
        last = max(touches) if touches else None
        rows.append(
            ContactFreshness(
                contact=contact,
                tier=contact_tier(contact),
                last_touch_at=last,
                days_quiet=(now - last).days if last else None,
            )
        )
    never = 10**6  # never-touched contacts are the quietest of all
    rows.sort(
        key=lambda r: (
            _TIER_ORDER[r.tier],
            -(r.days_quiet if r.days_quiet is not None else never),
            r.contact.name,
        )
    )
    return rows


@dataclass(frozen=True, slots=True)
class FollowUpDue:
    follow_up: FollowUp
    days_overdue: int  # 0 when due today


@dataclass(frozen=True, slots=True)
class FollowUpsDue:
    today: date  # in the client's time zone
    overdue: list[FollowUpDue]
    due_today: list[FollowUpDue]
    upcoming: list[FollowUpDue]  # due within `horizon_days`, days_overdue negative


def follow_ups_due(
    *, actor: User, client_id: int, now: datetime | None = None, horizon_days: int = 7
) -> FollowUpsDue:
    """Open follow-ups by urgency, dated in the client's zone. One query after the scope check."""
    now = now or timezone.now()
    client = client_get_for(actor=actor, client_id=client_id)
    today = local_date(at=now, tz=client.time_zone)
    pending = (
        FollowUp.objects.filter(
            client=client, done_at__isnull=True, due_on__lte=today + timedelta(days=horizon_days)
        )
        .select_related("contact")
        .order_by("due_on", "pk")
    )
    result = FollowUpsDue(today=today, overdue=[], due_today=[], upcoming=[])
    for follow_up in pending:
        late = (today - follow_up.due_on).days
        bucket = result.overdue if late > 0 else result.due_today if late == 0 else result.upcoming
        bucket.append(FollowUpDue(follow_up=follow_up, days_overdue=late))
    return result


def introductions_waiting_on_client(
    *, actor: User, client_id: int, now: datetime | None = None
) -> list[WaitingCall]:
    """Introductions (and forwarded resumes) whose target waits for the client's first contact,
    longest-waiting first, each with its deadlines from the client's thresholds
    (`coaching.insights.obligations`). Three queries."""
    client = client_get_for(actor=actor, client_id=client_id)
    clients = client_queryset_for(actor=actor).filter(pk=client.pk)
    return calls_waiting(clients=clients, at=now or timezone.now())


def contact_history(*, actor: User, contact: Contact) -> dict[str, list[Any]]:
    """Everything about one contact for the coach's contact page: interactions, the
    introductions they made and received, meetings and follow-ups, the latest first."""
    client = client_get_for(actor=actor, client_id=contact.client_id)
    own = Contact.objects.filter(client=client, pk=contact.pk)
    return {
        "interactions": list(Interaction.objects.filter(contact__in=own).order_by("-occurred_at")),
        "introductions_made": list(
            Introduction.objects.filter(introducer__in=own).select_related("target")
        ),
        "introductions_received": list(
            Introduction.objects.filter(target__in=own).select_related("introducer")
        ),
        "meetings": list(Meeting.objects.filter(contact__in=own).order_by("-scheduled_for")),
        "follow_ups": list(FollowUp.objects.filter(contact__in=own).order_by("-due_on")),
    }


def contact_names(*, actor: User, client_id: int, limit: int = 500) -> list[str]:
    """The names of the client's contacts, alphabetically (a form's suggestions)."""
    client = client_get_for(actor=actor, client_id=client_id)
    contacts = Contact.objects.filter(client=client).order_by("name")
    return list(contacts.values_list("name", flat=True)[:limit])


def contact_named(*, actor: User, client_id: int, name: str) -> Contact | None:
    """The client's contact with this name, ignoring case (nobody types a contact twice)."""
    client = client_get_for(actor=actor, client_id=client_id)
    return Contact.objects.filter(client=client, name__iexact=name).order_by("pk").first()


def unanswered_message_to(*, actor: User, contact: Contact) -> Interaction | None:
    """The client's latest message to `contact` that has no reply yet (a reply logged now
    answers it)."""
    messages = record_scope(Interaction.objects.filter(contact=contact), actor=actor)
    return (
        messages.filter(direction=Direction.OUTBOUND, replied_at__isnull=True)
        .order_by("-occurred_at")
        .first()
    )


def meetings_of(*, actor: User, client_id: int) -> list[Meeting]:
    """The client's meetings, the latest first, with the person met."""
    client = client_get_for(actor=actor, client_id=client_id)
    return list(
        Meeting.objects.filter(client=client).select_related("contact").order_by("-scheduled_for")
    )


def contacts_at_company(*, actor: User, client_id: int, company: str) -> QuerySet[Contact]:
    """ "Who do I know at X?": the client's contacts whose company matches, ignoring case and
    spacing; hiring authorities and key influencers first."""
    client = client_get_for(actor=actor, client_id=client_id)
    key = company_key(company)
    if not key:
        return Contact.objects.none()
    return Contact.objects.filter(client=client, company_key=key).order_by(
        "-is_hiring_authority", "-is_key_influencer", "name"
    )


def import_job_get(*, actor: User, job_id: int) -> ImportJob:
    """An import job's status and progress (`processed_rows` of `total_rows`), without its file."""
    return record_get_for(ImportJob.objects.defer("payload"), actor=actor, pk=job_id)


def import_jobs_active(*, actor: User, client_id: int) -> QuerySet[ImportJob]:
    client = client_get_for(actor=actor, client_id=client_id)
    return (
        ImportJob.objects.filter(
            client=client, status__in=[ImportStatus.QUEUED, ImportStatus.RUNNING]
        )
        .defer("payload")
        .order_by("created_at")
    )


def caseloads() -> dict[int, int]:
    """How many clients each coach (by user id) has, every status counted: the owner's members
    page (the owner gate is the page's). One query."""
    rows = Client.objects.values("coach_id").annotate(n=Count("pk")).order_by()
    return {row["coach_id"]: row["n"] for row in rows}
