"""Who may call, and what they see: keys per practice, scopes, roles, and the 404 rule."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from accounts.models import User
from integrations.models import ApiKey, KeyScope
from tests.api.conftest import error_of
from tests.conftest import PASSWORD, SeededPractice


def test_no_credentials_is_401_with_challenge(http: Client, search) -> None:
    response = http.get("/api/v1/clients/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Api-Key"
    assert error_of(response) == {
        "code": "not_authenticated",
        "message": "Authentication credentials were not provided.",
    }


def test_garbage_key_is_401(http: Client) -> None:
    response = http.get("/api/v1/clients/", HTTP_AUTHORIZATION="Api-Key nonsense")

    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_api_key"


def test_practice_a_key_is_unknown_on_practice_b(
    owner_api: APIClient, seeded: dict[str, SeededPractice]
) -> None:
    assert owner_api.get("/api/v1/clients/").status_code == 200

    on_b = APIClient(HTTP_HOST=seeded["b"].host)
    on_b.credentials(HTTP_AUTHORIZATION=f"Api-Key {owner_api.secret}")  # type: ignore[attr-defined]
    response = on_b.get("/api/v1/clients/")

    assert response.status_code == 401
    assert error_of(response)["code"] == "invalid_api_key"


def test_key_with_same_prefix_in_b_does_not_let_as_key_in(
    owner_api: APIClient, seeded: dict[str, SeededPractice]
) -> None:
    """Even a row in B with A's prefix (vanishingly unlikely) needs the right secret."""
    a_key: ApiKey = owner_api.api_key  # type: ignore[attr-defined]
    with schema_context(seeded["b"].schema_name):
        b_owner = User.objects.get(email="owner@bravo.example.com")
        b_key, _ = ApiKey.objects.create_key(name="b", acts_as=b_owner, scope=KeyScope.READ)
        ApiKey.objects.filter(pk=b_key.pk).update(prefix=a_key.prefix)
    on_b = APIClient(HTTP_HOST=seeded["b"].host)
    on_b.credentials(HTTP_AUTHORIZATION=f"Api-Key {owner_api.secret}")  # type: ignore[attr-defined]

    assert on_b.get("/api/v1/clients/").status_code == 401


def test_revoked_key_is_401_at_once(owner_api: APIClient, api_for, owner: User) -> None:
    other = api_for(owner)
    prefix = other.api_key.prefix
    assert owner_api.post(f"/api/v1/api-keys/{prefix}/revoke/").status_code == 200

    response = other.get("/api/v1/clients/")

    assert response.status_code == 401
    assert ApiKey.objects.get(prefix=prefix).revoked_at is not None


def test_expired_key_is_401(coach_api: APIClient) -> None:
    key: ApiKey = coach_api.api_key  # type: ignore[attr-defined]
    ApiKey.objects.filter(pk=key.pk).update(expiry_date=timezone.now() - timedelta(seconds=1))

    assert coach_api.get("/api/v1/clients/").status_code == 401


def test_key_of_a_deactivated_member_stops_working(coach_api: APIClient, coach: User) -> None:
    User.objects.filter(pk=coach.pk).update(is_active=False)

    assert coach_api.get("/api/v1/clients/").status_code == 401


def test_read_only_key_reads_but_cannot_write(api_for, coach: User, search) -> None:
    reader = api_for(coach, scope=KeyScope.READ)

    assert reader.get(f"/api/v1/clients/{search.pk}/").status_code == 200
    response = reader.post("/api/v1/contacts/", {"client": search.pk, "name": "Ann"})

    assert response.status_code == 403
    assert error_of(response)["code"] == "read_only_key"
    assert not search.contacts.exists()


def test_last_used_is_recorded(coach_api: APIClient) -> None:
    key: ApiKey = coach_api.api_key  # type: ignore[attr-defined]
    assert key.last_used_at is None

    coach_api.get("/api/v1/clients/")

    key.refresh_from_db()
    assert key.last_used_at is not None


def test_keys_are_stored_hashed_and_shown_once(owner_api: APIClient, coach: User) -> None:
    response = owner_api.post(
        "/api/v1/api-keys/", {"name": "CRM sync", "scope": "read_write", "acts_as": coach.pk}
    )

    assert response.status_code == 201, response.json()
    body = response.json()
    secret = body["key"]
    stored = ApiKey.objects.get(prefix=body["id"])
    assert secret not in (stored.hashed_key, stored.id)
    assert stored.acts_as == coach
    assert stored.scope == "read_write"
    listed = owner_api.get("/api/v1/api-keys/").json()["results"]
    assert all("key" not in row for row in listed)
    assert body["id"] in {row["id"] for row in listed}


def test_client_sees_only_their_own_search(client_api: APIClient, search, other_search) -> None:
    assert [c["id"] for c in client_api.get("/api/v1/clients/").json()["results"]] == [search.pk]
    response = client_api.get(f"/api/v1/clients/{other_search.pk}/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_client_cannot_touch_another_clients_records(
    client_api: APIClient, other_search, make_contact
) -> None:
    theirs = make_contact(other_search)

    assert client_api.get(f"/api/v1/contacts/{theirs.pk}/").status_code == 404
    assert client_api.patch(f"/api/v1/contacts/{theirs.pk}/", {"name": "x"}).status_code == 404
    assert client_api.get("/api/v1/contacts/").json()["results"] == []
    # Referring to it in a new record is refused as if it did not exist.
    response = client_api.post(
        "/api/v1/interactions/",
        {
            "contact": theirs.pk,
            "occurred_at": "2024-04-01T10:00:00Z",
            "channel": "email",
            "direction": "outbound",
            "kind": "outreach",
        },
    )
    assert response.status_code == 400
    assert error_of(response)["fields"] == {"contact": [f"No such record (id {theirs.pk})."]}
    # Nor can their follow-ups be moved or done.
    from datetime import UTC, date, datetime

    from coaching.services import follow_up_schedule

    follow_up = follow_up_schedule(
        client=other_search, actor=other_search.coach, contact=theirs, due_on=date(2024, 4, 5)
    )
    from coaching.services import interaction_record

    message = interaction_record(
        client=other_search, actor=other_search.coach, contact=theirs,
        occurred_at=datetime(2024, 4, 1, 9, tzinfo=UTC), channel="email",
        direction="outbound", kind="outreach",
    )  # fmt: skip
    assert client_api.delete(f"/api/v1/interactions/{message.pk}/").status_code == 404
    assert other_search.interactions.filter(pk=message.pk).exists()
    for action, body in (("reschedule", {"due_on": "2024-05-01"}), ("complete", {})):
        moved = client_api.post(f"/api/v1/follow-ups/{follow_up.pk}/{action}/", body)
        assert moved.status_code == 404, action
    follow_up.refresh_from_db()
    assert (follow_up.due_on, follow_up.done_at) == (date(2024, 4, 5), None)


def test_coach_does_not_see_unassigned_clients(
    coach_api: APIClient, search, other_search, make_contact
) -> None:
    theirs = make_contact(other_search)

    assert [c["id"] for c in coach_api.get("/api/v1/clients/").json()["results"]] == [search.pk]
    for path in (
        f"/api/v1/clients/{other_search.pk}/",
        f"/api/v1/contacts/{theirs.pk}/",
    ):
        assert coach_api.get(path).status_code == 404
    missing = coach_api.get(f"/api/v1/clients/{other_search.pk + 10_000}/")
    not_mine = coach_api.post(f"/api/v1/clients/{other_search.pk}/status/", {"status": "paused"})
    assert not_mine.status_code == missing.status_code == 404
    assert error_of(not_mine) == error_of(missing)
    other_search.refresh_from_db()
    assert other_search.status == "active"


def test_owner_sees_every_client(owner_api: APIClient, search, other_search) -> None:
    ids = {c["id"] for c in owner_api.get("/api/v1/clients/").json()["results"]}

    assert ids == {search.pk, other_search.pk}


@pytest.mark.parametrize(
    "path", ["/api/v1/members/", "/api/v1/invitations/", "/api/v1/api-keys/", "/api/v1/webhooks/"]
)
def test_practice_settings_are_owner_only_and_404_for_others(
    path: str, coach_api: APIClient, client_api: APIClient, owner_api: APIClient
) -> None:
    assert owner_api.get(path).status_code == 200
    for api in (coach_api, client_api):
        response = api.get(path)
        assert response.status_code == 404
        assert error_of(response)["code"] == "not_found"


def test_client_gets_403_for_a_coach_only_change(client_api: APIClient, search) -> None:
    """They may see their search, so refusing a coach's judgement is 403, not 404."""
    response = client_api.post(f"/api/v1/clients/{search.pk}/status/", {"status": "paused"})

    assert response.status_code == 403
    assert error_of(response) == {
        "code": "permission_denied",
        "message": "Only the client's coach can change this.",
    }


def test_session_auth_works_and_enforces_csrf(
    seeded: dict[str, SeededPractice], coach: User, search
) -> None:
    browser = Client(HTTP_HOST=seeded["a"].host, enforce_csrf_checks=True)
    assert browser.login(email=coach.email, password=PASSWORD)

    assert browser.get("/api/v1/clients/").status_code == 200
    refused = browser.post(
        "/api/v1/contacts/", {"client": search.pk, "name": "Ann"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert "CSRF" in error_of(refused)["message"]

    token = get_random_string(32)  # what the CSRF cookie holds; the page echoes it back
    browser.cookies["warmpath_csrf"] = token
    accepted = browser.post(
        "/api/v1/contacts/",
        {"client": search.pk, "name": "Ann"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert accepted.status_code == 201, accepted.json()


def test_session_of_a_means_nothing_on_b(
    seeded: dict[str, SeededPractice], coach: User, http: Client
) -> None:
    assert http.login(email=coach.email, password=PASSWORD)
    on_b = Client(HTTP_HOST=seeded["b"].host)
    on_b.cookies = http.cookies

    assert on_b.get("/api/v1/clients/").status_code == 401


def test_public_site_has_no_api(public_http: Client) -> None:
    assert public_http.get("/api/v1/clients/").status_code == 404


def test_unknown_api_path_is_404_in_the_api_format(owner_api: APIClient) -> None:
    response = owner_api.get("/api/v1/nothing-here/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"
