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
