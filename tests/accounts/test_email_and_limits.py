"""An owner who signs up confirms their address before handing out access; signups, invitation
acceptances, sign-ins and password resets are rate limited per address."""

import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import Role, User
from accounts.services import invitation_create
from accounts.verification import email_confirmation_pending
from audit.actions import AuditAction
from audit.models import AuditEvent
from integrations.keys import api_key_create
from tests.conftest import PASSWORD

SIGNUP = {
    "name": "Quince Careers",
    "slug": "quince",
    "owner_name": "Quinn Owner",
    "owner_email": "quinn@quince.example.com",
    "password": "a-long-signup-password-9",
}


@pytest.fixture
def fresh_limits() -> None:
    """Rate-limit counters live in the cache, which outlives a test: start each limit test at 0
    (each xdist worker has a Redis database of its own, so this empties nobody else's)."""
    cache.clear()


def _confirmation_link() -> str:
    found = re.search(
        r"http://quince\.localhost(?::\d+)?(/accounts/confirm-email/\S+/)", mail.outbox[-1].body
    )
    assert found, mail.outbox[-1].body
    return found.group(1)


def test_a_signed_up_owner_confirms_their_address_before_inviting(public_http: Client) -> None:
    assert public_http.post("/signup/", SIGNUP).status_code == 302
    assert mail.outbox[-1].to == ["quinn@quince.example.com"]
    link = _confirmation_link()
    owner_browser = Client(HTTP_HOST="quince.localhost")
    owner_browser.post(
        "/accounts/login/", {"login": SIGNUP["owner_email"], "password": SIGNUP["password"]}
    )

    refused = owner_browser.post(
        "/members/", {"email": "c@quince.example.com", "role": "coach", "name": "C"}
    )
    assert "Confirm your email address first" in refused.content.decode()
    with schema_context("p_quince"):
        owner = User.objects.get(role=Role.OWNER)
        assert email_confirmation_pending(user=owner)
        with pytest.raises(Exception, match="Confirm your email"):
            api_key_create(actor=owner, name="sync")

    assert owner_browser.get(link).status_code == 200
    owner_browser.post(link)

    with schema_context("p_quince"):
        assert not email_confirmation_pending(user=owner)
        assert AuditEvent.objects.filter(action=AuditAction.EMAIL_VERIFIED).exists()
    invited = owner_browser.post(
        "/members/", {"email": "c@quince.example.com", "role": "coach", "name": "C"}
    )
    assert invited.status_code == 302


def test_a_confirmation_link_from_one_practice_confirms_nothing_on_another(
    public_http: Client, seeded: dict
) -> None:
    public_http.post("/signup/", SIGNUP)
    link = _confirmation_link()
    other = Client(HTTP_HOST=seeded["b"].host)

    other.post(link)

    with schema_context("p_quince"):
        assert email_confirmation_pending(user=User.objects.get(role=Role.OWNER))


def test_operator_made_owners_are_trusted(owner: User) -> None:
    """`create_practice` and the demo: no address waits, so nothing is held back."""
    assert not email_confirmation_pending(user=owner)
    invitation_create(
        invited_by=owner, email="x@alpha.example.com", role=Role.CLIENT, practice_url="http://x"
    )


def test_signups_are_limited_per_address(
    public_http: Client, settings: Any, fresh_limits: None
) -> None:
    settings.SIGNUP_RATE_LIMIT = "1/h"
    for n in range(1):
        data = {**SIGNUP, "slug": f"limit{n}", "owner_email": f"o{n}@x.example.com"}
        assert public_http.post("/signup/", data, REMOTE_ADDR="198.51.100.4").status_code == 302

    third = public_http.post("/signup/", {**SIGNUP, "slug": "limit3"}, REMOTE_ADDR="198.51.100.4")

    assert third.status_code == 429
    assert "Too many attempts" in third.content.decode()
    assert not User.objects.filter(email=SIGNUP["owner_email"]).exists()
    elsewhere = public_http.post(
        "/signup/", {**SIGNUP, "slug": "limit4"}, REMOTE_ADDR="198.51.100.5"
    )
    assert elsewhere.status_code == 302


def test_invitation_acceptance_is_limited_per_address(
    http: Client, owner: User, settings: Any, fresh_limits: None
) -> None:
    settings.INVITATION_RATE_LIMIT = "3/m"
    _, link = invitation_create(
        invited_by=owner, email="inv@alpha.example.com", role=Role.CLIENT, practice_url="http://x"
    )
    path = link.removeprefix("http://x")
    for _ in range(3):
        http.post(path, {"name": "", "password": "1"}, REMOTE_ADDR="198.51.100.9")

    blocked = http.post(
        path, {"name": "Ivy", "password": "fresh-password-77"}, REMOTE_ADDR="198.51.100.9"
    )

    assert blocked.status_code == 429
    assert not User.objects.filter(email="inv@alpha.example.com").exists()


def test_failed_sign_ins_for_one_address_are_limited(
    http: Client, coach: User, settings: Any, fresh_limits: None
) -> None:
    settings.ACCOUNT_RATE_LIMITS = {}  # allauth's defaults, as in production
    for _ in range(5):
        http.post("/accounts/login/", {"login": coach.email, "password": "wrong"})

    response = http.post("/accounts/login/", {"login": coach.email, "password": PASSWORD})

    assert response.status_code in (200, 429)  # the form again, with the limit message
    assert "Too many failed login attempts" in response.content.decode()
    assert http.get("/").status_code == 302


def test_password_resets_are_limited(
    http: Client, coach: User, settings: Any, fresh_limits: None
) -> None:
    settings.ACCOUNT_RATE_LIMITS = {}
    sent = 0
    for _ in range(8):
        before = len(mail.outbox)
        http.post("/accounts/password/reset/", {"email": coach.email})
        sent += len(mail.outbox) - before

    assert sent <= 5
