"""Members administration and the audit log over the API (owner only), and what deactivation
stops: every session of the member and every key acting as them, on the very next request."""

from django.test import Client
from rest_framework.test import APIClient

from accounts.models import Role, User
from accounts.services import member_deactivate, member_role_change
from audit.actions import AuditAction
from audit.models import AuditEvent
from tests.api.conftest import KeyMaker, error_of
from tests.conftest import PASSWORD


def _last(action: AuditAction) -> AuditEvent:
    event = AuditEvent.objects.filter(action=action).order_by("-id").first()
    assert event is not None, f"no {action} entry"
    return event


def test_api_changes_name_the_key_that_made_them(
    owner_api: APIClient, owner: User, coach: User
) -> None:
    response = owner_api.post(f"/api/v1/members/{coach.pk}/deactivate/")

    assert response.status_code == 200
    event = _last(AuditAction.MEMBER_DEACTIVATED)
    assert event.via == "api"
    assert owner_api.api_key.prefix in event.actor_label  # type: ignore[attr-defined]


def test_the_api_lists_the_log_for_owners_only(
    owner_api: APIClient,
    coach_api: APIClient,
    client_api: APIClient,
    owner: User,
    other_coach: User,
) -> None:
    member_role_change(actor=owner, member=other_coach, role=Role.CLIENT)

    listed = owner_api.get("/api/v1/audit-events/?action=member.role_changed").json()["results"]

    assert [e["object_label"] for e in listed] == [other_coach.email]
    assert listed[0]["action_label"] == "Changed a member's role"
    for api in (coach_api, client_api):
        assert api.get("/api/v1/audit-events/").status_code == 404
    assert owner_api.delete(f"/api/v1/audit-events/{listed[0]['id']}/").status_code == 405


def test_deactivating_a_member_stops_their_sessions_and_keys_at_once(
    api_for: KeyMaker, owner_api: APIClient, coach: User, http: Client, search
) -> None:
    coach_api = api_for(coach)
    assert coach_api.get("/api/v1/clients/").status_code == 200  # the key is now remembered
    browser = Client(HTTP_HOST=http.defaults["HTTP_HOST"])
    browser.post("/accounts/login/", {"login": coach.email, "password": PASSWORD})
    assert browser.get("/").status_code == 200

    assert owner_api.post(f"/api/v1/members/{coach.pk}/deactivate/").status_code == 200

    assert coach_api.get("/api/v1/clients/").status_code == 401
    assert browser.get("/").status_code == 302  # to the login page
    assert not coach.member_sessions.exists()
    refused = browser.post("/accounts/login/", {"login": coach.email, "password": PASSWORD})
    assert refused.status_code != 302 or refused.url.startswith("/accounts/inactive")


def test_reactivating_lets_the_member_back_in(
    owner_api: APIClient, owner: User, coach: User, http: Client
) -> None:
    member_deactivate(actor=owner, member=coach)

    response = owner_api.post(f"/api/v1/members/{coach.pk}/reactivate/")

    assert (response.status_code, response.json()["is_active"]) == (200, True)
    response = http.post("/accounts/login/", {"login": coach.email, "password": PASSWORD})
    assert response.status_code == 302
    assert http.get("/").status_code == 200


def test_role_change_over_the_api_and_the_last_owner_is_kept(
    owner_api: APIClient, owner: User, coach: User
) -> None:
    response = owner_api.post(f"/api/v1/members/{coach.pk}/role/", {"role": "owner"})
    assert (response.status_code, response.json()["role"]) == (200, "owner")

    member_role_change(actor=owner, member=coach, role=Role.COACH)
    refused = owner_api.post(f"/api/v1/members/{owner.pk}/role/", {"role": "coach"})

    assert refused.status_code == 400
    assert "needs an owner" in str(error_of(refused))
    owner.refresh_from_db()
    assert owner.role == Role.OWNER


def test_member_actions_are_owner_only_and_practice_bound(
    coach_api: APIClient, client_api: APIClient, api_for: KeyMaker, owner: User, coach: User, seeded
) -> None:
    for api in (coach_api, client_api):
        assert api.post(f"/api/v1/members/{owner.pk}/deactivate/").status_code == 404
    foreign = api_for(owner, host=seeded["b"].host)
    assert foreign.post(f"/api/v1/members/{coach.pk}/deactivate/").status_code == 401
    coach.refresh_from_db()
    owner.refresh_from_db()
    assert coach.is_active
    assert owner.is_active
