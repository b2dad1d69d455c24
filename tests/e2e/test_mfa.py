"""Two-step sign-in in Chromium: an owner turns it on from their security page with an
authenticator app's code, signs out, and signing in again asks for the code."""

import re
import secrets
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from playwright.sync_api import Browser, expect

from tests.e2e.conftest import LiveServer
from tests.e2e.test_journey import PASSWORD, _signup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]


def _code(secret: str, *, step: int = 0) -> str:
    """What an authenticator app shows for `secret` now (or `step` periods later)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def test_an_owner_turns_on_two_step_sign_in_and_is_asked_for_the_code(
    browser: Browser, server: LiveServer, shot: object
) -> None:
    slug = f"mfa-{secrets.token_hex(3)}"
    context = browser.new_context()
    page = context.new_page()
    _signup(page, server, slug)

    page.goto(server.url(slug, "/account/security/"))
    page.get_by_role("link", name="Set up two-step sign-in").click()
    page.get_by_label("Password").fill(PASSWORD)  # allauth asks again before a security change
    page.get_by_role("button", name="Confirm").click()
    secret = page.get_by_label("Authenticator secret").input_value()
    assert re.fullmatch(r"[A-Z2-7]{16,}", secret), secret
    shot(page, "mfa-01-activate")  # type: ignore[operator]
    page.get_by_label("Authenticator code").fill(_code(secret))
    page.get_by_role("button", name="Activate").click()
    page.goto(server.url(slug, "/account/security/"))
    expect(page.get_by_text("On: after your password")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.goto(server.url(slug, "/accounts/login/"))
    page.get_by_label("Email").fill(f"ella@{slug}.example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    shot(page, "mfa-02-code")  # type: ignore[operator]
    page.goto(server.url(slug, "/"))  # nothing opens on the password alone
    expect(page).to_have_url(re.compile(r"/accounts/(login|2fa/authenticate)/"))

    page.goto(server.url(slug, "/accounts/2fa/authenticate/"))
    page.get_by_label("Code").fill(_code(secret, step=1))
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(rf"http://{slug}\.localhost:{server.port}/$"))
    context.close()
