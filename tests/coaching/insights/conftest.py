"""Searches for the diagnostics reports: built with the demo's `SearchBuilder`, which writes real
records (and their timeline) dated relative to an as-of day, like the services would have."""

import random
from collections.abc import Callable
from datetime import UTC, date, datetime

import pytest

from accounts.models import User
from coaching.demo.builder import SearchBuilder
from coaching.models import Client
from coaching.services import client_create
from tests.coaching.conftest import other_search, search

__all__ = ["other_search", "search"]  # Cleo's search (coached by `coach`, Berlin) and Carl's

AS_OF = date(2024, 4, 15)  # a Monday, far from any slow season
NOW = datetime(2024, 4, 15, 16, 0, tzinfo=UTC)


@pytest.fixture
def builder() -> Callable[[Client], SearchBuilder]:
    def make(client: Client, seed: int = 1) -> SearchBuilder:
        return SearchBuilder(client=client, as_of=AS_OF, rng=random.Random(seed))

    return make


@pytest.fixture
def make_client(coach: User) -> Callable[..., Client]:
    """More clients of `coach` (or another coach), each with a user of its own."""
    from accounts.models import Role

    counter = iter(range(1, 10_000))

    def make(*, coach_user: User | None = None, time_zone: str = "UTC", **fields: object) -> Client:
        n = next(counter)
        user = User.objects.create_user(
            f"extra{n}@alpha.example.com", None, name=f"Extra Client {n:02d}", role=Role.CLIENT
        )
        owner = coach_user or coach
        return client_create(
            actor=owner,
            user=user,
            coach=owner,
            search_started_on=date(2024, 1, 8),
            time_zone=time_zone,
            **fields,  # type: ignore[arg-type]
        )

    return make
