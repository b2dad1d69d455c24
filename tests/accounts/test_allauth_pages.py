"""allauth's pages in the product's look (frontend/templates/allauth, account, mfa): every page a
person can reach on a practice's host renders inside the product's layout with the practice's
name, and none links to signing up (a practice's signup is closed: people join by invitation)."""

import re

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

SIGNUP = re.compile(r"/accounts/signup|sign[ -]?up", re.IGNORECASE)


def _allauth_paths() -> list[str]:
    """Every allauth address without a parameter (the ones with a key are followed below)."""
    found: list[str] = []

    def walk(patterns: list, prefix: str) -> None:
        for p in patterns:
            route = str(p.pattern)
            if isinstance(p, URLResolver):
                walk(p.url_patterns, prefix + route)
            elif isinstance(p, URLPattern) and "<" not in route and "(?P" not in route:
                found.append("/" + prefix + route)

    for p in get_resolver().url_patterns:
        if isinstance(p, URLResolver) and str(p.pattern) == "accounts/":
            walk(p.url_patterns, "accounts/")
    return sorted(set(found))


def _assert_product_page(html: str, where: str, practice_name: str) -> None:
    assert 'class="topbar"' in html, where
    assert "frontend/app.css" in html, where
    assert practice_name in html, where
    assert not SIGNUP.search(html), (where, SIGNUP.search(html))


def test_the_allauth_addresses_are_the_ones_this_test_knows() -> None:
    paths = _allauth_paths()
    assert "/accounts/login/" in paths
    assert "/accounts/password/reset/" in paths
    assert "/accounts/2fa/" in paths


def test_every_allauth_page_signed_out_is_in_the_products_look_without_signup(
    http: HttpClient, practice
) -> None:
    shown = 0
    for path in _allauth_paths():
        response = http.get(path)
        assert response.status_code in (200, 302, 404, 405), (path, response.status_code)
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            _assert_product_page(response.content.decode(), path, practice.name)
            shown += 1
    assert shown >= 4  # log in, password reset (and sent), signup closed


def test_every_allauth_page_signed_in_is_in_the_products_look(
    http: HttpClient, practice, owner: User
) -> None:
    http.force_login(owner)
    shown = 0
    for path in _allauth_paths():
        if path.endswith("/download/"):  # the recovery codes as a text file
            continue
        response = http.get(path)
        assert response.status_code in (200, 302, 404, 405), (path, response.status_code)
        if response.status_code == 200 and "text/html" in response["Content-Type"]:
            _assert_product_page(response.content.decode(), path, practice.name)
            shown += 1
    assert shown >= 5


def test_the_login_page_names_the_practice_and_offers_a_reset_not_a_signup(
    http: HttpClient, practice
) -> None:
    html = http.get("/accounts/login/").content.decode()
    assert f"Log in to {practice.name}" in html
    assert 'href="/accounts/password/reset/"' in html
    assert "ask the practice owner to invite you" in html


def test_password_reset_by_email_end_to_end_in_the_practices_name(
    http: HttpClient, practice, coach: User
) -> None:
    sent = http.post("/accounts/password/reset/", {"email": coach.email})
    assert sent.status_code == 302
    done = http.get(sent["Location"])
    _assert_product_page(done.content.decode(), "reset sent", practice.name)
    message = mail.outbox[-1]
    assert message.subject.startswith(f"{practice.name}: ")
    assert practice.name in message.from_email
    body = message.body
    assert "Hello from" not in body
    assert ".localhost" not in body.split("\n")[0]
    assert f"{practice.name}, through Warmpath" in body
    html = message.alternatives[0][0]  # type: ignore[index]
    assert practice.name in html
    assert "Hello from" not in html
    link = re.search(r"https?://[^\s]+/accounts/password/reset/key/\S+", body)
    assert link is not None, body
    path = "/" + link.group(0).split("/", 3)[3]
    form = http.get(path, follow=True)
    assert form.status_code == 200
    _assert_product_page(form.content.decode(), "reset from key", practice.name)
    action = form.redirect_chain[-1][0] if form.redirect_chain else path
    changed = http.post(
        action, {"password1": "a-New-passw0rd-42", "password2": "a-New-passw0rd-42"}
    )
    assert changed.status_code == 302, changed.content.decode()[:2000]
    finished = http.get(changed["Location"])
    _assert_product_page(finished.content.decode(), "reset done", practice.name)


def test_a_reset_for_an_unknown_address_says_ask_for_an_invitation(
    http: HttpClient, practice
) -> None:
    http.post("/accounts/password/reset/", {"email": "nobody@elsewhere.example.com"})
    body = mail.outbox[-1].body
    assert not SIGNUP.search(body), body
    assert "invit" in body
    assert practice.name in body


def test_the_closed_signup_page_is_a_helpful_page_and_nothing_links_to_it(
    http: HttpClient, practice
) -> None:
    html = http.get("/accounts/signup/").content.decode()
    assert "welcomes people by invitation" in html
    assert 'href="/accounts/signup/"' not in html


def test_the_two_step_pages_are_in_the_products_look(
    http: HttpClient,
    practice,
    coach: User,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    from tests.accounts.test_mfa import enrol

    with django_capture_on_commit_callbacks(execute=True):
        enrol(http, coach)
    for path in ("/accounts/2fa/", "/accounts/2fa/recovery-codes/"):
        response = http.get(path)
        assert response.status_code == 200, path
        _assert_product_page(response.content.decode(), path, practice.name)
    http.logout()
    http.post("/accounts/login/", {"login": coach.email, "password": PASSWORD})
    asked = http.get("/accounts/2fa/authenticate/")
    assert asked.status_code == 200
    html = asked.content.decode()
    _assert_product_page(html, "the code step of logging in", practice.name)
    assert "One more step" in html
