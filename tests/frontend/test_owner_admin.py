"""The owner's administration in the browser: deactivation stops sessions and API keys at once,
roles, invitations sent again or withdrawn, a coach's whole caseload moved in one action; every
button a 404 for coaches, clients and another practice."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django_tenants.utils import schema_context

from accounts.models import Invitation, Role, User
from accounts.services import invitation_create
from audit.actions import AuditAction
from audit.models import AuditEvent
from coaching.models import Client
from integrations.models import ApiKey
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _invite(owner: User, email: str = "new@alpha.example.com") -> Invitation:
    invitation, _ = invitation_create(
        invited_by=owner, email=email, role=Role.COACH, practice_url="http://alpha.test"
    )
    return invitation


def test_deactivation_from_the_page_stops_the_browser_and_the_key_at_once(
    http: HttpClient, owner: User, coach: User, search: Client
) -> None:
    host = http.defaults["HTTP_HOST"]
    browser = HttpClient(HTTP_HOST=host)
    browser.post("/accounts/login/", {"login": coach.email, "password": PASSWORD})
    assert browser.get("/").status_code == 200
    _, secret = ApiKey.objects.create_key(name="coach", acts_as=coach, created_by=owner)
    api = HttpClient(HTTP_HOST=host, HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert api.get("/api/v1/clients/").status_code == 200

    http.force_login(owner)
    response = http.post(f"/members/{coach.pk}/", {"action": "deactivate"})
    assert response.status_code == 302

    assert browser.get("/").status_code == 302  # signed out: to the login page
    assert api.get("/api/v1/clients/").status_code == 401
    http.post(f"/members/{coach.pk}/", {"action": "reactivate"})
    assert api.get("/api/v1/clients/").status_code == 200  # the key works again


def test_role_change_from_the_page(http: HttpClient, owner: User, other_coach: User) -> None:
    http.force_login(owner)
    http.post(f"/members/{other_coach.pk}/", {"action": "role", "role": "client"})
    other_coach.refresh_from_db()
    assert other_coach.role == Role.CLIENT


def test_invitations_are_sent_again_and_withdrawn(http: HttpClient, owner: User) -> None:
    invitation = _invite(owner)
    mail.outbox.clear()
    http.force_login(owner)
    page = http.get("/members/").content.decode()
    assert "Send again" in page
    assert (
        http.post(f"/members/invitations/{invitation.pk}/", {"action": "resend"}).status_code == 302
    )
    assert [m.to for m in mail.outbox] == [[invitation.email]]
    assert "/invitations/" in mail.outbox[0].body
    assert AuditEvent.objects.filter(action=AuditAction.INVITATION_RESENT).exists()
    link = mail.outbox[0].body.split("/invitations/")[1].split("/")[0]

    http.post(f"/members/invitations/{invitation.pk}/", {"action": "revoke"})
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert http.get(f"/invitations/{link}/").status_code == 400  # the link stops at once
    again = http.post(f"/members/invitations/{invitation.pk}/", {"action": "resend"}, follow=True)
    assert "withdrawn" in again.content.decode()
    assert len(mail.outbox) == 1


def test_all_of_a_coachs_clients_move_in_one_action(
    http: HttpClient,
    owner: User,
    coach: User,
    other_coach: User,
    client_user: User,
    other_client_user: User,
) -> None:
    from datetime import date

    from coaching.services import client_create

    for user in (client_user, other_client_user):
        client_create(actor=owner, user=user, coach=coach, search_started_on=date(2024, 1, 8))
    http.force_login(owner)
    page = http.get("/members/").content.decode()
    assert "Move all 2 to" in page
    response = http.post(
        f"/members/{coach.pk}/", {"action": "reassign", "coach": other_coach.pk}, follow=True
    )
    assert "2 clients of Cora Coach now coached by Otto Coach." in response.content.decode()
    assert set(Client.objects.values_list("coach_id", flat=True)) == {other_coach.pk}
    refused = http.post(
        f"/members/{other_coach.pk}/", {"action": "reassign", "coach": client_user.pk}, follow=True
    )
    assert "active coach or owner" in refused.content.decode()
    assert set(Client.objects.values_list("coach_id", flat=True)) == {other_coach.pk}


@pytest.mark.parametrize("who", ["coach", "client_user"])
def test_owner_buttons_are_a_404_for_coaches_and_clients(
    http: HttpClient, owner: User, other_coach: User, who: str, request: Any
) -> None:
    invitation = _invite(owner)
    http.force_login(request.getfixturevalue(who))
    for path, data in (
        (f"/members/{other_coach.pk}/", {"action": "deactivate"}),
        (f"/members/{other_coach.pk}/", {"action": "reassign", "coach": owner.pk}),
        (f"/members/invitations/{invitation.pk}/", {"action": "revoke"}),
        (f"/members/invitations/{invitation.pk}/", {"action": "resend"}),
    ):
        assert http.post(path, data).status_code == 404, path
    assert http.get("/members/").status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
    other_coach.refresh_from_db()
    assert other_coach.is_active


def test_another_practices_owner_cannot_reach_our_invitations(
    other_http: HttpClient, owner: User, other_practice: Any
) -> None:
    invitation = _invite(owner)
    with schema_context(other_practice.schema_name):
        other_http.force_login(User.objects.get(email="owner@bravo.example.com"))
        response = other_http.post(f"/members/invitations/{invitation.pk}/", {"action": "revoke"})
    assert response.status_code == 404
    invitation.refresh_from_db()
    assert invitation.revoked_at is None
