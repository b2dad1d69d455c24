"""Captured items over the API: listed within the usual scope (a client their own, a coach their
clients', the owner all; nothing of another practice), private to the client until confirmed,
and reviewed by the client only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from rest_framework.test import APIClient

from coaching.capture.models import CapturedInteraction, CaptureSource, ReviewState
from coaching.choices import Channel, Direction, InteractionKind
from coaching.models import Client, Interaction
from tests.conftest import SeededPractice

from .conftest import error_of

AT = datetime(2024, 3, 1, 9, 0, tzinfo=UTC)


def _item(client: Client, n: int, *, thread: str, state: str = ReviewState.PENDING):
    return CapturedInteraction.objects.create(
        client=client, source=CaptureSource.MAIL, key=f"k{client.pk}-{n}", thread_key=thread,
        occurred_at=AT + timedelta(days=n), channel=Channel.EMAIL, direction=Direction.OUTBOUND,
        kind=InteractionKind.OUTREACH, state=state, person_name=f"Person {n}",
        person_email=f"person{n}@mail.test",
    )  # fmt: skip


@pytest.fixture
def items(search: Client, other_search: Client) -> dict[str, CapturedInteraction]:
    return {
        "work": _item(search, 1, thread="mail:<work@x>"),
        "work_reply": _item(search, 2, thread="mail:<work@x>"),
        "personal": _item(search, 3, thread="mail:<dentist@x>"),
        "confirmed": _item(search, 4, thread="mail:<old@x>", state=ReviewState.CONFIRMED),
        "carls": _item(other_search, 5, thread="mail:<carl@x>"),
    }


def _ids(api: APIClient, query: str = "") -> set[int]:
    response = api.get(f"/api/v1/captured/{query}")
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def test_the_client_lists_their_own_pending_items(client_api, items, search) -> None:
    pending = _ids(client_api, f"?client={search.pk}&state=pending")
    assert pending == {items[k].pk for k in ("work", "work_reply", "personal")}
    row = client_api.get(f"/api/v1/captured/{items['personal'].pk}/").json()
    assert (row["person_name"], row["thread_key"]) == ("Person 3", "mail:<dentist@x>")


def test_each_reader_sees_only_their_scope(
    client_api, other_client_api, coach_api, other_coach_api, owner_api, items
) -> None:
    cleos = {items[k].pk for k in ("work", "work_reply", "personal", "confirmed")}
    assert _ids(client_api) == cleos
    assert _ids(other_client_api) == {items["carls"].pk}
    assert _ids(coach_api) == cleos
    assert _ids(other_coach_api) == {items["carls"].pk}
    assert _ids(owner_api) == cleos | {items["carls"].pk}
    for api, foreign in ((other_client_api, "work"), (other_coach_api, "work"),
                         (client_api, "carls"), (coach_api, "carls")):  # fmt: skip
        assert api.get(f"/api/v1/captured/{items[foreign].pk}/").status_code == 404


def test_the_coach_sees_that_items_wait_but_not_with_whom(coach_api, items) -> None:
    waiting = coach_api.get(f"/api/v1/captured/{items['personal'].pk}/").json()
    assert waiting["state"] == "pending"
    assert [waiting[f] for f in ("person_name", "person_email", "thread_key", "contact")] == [
        "", "", "", None,
    ]  # fmt: skip
    confirmed = coach_api.get(f"/api/v1/captured/{items['confirmed'].pk}/").json()
    assert confirmed["person_name"] == "Person 4"


def test_another_practice_sees_nothing(api_for, seeded: dict[str, SeededPractice], owner, items):
    on_b = api_for(owner, host=seeded["b"].host)  # practice A's key on practice B's host
    assert on_b.get("/api/v1/captured/").status_code == 401


def test_the_client_leaves_a_thread_out_and_confirms_the_rest(client_api, items, search) -> None:
    response = client_api.post(
        "/api/v1/captured/review/",
        {"client": search.pk, "leave_out": ["mail:<dentist@x>"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"confirmed": 2, "left_out": 1, "people_created": 2, "not_usable": 0}
    items["personal"].refresh_from_db()
    assert items["personal"].state == ReviewState.EXCLUDED
    assert Interaction.objects.filter(client=search, captured_from__isnull=False).count() == 2
    assert _ids(client_api, "?state=pending") == set()


def test_only_the_client_reviews(
    coach_api, owner_api, other_client_api, other_coach_api, items, search
) -> None:
    body = {"client": search.pk, "leave_out": []}
    for api in (coach_api, owner_api):  # they see the search: refused
        response = api.post("/api/v1/captured/review/", body, format="json")
        assert response.status_code == 403, response.content
    for api in (other_client_api, other_coach_api):  # they do not: as if it were not there
        response = api.post("/api/v1/captured/review/", body, format="json")
        assert response.status_code == 400, response.content
        assert "client" in str(error_of(response))
    assert CapturedInteraction.objects.filter(state=ReviewState.PENDING).count() == 4


def test_bad_input_says_what_and_where(client_api, search) -> None:
    response = client_api.post(
        "/api/v1/captured/review/", {"client": search.pk, "leave_out": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "leave_out" in str(error_of(response))
