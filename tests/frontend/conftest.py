"""Searches for practice A's two clients, built through the services like real data."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client as HttpClient
from django.utils import timezone

from accounts.models import User
from coaching.models import Client, Contact
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    """Dashboard summaries are cached per client id; ids repeat across rolled-back tests."""
    cache.clear()


@pytest.fixture
def search(client_user: User, coach: User) -> Client:
    """Cleo's search, coached by Cora (the `coach` fixture), started 60 days ago."""
    started = timezone.localdate() - timedelta(days=60)
    return factories.cleos_search(client_user=client_user, coach=coach, started_on=started)


@pytest.fixture
def other_search(other_client_user: User, other_coach: User) -> Client:
    """Carl's search, coached by Otto (`other_coach`)."""
    return factories.carls_search(other_client_user=other_client_user, other_coach=other_coach)


@pytest.fixture
def make_contact() -> Callable[..., Contact]:
    def make(client: Client, name: str, **fields: Any) -> Contact:
        return factories.contact(client, name=name, **fields)

    return make


@pytest.fixture
def reach() -> Callable[..., None]:
    """Outreach by `client` to `contact`, `days_ago` days back."""

    def reach(client: Client, contact: Contact, days_ago: int, **fields: Any) -> None:
        factories.outreach(client, contact, days_ago=days_ago, **fields)

    return reach


@pytest.fixture
def as_user(http: HttpClient) -> Callable[[User], HttpClient]:
    def login(user: User) -> HttpClient:
        http.force_login(user)
        return http

    return login
