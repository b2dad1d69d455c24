"""Account emails go out in the practice's name (accounts/emails.py): the subject starts with it,
the sender is "<practice> via Warmpath", greeting and signature name it, never the host; each has
a plain-text and an HTML part."""

import pytest
from django.core import mail
from django.test import Client

from accounts.models import Role, User
from accounts.services import invitation_create
from tests.accounts.test_email_and_limits import SIGNUP

pytestmark = pytest.mark.django_db


def _assert_branded(message: mail.EmailMessage, name: str) -> None:
    assert message.subject.startswith(f"{name}: "), message.subject
    assert f"{name} via Warmpath" in message.from_email
    assert "Hello from" not in message.body
    assert f"{name}, through Warmpath" in message.body
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    assert name in html
    assert "Hello from" not in html
    assert message.alternatives[0][1] == "text/html"  # type: ignore[attr-defined]


def test_an_invitation_names_the_practice(practice, owner: User) -> None:
    _, link = invitation_create(
        invited_by=owner,
        email="newcoach@alpha.example.com",
        role=Role.COACH,
        name="Nia",
        practice_url="http://alpha.localhost:8000",
    )
    message = mail.outbox[-1]
    _assert_branded(message, practice.name)
    assert f"join {practice.name} on Warmpath as a coach" in message.body
    assert link in message.body
    assert link in message.alternatives[0][0]
    assert message.body.startswith("Hello Nia,")


def test_the_address_confirmation_after_signup_names_the_new_practice(
    public_http: Client,
) -> None:
    assert public_http.post("/signup/", SIGNUP).status_code == 302
    message = mail.outbox[-1]
    _assert_branded(message, SIGNUP["name"])
    assert "/accounts/confirm-email/" in message.body


def test_an_operator_prefix_wins_over_the_practice_name(practice, owner: User, settings) -> None:
    settings.ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Acme] "
    invitation_create(
        invited_by=owner,
        email="other@alpha.example.com",
        role=Role.CLIENT,
        practice_url="http://alpha.localhost:8000",
    )
    assert mail.outbox[-1].subject.startswith("[Acme] ")


def test_opening_the_email_page_does_not_lock_an_operator_made_owner_out(
    http: Client, practice, owner: User
) -> None:
    """allauth's email page records the address it finds on the user (unconfirmed, not primary);
    that is not a signup waiting for its link, so the owner may still invite."""
    from accounts.verification import email_confirmation_pending

    http.force_login(owner)
    assert http.get("/accounts/email/").status_code == 200
    assert not email_confirmation_pending(user=owner)
    invited = http.post("/members/", {"email": "x@alpha.example.com", "role": "coach", "name": "X"})
    assert "Confirm your email address first" not in invited.content.decode()
