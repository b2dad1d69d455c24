"""Every token kind, minted on practice A, tried on practice B's host, on the public host, and at
every other kind's door: each is refused and changes nothing.

User and invitation ids repeat from one practice's schema to the next (A's owner and B's owner
are both the first user of their schema), so a token that named only an id would open B's record.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

import pytest
import time_machine
from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.test import Client
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.handoff import handoff_token
from accounts.invitations import invitation_token
from accounts.models import Invitation, Role, User
from accounts.tokens import Purpose, TokenError, token_make, token_read
from notifications.services import calendar_feed_create, preferences_for
from notifications.tokens import unsubscribe_token
from tenants.models import Practice
from tests.conftest import PASSWORD


@dataclass(frozen=True)
class Door:
    """Where a token kind is used, and how a use that worked would show on the host's practice."""

    kind: str
    make: Callable[[User, Invitation], str]
    path: Callable[[str], str]
    post: dict[str, str] | None


def _invitation_token(_owner: User, invitation: Invitation) -> str:
    return invitation_token(invitation_id=invitation.pk)


def _handoff_token(owner: User, _invitation: Invitation) -> str:
    return handoff_token(user=owner)


def _reset_token(owner: User, _invitation: Invitation) -> str:
    return f"{user_pk_to_url_str(owner)}-{default_token_generator.make_token(owner)}"


def _unsubscribe_token(owner: User, _invitation: Invitation) -> str:
    return unsubscribe_token(user_id=owner.pk, topic="all")


def _feed_token(owner: User, _invitation: Invitation) -> str:
    return calendar_feed_create(user=owner)


DOORS = [
    Door(
        "invitation",
        _invitation_token,
        lambda t: f"/invitations/{t}/",
        {"name": "Mallory", "password": "attacker-password-99"},
    ),
    Door("handoff", _handoff_token, lambda t: f"/auth/handoff/?token={t}", None),
    Door(
        "password reset",
        _reset_token,
        lambda t: f"/accounts/password/reset/key/{t}/",
        {"password1": "attacker-password-99", "password2": "attacker-password-99"},
    ),
    Door("unsubscribe", _unsubscribe_token, lambda t: f"/notifications/unsubscribe/{t}/", {}),
    Door("calendar feed", _feed_token, lambda t: f"/notifications/calendar/{t}.ics", None),
]


@pytest.fixture
def minted(owner: User, other_practice: Practice) -> dict[str, str]:
    """One token of every kind, minted on practice A for A's owner (and an invitation of A's).

    Practice B gets a pending invitation with the same id, as the attack found it."""
    invitation = Invitation.objects.create(
        email="invitee@alpha.example.com", role=Role.COACH, invited_by=owner
    )
    with schema_context(other_practice.schema_name):
        Invitation.objects.create(
            pk=invitation.pk,
            email="invitee@bravo.example.com",
            role=Role.COACH,
            invited_by=User.objects.get(role=Role.OWNER),
        )
    return {door.kind: door.make(owner, invitation) for door in DOORS}


def _state(practice: Practice) -> tuple[object, ...]:
    """What a successful use would change on a practice: members, passwords, preferences."""
    with schema_context(practice.schema_name):
        users = list(User.objects.order_by("pk").values_list("email", "password", "last_login"))
        owner = User.objects.get(role=Role.OWNER)
        return (users, preferences_for(user=owner), Invitation.objects.count())


def _try(http: Client, door: Door, token: str) -> tuple[int, bytes]:
    response = http.get(door.path(token), follow=True)
    status, body = response.status_code, response.content
    if door.post is not None:
        target = response.redirect_chain[-1][0] if response.redirect_chain else door.path(token)
        posted = http.post(target, door.post, follow=True)
        status, body = posted.status_code, body + posted.content
    return status, body


def _signed_in(http: Client) -> bool:
    return http.get("/").status_code == 200


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.kind)
def test_a_token_from_practice_a_opens_nothing_on_practice_b(
    door: Door,
    minted: dict[str, str],
    owner: User,
    other_practice: Practice,
    other_http: Client,
) -> None:
    with schema_context(other_practice.schema_name):
        # The attack needs B to have a user with the same id as A's owner: it does.
        assert User.objects.filter(pk=owner.pk).exists()
    before = _state(other_practice)

    status, body = _try(other_http, door, minted[door.kind])

    assert status in (400, 404) or b"invalid" in body.lower() or b"not valid" in body.lower()
    assert b"invitee@" not in body
    assert not _signed_in(other_http)
    assert _state(other_practice) == before


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.kind)
def test_a_token_from_practice_a_opens_nothing_on_the_public_host(
    door: Door, minted: dict[str, str], public_http: Client, practice: Practice
) -> None:
    before = _state(practice)

    status, _ = _try(public_http, door, minted[door.kind])

    assert status == 404
    assert _state(practice) == before


@pytest.mark.parametrize("door", DOORS, ids=lambda d: d.kind)
def test_a_token_is_refused_at_every_other_kind_of_door(
    door: Door, minted: dict[str, str], practice: Practice, http: Client
) -> None:
    before = _state(practice)
    for kind, token in minted.items():
        if kind == door.kind:
            continue
        status, body = _try(http, door, token)
        assert status in (400, 404) or b"invalid" in body.lower(), (kind, door.kind)
        assert not _signed_in(http), (kind, door.kind)
    assert _state(practice) == before


def test_each_token_still_works_at_its_own_door_on_its_own_practice(
    minted: dict[str, str], http: Client, owner: User
) -> None:
    """The matrix above proves refusal; this proves the doors are not simply shut."""
    assert http.get(f"/invitations/{minted['invitation']}/").status_code == 200
    assert http.get(f"/notifications/calendar/{minted['calendar feed']}.ics").status_code == 200
    assert http.get(f"/notifications/unsubscribe/{minted['unsubscribe']}/").status_code == 200
    assert http.get(f"/auth/handoff/?token={minted['handoff']}").status_code == 302
    assert _signed_in(http)


def test_purposes_and_practices_never_cross_in_the_signature() -> None:
    for made_for in Purpose:
        token = token_make(purpose=made_for, data={"u": 1}, schema_name="p_alpha")
        assert token_read(purpose=made_for, token=token, schema_name="p_alpha") == {"u": 1}
        with pytest.raises(TokenError):
            token_read(purpose=made_for, token=token, schema_name="p_bravo")
        for other in Purpose:
            if other is not made_for:
                with pytest.raises(TokenError):
                    token_read(purpose=other, token=token, schema_name="p_alpha")


def test_a_handoff_signs_in_once_and_dies(http: Client, owner: User) -> None:
    token = handoff_token(user=owner)

    assert http.get(f"/auth/handoff/?token={token}").status_code == 302
    replay = Client(HTTP_HOST=http.defaults["HTTP_HOST"])

    assert replay.get(f"/auth/handoff/?token={token}").status_code == 400
    assert not _signed_in(replay)


def test_a_handoff_expires_after_a_minute(http: Client, owner: User) -> None:
    token = handoff_token(user=owner)

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        response = http.get(f"/auth/handoff/?token={token}")

    assert response.status_code == 400
    assert not _signed_in(http)


def test_the_seeded_owner_who_never_logged_in_cannot_be_taken_over_from_another_practice(
    other_practice: Practice, other_http: Client, owner: User
) -> None:
    """The reported attack: B's owner has never logged in; a hand-off minted on A for A's
    owner (same id, same empty last login) must not sign in as B's owner."""
    with schema_context(other_practice.schema_name):
        User.objects.filter(role=Role.OWNER).update(last_login=None)
    User.objects.filter(pk=owner.pk).update(last_login=None)
    owner.refresh_from_db()

    response = other_http.get(f"/auth/handoff/?token={handoff_token(user=owner)}")

    assert response.status_code == 400
    assert not _signed_in(other_http)
    with schema_context(other_practice.schema_name):
        assert User.objects.get(role=Role.OWNER).check_password(PASSWORD)
