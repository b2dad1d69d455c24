"""Searches for the practice's two clients, built through the services like real data."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from accounts.models import User
from coaching.models import Client, Contact
from tests import factories

NOW = datetime(2024, 4, 15, 12, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def search(client_user: User, coach: User) -> Client:
    """Cleo's search, coached by Cora (the `coach` fixture), started 2024-01-08."""
    return factories.cleos_search(client_user=client_user, coach=coach, started_on=date(2024, 1, 8))


@pytest.fixture
def other_search(other_client_user: User, other_coach: User) -> Client:
    """Carl's search, coached by Otto (`other_coach`)."""
    return factories.carls_search(other_client_user=other_client_user, other_coach=other_coach)


@pytest.fixture
def make_contact(coach: User) -> Callable[..., Contact]:
    counter = iter(range(1, 10_000))

    def make(client: Client, **fields: Any) -> Contact:
        fields.setdefault("name", f"Contact {next(counter)}")
        fields.setdefault("now", NOW)
        return factories.contact(client, **fields)

    return make


def _state() -> dict[str, tuple[int, Any]]:
    from django.apps import apps
    from django.db.models import Max

    return {
        model.__name__: (
            model.objects.count(),
            model.objects.aggregate(m=Max("updated_at"))["m"],
        )
        for model in apps.get_app_config("coaching").get_models()
    }


@pytest.fixture
def unchanged() -> Callable[[], Any]:
    """`with unchanged():` asserts the block leaves every coaching table as it was
    (`ignore` names models the block may touch, e.g. the ImportJob reporting a failure)."""
    from contextlib import contextmanager

    @contextmanager
    def check(ignore: frozenset[str] = frozenset()) -> Any:
        before = _state()
        yield
        after = _state()
        assert {k: v for k, v in after.items() if k not in ignore} == {
            k: v for k, v in before.items() if k not in ignore
        }

    return check
