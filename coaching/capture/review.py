"""The client's review of what was captured, before it counts.

Captured exchanges (LinkedIn messages and invitations, forwarded or BCC'd mail) wait, pending,
until the client confirms them; the client can leave out personal threads first. Pending rows
are not interactions: the coach's pages, the API and the diagnosis never see them. They do not
confirm themselves after some days: a thread the client has not looked at may be personal, and
only the client can say it is not (the coach sees how many wait, never what).

Confirming writes the interactions in bulk, each checked by the same rule as every other way in
(`check_interaction`), creates the new people it proposes (merged with a contact that has the
same email or LinkedIn address), and marks a client's message replied once the reply that
answers it counts too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Max, Min, Q, QuerySet
from django.utils import timezone

from accounts.models import Role, User
from coaching.access import ensure_can_write
from coaching.capture.models import CapturedInteraction, ReviewState
from coaching.capture.people import ContactFinder, Party
from coaching.models import Client, Contact, Interaction
from coaching.services.activity import activity_record
from coaching.services.interactions import check_interaction
from coaching.validation import Errors

BATCH_SIZE = 2000


def ensure_is_the_client(*, actor: User, client: Client) -> None:
    """Only the client reviews captured mail and messages: they may be personal. Anyone else
    who can see the search is refused (403); anyone who cannot gets the usual 404."""
    ensure_can_write(actor=actor, client=client)
    if actor.role != Role.CLIENT or client.user_id != actor.pk:
        raise PermissionDenied("Only the client can review what was captured from their mail.")


def pending(*, client: Client) -> QuerySet[CapturedInteraction]:
    return CapturedInteraction.objects.filter(client=client, state=ReviewState.PENDING)


@dataclass(frozen=True, slots=True)
class PendingSummary:
    messages: int
    people: int
    new_people: int

    def sentence(self) -> str:
        """ "12 new messages with 5 contacts — 2 new people"."""
        if not self.messages:
            return "Nothing waits for your review."
        text = (
            f"{self.messages:,} new message{'s' if self.messages != 1 else ''} with "
            f"{self.people:,} contact{'s' if self.people != 1 else ''}"
        )
        if self.new_people:
            text += f" — {self.new_people:,} new {'person' if self.new_people == 1 else 'people'}"
        return text


def pending_summary(*, client: Client) -> PendingSummary:
    """Counts only (what the coach may see too): two queries."""
    rows = pending(client=client)
    messages = rows.count()
    known = rows.filter(contact__isnull=False).values("contact_id").distinct().count()
    proposed = (
        rows.filter(contact__isnull=True)
        .values("person_linkedin_url", "person_email", "person_name")
        .distinct()
        .count()
    )
    return PendingSummary(messages=messages, people=known + proposed, new_people=proposed)


@dataclass(frozen=True, slots=True)
class Thread:
    key: str
    person: str
    is_new_person: bool
    channel: str
    messages: int
    first_at: datetime
    last_at: datetime
    subject: str


def pending_threads(*, actor: User, client: Client, limit: int = 200) -> list[Thread]:
    """The review list: one line per conversation and person, newest first."""
    ensure_is_the_client(actor=actor, client=client)
    rows = (
        pending(client=client)
        .values(
            "thread_key",
            "contact__name",
            "person_name",
            "channel",
        )
        .annotate(
            n=Count("pk"),
            first=Min("occurred_at"),
            last=Max("occurred_at"),
            subject=Max("subject"),
        )
        .order_by("-last")[:limit]
    )
    return [
        Thread(
            key=row["thread_key"],
            person=row["contact__name"] or row["person_name"],
            is_new_person=row["contact__name"] is None,
            channel=row["channel"],
            messages=row["n"],
            first_at=row["first"],
            last_at=row["last"],
            subject=row["subject"] or "",
        )
        for row in rows
    ]


@dataclass(frozen=True, slots=True)
class ReviewResult:
    confirmed: int
    left_out: int
    people_created: int
    not_usable: int


@transaction.atomic
def capture_review(
    *,
    client: Client,
    actor: User,
    leave_out: Iterable[str] = (),
    now: datetime | None = None,
) -> ReviewResult:
    """Leave out the threads named in `leave_out` (they never count, and capturing them again
    adds nothing), and confirm every other pending exchange."""
    ensure_is_the_client(actor=actor, client=client)
    now = now or timezone.now()
    leave_out = set(leave_out)
    rows = list(pending(client=client).select_for_update(of=("self",)).select_related("contact"))
    excluded = [r for r in rows if r.thread_key in leave_out]
    for row in excluded:
        row.state, row.decided_at = ReviewState.EXCLUDED, now
    CapturedInteraction.objects.bulk_update(excluded, ["state", "decided_at"], BATCH_SIZE)
    result = _confirm(
        client, [r for r in rows if r.thread_key not in leave_out], now=now, left_out=len(excluded)
    )
    activity_record(
        client=client,
        actor=actor,
        verb="capture.reviewed",
        subject=client,
        changes={
            "confirmed": result.confirmed,
            "left_out": result.left_out,
            "people_created": result.people_created,
        },
    )
    return result


def _confirm(
    client: Client, rows: list[CapturedInteraction], *, now: datetime, left_out: int
) -> ReviewResult:
    finder = ContactFinder(Contact.objects.filter(client=client))
    created: dict[str, Contact] = {}
    for row in rows:
        if row.contact is None:
            party = Party(row.person_name, row.person_email, row.person_linkedin_url)
            contact = finder.find(party) or created.get(party.key)
            if contact is None:
                contact = Contact(
                    client=client,
                    name=row.person_name[:200],
                    email=row.person_email,
                    linkedin_url=row.person_linkedin_url,
                    how_met=row.person_how_met,
                )
                created[party.key] = contact
                finder.add(contact)
            row.contact = contact
    Contact.objects.bulk_create(created.values(), batch_size=BATCH_SIZE)
    confirmed, interactions, unusable = [], [], 0
    for row in rows:
        assert row.contact is not None
        errors = Errors()
        check_interaction(
            errors,
            client=client,
            contact=row.contact,
            occurred_at=row.occurred_at,
            channel=row.channel,
            direction=row.direction,
            kind=row.kind,
            replied_at=None,
            now=now,
        )
        if errors.by_field:
            unusable += 1
            continue
        interaction = Interaction(
            client=client,
            contact=row.contact,
            occurred_at=row.occurred_at,
            channel=row.channel,
            direction=row.direction,
            kind=row.kind,
            note=row.subject,
        )
        interactions.append(interaction)
        row.interaction, row.state, row.decided_at = interaction, ReviewState.CONFIRMED, now
        confirmed.append(row)
    Interaction.objects.bulk_create(interactions, batch_size=BATCH_SIZE)
    for row in confirmed:
        row.interaction_id = row.interaction.pk if row.interaction else None
        row.contact_id = row.contact.pk if row.contact else None
    CapturedInteraction.objects.bulk_update(
        confirmed, ["interaction", "contact", "state", "decided_at"], batch_size=BATCH_SIZE
    )
    _mark_replies(client, [r.pk for r in confirmed])
    return ReviewResult(
        confirmed=len(confirmed),
        left_out=left_out,
        people_created=len(created),
        not_usable=unusable,
    )


def _mark_replies(client: Client, batch: list[int]) -> None:
    """Every confirmed reply whose answered message is confirmed too marks it replied (the
    earliest reply wins), where either side was confirmed in this batch."""
    if not batch:
        return
    pairs = (
        CapturedInteraction.objects.filter(
            client=client,
            state=ReviewState.CONFIRMED,
            answers__state=ReviewState.CONFIRMED,
            interaction__isnull=False,
            answers__interaction__isnull=False,
        )
        .filter(Q(pk__in=batch) | Q(answers__in=batch))
        .values_list("answers__interaction_id", "occurred_at")
    )
    earliest: dict[int, datetime] = {}
    for interaction_id, at in pairs:
        if interaction_id not in earliest or at < earliest[interaction_id]:
            earliest[interaction_id] = at
    answered = list(Interaction.objects.filter(pk__in=earliest, client=client))
    changed = []
    for interaction in answered:
        at = earliest[interaction.pk]
        if at >= interaction.occurred_at and (
            interaction.replied_at is None or at < interaction.replied_at
        ):
            interaction.replied_at = at
            interaction.updated_at = timezone.now()
            changed.append(interaction)
    Interaction.objects.bulk_update(changed, ["replied_at", "updated_at"], batch_size=BATCH_SIZE)
