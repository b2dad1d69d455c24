"""API fixtures: keys acting as each role, and HTTP clients that send them to a practice's host.

The coaching fixtures (`search`, `other_search`, `make_contact`, `now`) are shared with
tests/coaching so both suites build the same searches through the services."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from integrations.models import ApiKey, KeyScope
from tests.coaching.conftest import make_contact, now, other_search, search, unchanged
from tests.conftest import SeededPractice

__all__ = ["make_contact", "now", "other_search", "search", "unchanged"]

KeyMaker = Callable[..., APIClient]


@pytest.fixture
def api_for(seeded: dict[str, SeededPractice], owner: User) -> KeyMaker:
    """`api_for(user, scope=...)`: a client on practice A's host with a fresh key acting as
    `user`. The key is on the client as `.api_key` and its secret as `.secret`."""

    def make(user: User, *, scope: str = KeyScope.READ_WRITE, host: str | None = None) -> APIClient:
        api_key, secret = ApiKey.objects.create_key(
            name=f"test key for {user.email}", scope=scope, acts_as=user, created_by=owner
        )
        client = APIClient(HTTP_HOST=host or seeded["a"].host)
        client.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
        client.api_key = api_key  # type: ignore[attr-defined]
        client.secret = secret  # type: ignore[attr-defined]
        return client

    return make


@pytest.fixture
def owner_api(api_for: KeyMaker, owner: User) -> APIClient:
    return api_for(owner)


@pytest.fixture
def coach_api(api_for: KeyMaker, coach: User) -> APIClient:
    return api_for(coach)


@pytest.fixture
def other_coach_api(api_for: KeyMaker, other_coach: User) -> APIClient:
    return api_for(other_coach)


@pytest.fixture
def client_api(api_for: KeyMaker, client_user: User) -> APIClient:
    return api_for(client_user)


@pytest.fixture
def other_client_api(api_for: KeyMaker, other_client_user: User) -> APIClient:
    return api_for(other_client_user)


def error_of(response) -> dict:  # type: ignore[no-untyped-def]
    body = response.json()
    assert set(body) == {"error"}, body
    return body["error"]
