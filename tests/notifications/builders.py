"""Records for the notification tests, written straight through the ORM with the exact times a
test needs (the services stamp "now")."""

from datetime import date, datetime, timedelta
from itertools import count

from accounts.models import Role, User
from coaching.choices import (
    Channel,
    Direction,
    InteractionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
)
from coaching.models import Client, Contact, FollowUp, Interaction, Introduction, Meeting

_n = count(1)


def make_client(
    *, coach: User, email: str | None = None, name: str = "", time_zone: str = "UTC"
) -> Client:
    n = next(_n)
    user = User.objects.create_user(
        email or f"client{n}@notify.example.com", None, name=name or f"Client {n}", role=Role.CLIENT
    )
    return Client.objects.create(
        user=user, coach=coach, search_started_on=date(2024, 1, 8), time_zone=time_zone
    )


def contact(client: Client, name: str = "") -> Contact:
    return Contact.objects.create(client=client, name=name or f"Contact {next(_n)}")


def introduction(
    client: Client,
    *,
    made_at: datetime,
    target: Contact | None = None,
    introducer: Contact | None = None,
    first_contact_at: datetime | None = None,
    closed_at: datetime | None = None,
    thanked_at: datetime | None = None,
    outcome_reported_at: datetime | None = None,
) -> Introduction:
    return Introduction.objects.create(
        client=client,
        introducer=introducer or contact(client, "Ivy Introducer"),
        target=target or contact(client, "Tom Target"),
        made_at=made_at,
        first_contact_at=first_contact_at,
        thanked_at=thanked_at,
        outcome_reported_at=outcome_reported_at,
        status=IntroductionStatus.CLOSED if closed_at else IntroductionStatus.OPEN,
        ended_at=closed_at,
    )


def follow_up(client: Client, *, due_on: date, to: Contact | None = None) -> FollowUp:
    return FollowUp.objects.create(
        client=client, contact=to or contact(client), due_on=due_on, channel=Channel.EMAIL
    )


def outbound(
    client: Client, to: Contact, *, at: datetime, kind: str = InteractionKind.FOLLOW_UP
) -> Interaction:
    return Interaction.objects.create(
        client=client,
        contact=to,
        occurred_at=at,
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        kind=kind,
    )


def conversation(client: Client, to: Contact, *, at: datetime) -> Interaction:
    return Interaction.objects.create(
        client=client,
        contact=to,
        occurred_at=at,
        channel=Channel.PHONE,
        direction=Direction.OUTBOUND,
        kind=InteractionKind.CONVERSATION,
    )


def held_meeting(
    client: Client,
    *,
    at: datetime,
    to: Contact | None = None,
    introduction: Introduction | None = None,
    purpose: str = MeetingPurpose.NETWORKING,
) -> Meeting:
    return Meeting.objects.create(
        client=client,
        contact=to or contact(client, "Mia Meeting"),
        introduction=introduction,
        scheduled_for=at,
        purpose=purpose,
        status=MeetingStatus.HELD,
    )


def days(n: float) -> timedelta:
    return timedelta(days=n)
