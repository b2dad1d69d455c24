"""Requests racing each other through the API: the database keeps the data whole, and every
loser gets an answer in the error format naming the field, never a 500.

Eight requests create a contact with the same email at the same moment, from threads with their
own database connections. The service checks for a duplicate before writing, but all of them
may pass that check before any commits; the unique constraint then refuses the late ones
(IntegrityError), which must read exactly like the duplicate they are. The rows are committed
(threads cannot share the test's transaction), in a practice made for this test and dropped
afterwards.
"""

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from accounts.models import Role, User
from api.models import ApiKey
from coaching.models import Contact
from coaching.services import client_create
from tenants.models import Practice
from tenants.provisioning import practice_create, practice_host

RACERS = 8


@dataclass(frozen=True)
class RacePractice:
    host: str
    secret: str
    client_id: int
    schema_name: str


def test_this_module_runs_on_a_test_database(db: None) -> None:
    """Also what makes pytest-django create the test database when this file runs alone."""
    assert str(connection.settings_dict["NAME"]).startswith("test_")


@pytest.fixture
def race_practice(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[RacePractice]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert str(connection.settings_dict["NAME"]).startswith("test_")
        created = practice_create(
            name="Race Coaching",
            slug="faults-race",
            owner_name="Rae Owner",
            owner_email="owner@race.example.com",
            password="a-long-race-password-42",
        )
        practice = created.practice
        try:
            with schema_context(practice.schema_name):
                coach = User.objects.create_user("coach@race.example.com", None, role=Role.COACH)
                person = User.objects.create_user("cleo@race.example.com", None, role=Role.CLIENT)
                client = client_create(
                    actor=coach, user=person, coach=coach, search_started_on=date(2024, 1, 8)
                )
                _, secret = ApiKey.objects.create_key(
                    name="race", scope="read_write", acts_as=coach, created_by=created.owner
                )
            yield RacePractice(
                practice_host(slug="faults-race"), secret, client.pk, practice.schema_name
            )
        finally:
            connection.set_schema_to_public()
            Practice.objects.get(pk=practice.pk).delete(force_drop=True)


def _create(race: RacePractice, start: threading.Barrier, results: list[Any]) -> None:
    api = APIClient(HTTP_HOST=race.host)
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {race.secret}")
    body = {"client": race.client_id, "name": "Ann Archer", "email": "Ann@Example.com"}
    try:
        start.wait()
        response = api.post("/api/v1/contacts/", body, format="json")
        results.append((response.status_code, json.loads(response.content.decode("utf-8"))))
    except BaseException as exc:  # the assertion below shows it
        results.append((0, repr(exc)))
    finally:
        connection.close()


def test_concurrent_creates_of_one_email_make_one_contact_and_name_the_field(
    race_practice: RacePractice,
) -> None:
    start = threading.Barrier(RACERS)
    results: list[Any] = []
    threads = [
        threading.Thread(target=_create, args=(race_practice, start, results))
        for _ in range(RACERS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    statuses = sorted(status for status, _ in results)
    assert statuses == [201] + [400] * (RACERS - 1), results
    for status, body in results:
        if status == 400:
            assert set(body) == {"error"}
            assert body["error"]["code"] == "validation_error"
            assert list(body["error"]["fields"]) == ["email"], body
    with schema_context(race_practice.schema_name):
        assert Contact.objects.filter(email="ann@example.com").count() == 1
