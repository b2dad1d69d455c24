"""The applications board: by stage, per client and across the viewer's clients (the owner's:
the practice), moved by a plain form or by the board's script (JSON), in a fixed number of
queries whatever the number of applications and clients."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import Role, User
from coaching.choices import ApplicationSource, ApplicationStatus
from coaching.models import Application, Client
from coaching.services import application_create, client_create


def _apply(client: Client, n: int, **fields: object) -> list[Application]:
    return [
        application_create(
            client=client,
            actor=client.coach,
            company=f"Company {i}",
            role=f"Role {i}",
            source=ApplicationSource.JOB_BOARD if i % 2 else ApplicationSource.REFERRAL,
            **fields,  # type: ignore[arg-type]
        )
        for i in range(n)
    ]


def test_the_board_shows_each_card_with_company_role_source_and_fit(
    http: HttpClient, coach: User, search: Client
) -> None:
    _apply(search, 2, fit_rating="good")
    http.force_login(coach)
    page = http.get(f"/clients/{search.pk}/pipeline/").content.decode()
    for text in ("Role 0", "Company 1", "Job board", "Network: referral", "Good fit"):
        assert text in page
    assert "Move to Interviewing" in page


def test_a_plain_form_moves_a_card_and_comes_back_to_the_board(
    http: HttpClient, coach: User, search: Client
) -> None:
    (application,) = _apply(search, 1)
    http.force_login(coach)
    url = f"/clients/{search.pk}/applications/{application.pk}/move/"
    response = http.post(url, {"status": "interviewing", "next": "/pipeline/"})
    assert response.status_code == 302
    assert response["Location"] == "/pipeline/"
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INTERVIEWING
    offsite = http.post(url, {"status": "offer", "next": "https://evil.example.com/"})
    assert offsite["Location"] == f"/clients/{search.pk}/pipeline/"


def test_the_script_moves_a_card_with_json_and_hears_why_not(
    http: HttpClient, coach: User, search: Client
) -> None:
    (application,) = _apply(search, 1)
    http.force_login(coach)
    url = f"/clients/{search.pk}/applications/{application.pk}/move/"
    moved = http.post(url, {"status": "offer"}, HTTP_ACCEPT="application/json")
    assert moved.json()["status"] == "offer"
    refused = http.post(url, {"status": "hired"}, HTTP_ACCEPT="application/json")
    assert refused.status_code == 400
    assert refused.json()["problems"]


def test_the_board_across_clients_is_the_coachs_own_and_the_owners_whole_practice(
    http: HttpClient, coach: User, owner: User, search: Client, other_search: Client
) -> None:
    _apply(search, 1, status=ApplicationStatus.INTERVIEWING)
    application_create(
        client=other_search, actor=other_search.coach, company="Hidden Co", role="Secret",
        source=ApplicationSource.DIRECT,
    )  # fmt: skip
    http.force_login(coach)
    mine = http.get("/pipeline/").content.decode()
    assert "Role 0" in mine
    assert "Hidden Co" not in mine
    http.force_login(owner)
    practice = http.get("/pipeline/").content.decode()
    assert "Role 0" in practice
    assert "Hidden Co" in practice


def test_moving_another_coachs_card_is_a_404_and_changes_nothing(
    http: HttpClient, coach: User, other_search: Client
) -> None:
    (application,) = _apply(other_search, 1)
    http.force_login(coach)
    url = f"/clients/{other_search.pk}/applications/{application.pk}/move/"
    assert http.post(url, {"status": "offer"}).status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPLIED


def _queries(http: HttpClient, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert http.get(url).status_code == 200
    return sum(not q["sql"].startswith("SET search_path") for q in captured.captured_queries)


@pytest.mark.parametrize("url", ["/pipeline/", "client"])
def test_the_board_runs_a_fixed_number_of_queries(
    http: HttpClient, owner: User, coach: User, search: Client, url: str
) -> None:
    http.force_login(owner)
    target = f"/clients/{search.pk}/pipeline/" if url == "client" else url
    _apply(search, 2)
    http.get(target)  # warm: the host's practice is remembered
    few = _queries(http, target)
    _apply(search, 20)
    for i in range(4):
        user = User.objects.create_user(
            f"p{i}@alpha.example.com", "x", name=f"P {i}", role=Role.CLIENT
        )
        other = client_create(
            actor=owner, user=user, coach=coach,
            search_started_on=timezone.localdate() - timedelta(days=30),
        )  # fmt: skip
        _apply(other, 3)
    many = _queries(http, target)
    assert many == few
    assert many <= 6
