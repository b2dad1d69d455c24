"""Isolation at the edge: hosts, sessions and logins never cross practices."""

from django.test import Client

from accounts.models import User
from tests.conftest import PASSWORD


def test_unknown_host_is_a_clear_404(public_http: Client) -> None:
    response = Client(HTTP_HOST="nobody.localhost").get("/")

    assert response.status_code == 404
    assert b"No such practice" in response.content


def test_public_site_never_serves_practice_pages(public_http: Client) -> None:
    assert public_http.get("/").status_code == 200
    for path in ("/accounts/login/", "/auth/handoff/", "/invitations/x/"):
        assert public_http.get(path).status_code == 404


def test_practice_login_works_on_its_own_host(http: Client, coach: User) -> None:
    response = http.post(
        "/accounts/login/", {"login": "coach@alpha.example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert http.get("/").status_code == 200


def test_users_of_a_cannot_log_in_on_b(http: Client, other_http: Client) -> None:
    response = other_http.post(
        "/accounts/login/", {"login": "coach@alpha.example.com", "password": PASSWORD}
    )

    assert response.status_code == 200  # the form again, with an error
    assert b"not correct" in response.content or b"incorrect" in response.content.lower()
    assert other_http.get("/").status_code == 302  # still anonymous: sent to log in


def test_session_from_a_is_not_logged_in_on_b(
    http: Client, other_http: Client, coach: User
) -> None:
    http.force_login(coach)
    assert http.get("/").status_code == 200

    other_http.cookies = http.cookies  # the same browser visits practice B
    response = other_http.get("/")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
