"""Two-step sign-in: enrolment with an authenticator app, sign-in asking for the code, recovery
codes, and an owner requiring it of everyone in the practice."""

import time
from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY, format_hotp_value, hotp_value
from django.test import Client
from rest_framework.test import APIClient

from accounts.models import User
from audit.actions import AuditAction
from audit.models import AuditEvent
from integrations.models import ApiKey
from tenants.models import Practice
from tests.conftest import PASSWORD


def code(secret: str, *, step: int = 0) -> str:
    """The code an authenticator app shows now (or `step` periods later)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def enrol(http: Client, user: User) -> str:
    """Sign in as `user` and turn on two-step sign-in; returns the app's secret."""
    http.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    # Changing how one signs in asks for the password again (allauth's reauthentication).
    asked = http.get("/accounts/2fa/totp/activate/")
    assert asked.url.startswith("/accounts/reauthenticate/")
    http.post(asked.url, {"password": PASSWORD})
    assert http.get("/accounts/2fa/totp/activate/").status_code == 200
    secret = http.session[SECRET_SESSION_KEY]
    response = http.post("/accounts/2fa/totp/activate/", {"code": code(secret)})
    assert response.status_code == 302, response.content.decode()[:2000]
    return str(secret)


def test_enrolling_records_it_and_the_next_sign_in_asks_for_a_code(
    http: Client, coach: User, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # allauth signals after commit
        secret = enrol(http, coach)
    assert Authenticator.objects.filter(user=coach, type=Authenticator.Type.TOTP).exists()
    assert AuditEvent.objects.filter(action=AuditAction.MFA_ADDED, actor_id=coach.pk).exists()
    http.logout()

    response = http.post("/accounts/login/", {"login": coach.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith("/accounts/2fa/authenticate/")
    assert http.get("/").status_code == 302  # a password alone does not open anything

    wrong = http.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert http.get("/").status_code == 302
    http.post("/accounts/2fa/authenticate/", {"code": code(secret, step=1)})
    assert http.get("/").status_code == 200


def test_a_recovery_code_signs_in_once(http: Client, coach: User) -> None:
    enrol(http, coach)
    codes_page = http.get("/accounts/2fa/recovery-codes/").content.decode()
    recovery = Authenticator.objects.get(user=coach, type=Authenticator.Type.RECOVERY_CODES)
    first = recovery.wrap().get_unused_codes()[0]
    assert first in codes_page
    http.logout()

    http.post("/accounts/login/", {"login": coach.email, "password": PASSWORD})
    http.post("/accounts/2fa/authenticate/", {"code": first})
    assert http.get("/").status_code == 200
    http.logout()
    http.post("/accounts/login/", {"login": coach.email, "password": PASSWORD})
    http.post("/accounts/2fa/authenticate/", {"code": first})
    assert http.get("/").status_code == 302


def test_an_owner_requires_it_and_members_without_it_must_set_it_up_first(
    http: Client, owner: User, coach: User, practice: Practice
) -> None:
    http.post("/accounts/login/", {"login": owner.email, "password": PASSWORD})
    refused = http.post("/members/security/", {"required": "on"}, follow=True)
    assert "Turn on two-step sign-in for yourself first" in refused.content.decode()
    enrol(http, owner)
    http.post("/members/security/", {"required": "on"})
    practice.refresh_from_db()
    assert practice.mfa_required
    assert AuditEvent.objects.filter(action=AuditAction.MFA_REQUIRED).exists()

    member = Client(HTTP_HOST=http.defaults["HTTP_HOST"])
    member.post("/accounts/login/", {"login": coach.email, "password": PASSWORD})
    for path in ("/", "/report/", "/settings/", "/account/security/"):
        response = member.get(path)
        assert response.status_code == 302, path
        assert response.url.startswith("/accounts/2fa/totp/activate/"), path
    enrol(member, coach)
    assert member.get("/").status_code == 200


def test_requiring_it_does_not_break_api_keys(
    http: Client, owner: User, coach: User, practice: Practice
) -> None:
    """Keys are not sessions: the requirement is about people signing in to pages."""
    Practice.objects.filter(pk=practice.pk).update(mfa_required=True)
    _, secret = ApiKey.objects.create_key(name="sync", acts_as=coach, created_by=owner)
    api = APIClient(HTTP_HOST=http.defaults["HTTP_HOST"])
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")

    assert api.get("/api/v1/clients/").status_code == 200


def test_only_the_owner_can_require_it(http: Client, coach: User, practice: Practice) -> None:
    enrol(http, coach)

    assert http.post("/members/security/", {"required": "on"}).status_code == 404
    practice.refresh_from_db()
    assert not practice.mfa_required
