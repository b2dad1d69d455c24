"""Searches for practice A's two clients, built through the services like real data."""

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client as HttpClient
from django.utils import timezone

from accounts.models import User
from coaching.choices import Channel, Direction, InteractionKind
from coaching.models import Client, Contact
from coaching.services import client_create, contact_create, interaction_record


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Dashboard summaries are cached per client id; ids repeat across rolled-back tests."""
    cache.clear()


@pytest.fixture
def search(client_user: User, coach: User) -> Client:
    """Cleo's search, coached by Cora (the `coach` fixture)."""
    return client_create(
        actor=coach,
        user=client_user,
        coach=coach,
        search_started_on=timezone.localdate() - timedelta(days=60),
        headline="Data engineer",
        time_zone="Europe/Berlin",
    )


@pytest.fixture
def other_search(other_client_user: User, other_coach: User) -> Client:
    """Carl's search, coached by Otto (`other_coach`)."""
    return client_create(
        actor=other_coach,
        user=other_client_user,
        coach=other_coach,
        search_started_on=date(2024, 2, 1),
    )


@pytest.fixture
def make_contact() -> Callable[..., Contact]:
    def make(client: Client, name: str, **fields: Any) -> Contact:
        return contact_create(client=client, actor=client.coach, name=name, **fields)

    return make


@pytest.fixture
def reach() -> Callable[..., None]:
    """Outreach by `client` to `contact`, `days_ago` days back."""

    def reach(client: Client, contact: Contact, days_ago: int, **fields: Any) -> None:
        fields.setdefault("channel", Channel.EMAIL)
        fields.setdefault("direction", Direction.OUTBOUND)
        fields.setdefault("kind", InteractionKind.OUTREACH)
        interaction_record(
            client=client,
            actor=client.coach,
            contact=contact,
            occurred_at=timezone.now() - timedelta(days=days_ago),
            **fields,
        )

    return reach


@pytest.fixture
def as_user(http: HttpClient) -> Callable[[User], HttpClient]:
    def login(user: User) -> HttpClient:
        http.force_login(user)
        return http

    return login
