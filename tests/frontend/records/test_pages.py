"""Every record page: the coach (and the owner) opens it; the client, another coach, another
client's id and another practice get a 404 like a missing record."""

import pytest
from django.test import Client as HttpClient

from accounts.models import User
from tests.frontend.records.conftest import Records


def test_the_coach_and_the_owner_open_every_record_page(
    http: HttpClient, coach: User, owner: User, recs: Records
) -> None:
    for user in (coach, owner):
        http.force_login(user)
        for what, url in recs.urls().items():
            response = http.get(url)
            assert response.status_code == 200, (user.role, what, url)
    assert http.get("/pipeline/").status_code == 200


def test_the_client_and_another_coach_get_a_404_on_every_record_page(
    http: HttpClient, client_user: User, other_coach: User, recs: Records
) -> None:
    for user in (client_user, other_coach):
        http.force_login(user)
        for what, url in recs.urls().items():
            assert http.get(url).status_code == 404, (user.role, what)
            assert http.post(url, {}).status_code == 404, (user.role, what)


def test_a_record_of_another_clients_search_is_a_404_under_this_client(
    http: HttpClient, owner: User, recs: Records, other_recs: Records
) -> None:
    """The owner sees both searches; a record is only found under its own client."""
    http.force_login(owner)
    mixed = {
        what: url.replace(f"/clients/{other_recs.client.pk}/", f"/clients/{recs.client.pk}/")
        for what, url in other_recs.urls().items()
        if url.split("/")[4:5] and url.split("/")[4].isdigit()
    }
    assert mixed
    for what, url in mixed.items():
        assert http.get(url).status_code == 404, what


def test_another_practices_host_knows_none_of_it(other_http: HttpClient, recs: Records) -> None:
    for what, url in recs.urls().items():
        response = other_http.get(url)
        assert response.status_code in (302, 404), what  # signed out there: to the login
        assert "Ann Introducer" not in response.content.decode(), what


@pytest.mark.parametrize("path", ["/pipeline/"])
def test_the_practice_board_is_a_404_for_a_client(
    http: HttpClient, client_user: User, recs: Records, path: str
) -> None:
    http.force_login(client_user)
    assert http.get(path).status_code == 404
