"""Keys are remembered between requests (api.remembered_keys), and never past a change."""

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.models import User
from api import remembered_keys
from integrations.keys import api_key_revoke
from tests.conftest import SeededPractice


def _key_reads(api: APIClient) -> tuple[int, int]:
    """(status, statements that read the key table) of one request."""
    with CaptureQueriesContext(connection) as captured:
        status = api.get("/api/v1/clients/").status_code
    reads = sum('FROM "api_apikey"' in q["sql"] for q in captured.captured_queries)
    return status, reads


def test_a_key_is_read_once_then_remembered(coach_api: APIClient) -> None:
    assert _key_reads(coach_api) == (200, 1)
    assert _key_reads(coach_api) == (200, 0)


def test_a_revoked_key_stops_at_once(coach_api: APIClient, owner: User) -> None:
    _key_reads(coach_api)
    api_key_revoke(api_key=coach_api.api_key, actor=owner)  # type: ignore[attr-defined]
    assert _key_reads(coach_api)[0] == 401


def test_a_deactivated_member_s_key_stops_at_once(coach_api: APIClient, coach: User) -> None:
    _key_reads(coach_api)
    coach.is_active = False
    coach.save()
    assert _key_reads(coach_api)[0] == 401


def test_a_changed_member_is_read_again(coach_api: APIClient, coach: User) -> None:
    _key_reads(coach_api)
    coach.name = "Cora Renamed"
    coach.save()
    assert _key_reads(coach_api) == (200, 1)


def test_a_lookup_that_raced_a_revocation_cannot_bring_the_key_back(
    coach_api: APIClient, owner: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lookup reads the live row; the key is revoked before the lookup stores it."""
    remember = remembered_keys._remember

    def revoke_first(**kwargs: Any) -> None:
        api_key_revoke(api_key=coach_api.api_key, actor=owner)  # type: ignore[attr-defined]
        remember(**kwargs)

    monkeypatch.setattr(remembered_keys, "_remember", revoke_first)
    assert _key_reads(coach_api)[0] == 200  # this request had read the key before
    monkeypatch.setattr(remembered_keys, "_remember", remember)
    assert _key_reads(coach_api)[0] == 401


def test_a_remembered_key_still_only_works_on_its_own_practice(
    coach_api: APIClient, seeded: dict[str, SeededPractice]
) -> None:
    assert _key_reads(coach_api)[0] == 200
    on_b = APIClient(HTTP_HOST=seeded["b"].host)
    on_b.credentials(HTTP_AUTHORIZATION=f"Api-Key {coach_api.secret}")  # type: ignore[attr-defined]
    assert on_b.get("/api/v1/clients/").status_code == 401
