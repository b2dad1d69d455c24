"""The API's date-times: an offset is honoured, a time without one is the client's wall clock
(across a DST change and across midnight UTC); and the interactions endpoint settles what the
message settles, like every other way in."""

from datetime import UTC, datetime, timedelta

from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import Client, Introduction, Meeting
from tests.api.conftest import error_of

LA = "America/Los_Angeles"


def _la(search: Client) -> Client:
    search.time_zone = LA
    search.save(update_fields=["time_zone"])
    return search


def _meeting(api: APIClient, contact_id: int, when: str) -> datetime:
    response = api.post(
        "/api/v1/meetings/",
        {"contact": contact_id, "scheduled_for": when, "purpose": "networking"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return Meeting.objects.get(pk=response.json()["id"]).scheduled_for


def test_an_offset_is_honoured_and_a_bare_time_is_the_clients(
    coach_api: APIClient, search: Client, make_contact
) -> None:
    ann = make_contact(_la(search))
    assert _meeting(coach_api, ann.pk, "2026-01-15T10:00:00-05:00") == datetime(
        2026, 1, 15, 15, 0, tzinfo=UTC
    )
    # A Los Angeles winter morning is 18:00 UTC ...
    assert _meeting(coach_api, ann.pk, "2026-01-15T10:00:00") == datetime(
        2026, 1, 15, 18, 0, tzinfo=UTC
    )
    # ... the same wall time after the clocks move (8 March 2026) is 17:00 UTC ...
    assert _meeting(coach_api, ann.pk, "2026-03-09T10:00:00") == datetime(
        2026, 3, 9, 17, 0, tzinfo=UTC
    )
    # ... and an evening there is the next day in UTC.
    assert _meeting(coach_api, ann.pk, "2026-01-15T20:30:00") == datetime(
        2026, 1, 16, 4, 30, tzinfo=UTC
    )


def test_a_bare_time_on_a_step_is_in_the_zone_of_the_introductions_client(
    coach_api: APIClient, search: Client, make_contact
) -> None:
    _la(search)
    intro = Introduction.objects.create(
        client=search,
        introducer=make_contact(search),
        target=make_contact(search),
        made_at=datetime(2024, 1, 2, tzinfo=UTC),
    )
    response = coach_api.post(
        f"/api/v1/introductions/{intro.pk}/contacted/", {"at": "2024-01-03T23:30:00"}, format="json"
    )
    assert response.status_code == 200, response.json()
    intro.refresh_from_db()
    assert intro.first_contact_at == datetime(2024, 1, 4, 7, 30, tzinfo=UTC)


def test_a_bare_time_out_of_range_names_the_field(
    coach_api: APIClient, search: Client, make_contact
) -> None:
    ann = make_contact(search)
    response = coach_api.post(
        "/api/v1/meetings/",
        {"contact": ann.pk, "scheduled_for": "1900-01-01T10:00:00", "purpose": "networking"},
        format="json",
    )
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["scheduled_for"]


def test_interactions_create_settles_the_introduction_and_asks_to_name_one_of_two(
    coach_api: APIClient, search: Client, make_contact
) -> None:
    target = make_contact(search)
    made = timezone.now() - timedelta(days=5)
    first = Introduction.objects.create(
        client=search, introducer=make_contact(search), target=target, made_at=made
    )
    second = Introduction.objects.create(
        client=search, introducer=make_contact(search), target=target, made_at=made
    )
    body = {
        "contact": target.pk,
        "occurred_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "channel": "email",
        "direction": "outbound",
        "kind": "outreach",
    }
    assert coach_api.post("/api/v1/interactions/", body, format="json").status_code == 201
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.first_contact_at is None  # two fit: none guessed
    assert second.first_contact_at is None
    named = {**body, "settles": [f"introduction:{second.pk}"]}
    assert coach_api.post("/api/v1/interactions/", named, format="json").status_code == 201
    second.refresh_from_db()
    assert second.first_contact_at is not None
    wrong = {**body, "settles": [f"introduction:{second.pk}"]}  # already settled now
    refused = coach_api.post("/api/v1/interactions/", wrong, format="json")
    assert refused.status_code == 400
    assert list(error_of(refused)["fields"]) == ["settles"]
