from datetime import timedelta

import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.invitations import invitation_token
from accounts.models import Role, User
from accounts.services import invitation_create

URL = "http://alpha.localhost:8000"


def _invite(owner: User, email: str = "new@alpha.example.com") -> str:
    _, link = invitation_create(invited_by=owner, email=email, role=Role.CLIENT, practice_url=URL)
    return link.removeprefix(URL)


def test_invitation_is_emailed_and_accepting_it_logs_in(http: Client, owner: User) -> None:
    path = _invite(owner)

    assert mail.outbox[-1].to == ["new@alpha.example.com"]
    assert path in mail.outbox[-1].body
    response = http.post(path, {"name": "Nia New", "password": "fresh-password-77"})

    assert response.status_code == 302
    user = User.objects.get(email="new@alpha.example.com")
    assert (user.name, user.role) == ("Nia New", Role.CLIENT)
    assert http.get("/").status_code == 200


def test_reused_invitation_is_refused(http: Client, owner: User) -> None:
    path = _invite(owner)
    http.post(path, {"name": "Nia", "password": "fresh-password-77"})

    response = Client(HTTP_HOST="alpha.localhost").post(
        path, {"name": "Mallory", "password": "other-password-88"}
    )

    assert response.status_code == 400
    assert b"already been used" in response.content
    assert User.objects.filter(email="new@alpha.example.com").count() == 1


def test_expired_invitation_is_refused(http: Client, owner: User) -> None:
    path = _invite(owner)

    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = http.get(path)

    assert response.status_code == 400
    assert b"expired" in response.content


def test_tampered_invitation_is_refused(http: Client, owner: User) -> None:
    path = _invite(owner)
    token = path.split("/")[2]
    forged = invitation_token(invitation_id=999).split(":")[0] + ":" + token.split(":", 1)[1]

    response = http.get(f"/invitations/{forged}/")

    assert response.status_code == 400
    assert b"not valid" in response.content
    assert not User.objects.filter(email="new@alpha.example.com").exists()


def test_only_the_owner_can_invite(coach: User) -> None:
    import pytest
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="Only the practice owner"):
        invitation_create(
            invited_by=coach, email="x@example.com", role=Role.CLIENT, practice_url=URL
        )


def test_accepting_a_client_invitation_opens_their_search_with_the_chosen_coach(
    http: Client, owner: User, coach: User
) -> None:
    from coaching.models import Client as Search

    _, link = invitation_create(
        invited_by=owner,
        email="sam@alpha.example.com",
        role=Role.CLIENT,
        coach=coach,
        practice_url=URL,
    )
    http.post(link.removeprefix(URL), {"name": "Sam Seeker", "password": "fresh-password-77"})

    search = Search.objects.get(user__email="sam@alpha.example.com")
    assert search.coach == coach


def test_owner_invites_from_the_members_page(http: Client, owner: User) -> None:
    http.force_login(owner)

    response = http.post(
        "/members/", {"email": "cole@alpha.example.com", "name": "Cole", "role": "coach"}
    )

    assert response.status_code == 302
    assert mail.outbox[-1].to == ["cole@alpha.example.com"]
    page = http.get("/members/").content.decode()
    assert "cole@alpha.example.com" in page
    assert "Waiting to accept" in page


def test_members_page_is_for_the_owner_only(http: Client, coach: User, client_user: User) -> None:
    for person in (coach, client_user):
        http.force_login(person)
        assert http.get("/members/").status_code == 404


def test_members_page_shows_only_this_practices_people(other_http: Client, owner: User) -> None:
    from django_tenants.utils import schema_context

    with schema_context("p_bravo"):  # sessions live in the practice's own schema
        other_http.force_login(User.objects.get(email="owner@bravo.example.com"))

    page = other_http.get("/members/").content.decode()

    assert "owner@bravo.example.com" in page
    assert "alpha.example.com" not in page
