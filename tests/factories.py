"""Test data built through the services, like real data: one place for the searches and contacts
every suite's fixtures make (tests/coaching/conftest.py dates them on a fixed day for the
reports, tests/frontend/conftest.py relative to today for the pages)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from coaching.choices import Channel, Direction, InteractionKind
from coaching.models import Client, Contact
from coaching.services import client_create, contact_create, interaction_record


def cleos_search(*, client_user: User, coach: User, started_on: date) -> Client:
    """Cleo's search (`client_user`), coached by Cora (`coach`): a data engineer in Berlin."""
    return client_create(
        actor=coach,
        user=client_user,
        coach=coach,
        search_started_on=started_on,
        headline="Data engineer",
        time_zone="Europe/Berlin",
    )


def carls_search(*, other_client_user: User, other_coach: User) -> Client:
    """Carl's search (`other_client_user`), coached by Otto (`other_coach`), since February
    2024: another coach's client, for scope tests."""
    return client_create(
        actor=other_coach,
        user=other_client_user,
        coach=other_coach,
        search_started_on=date(2024, 2, 1),
    )


def contact(client: Client, **fields: Any) -> Contact:
    """A contact of `client`, recorded by their coach."""
    return contact_create(client=client, actor=client.coach, **fields)


def outreach(
    client: Client, to: Contact, *, days_ago: float, now: datetime | None = None, **fields: Any
) -> None:
    """An email from the client to `to`, `days_ago` days before `now`, logged by the coach."""
    fields.setdefault("channel", Channel.EMAIL)
    fields.setdefault("direction", Direction.OUTBOUND)
    fields.setdefault("kind", InteractionKind.OUTREACH)
    interaction_record(
        client=client,
        actor=client.coach,
        contact=to,
        occurred_at=(now or timezone.now()) - timedelta(days=days_ago),
        **fields,
    )
