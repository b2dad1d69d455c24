"""Every page refuses another practice's and another client's data with a 404, the same answer
as for a record that does not exist."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from coaching.models import Client, Contact, Interaction
from coaching.services import (
    follow_up_schedule,
    interaction_record,
    introduction_create,
    meeting_schedule,
)
from coaching.services.imports import import_start
from tenants.models import Practice


@pytest.fixture
def carls_records(other_search: Client, make_contact: Callable[..., Contact]) -> dict[str, int]:
    """One of each record in Carl's search (coached by Otto)."""
    a = make_contact(other_search, "Ann")
    b = make_contact(other_search, "Bob")
    intro = introduction_create(
        client=other_search,
        actor=other_search.coach,
        introducer=a,
        target=b,
        made_at=timezone.now() - timedelta(days=3),
    )
    follow_up = follow_up_schedule(
        client=other_search, actor=other_search.coach, contact=a, due_on=timezone.localdate()
    )
    meeting = meeting_schedule(
        client=other_search,
        actor=other_search.coach,
        contact=b,
        scheduled_for=timezone.now() + timedelta(days=1),
        purpose="networking",
    )
    job = import_start(
        client=other_search,
        actor=other_search.coach,
        kind="contacts_csv",
        payload=b"name\nZed\n",
        filename="c.csv",
    )
    message = interaction_record(
        client=other_search,
        actor=other_search.coach,
        contact=a,
        occurred_at=timezone.now() - timedelta(days=1),
        channel="email",
        direction="outbound",
        kind="outreach",
    )
    return {
        "client": other_search.pk,
        "contact": a.pk,
        "interaction": message.pk,
        "introduction": intro.pk,
        "follow_up": follow_up.pk,
        "meeting": meeting.pk,
        "job": job.pk,
    }


def coach_urls(ids: dict[str, int]) -> list[tuple[str, str]]:
    c = ids["client"]
    return [
        ("get", f"/clients/{c}/"),
        ("get", f"/clients/{c}/contacts/{ids['contact']}/"),
        ("post", f"/clients/{c}/interactions/{ids['interaction']}/remove/"),
        ("get", f"/clients/{c}/records/introduction/{ids['introduction']}/"),
        ("get", f"/clients/{c}/records/contact/{ids['contact']}/"),
        ("get", f"/clients/{c}/records/meeting/{ids['meeting']}/"),
        ("post", f"/clients/{c}/goal/"),
        ("post", f"/clients/{c}/thresholds/"),
        ("post", f"/clients/{c}/sharing/"),
        ("post", f"/clients/{c}/leaving-story/"),
        ("post", f"/clients/{c}/presentation/"),
        ("post", f"/clients/{c}/findings/"),
        ("post", f"/clients/{c}/findings/withdraw/"),
        ("post", f"/clients/{c}/import/"),
        ("get", f"/imports/{ids['job']}/"),
    ]


def portal_urls(ids: dict[str, int]) -> list[tuple[str, str]]:
    return [
        ("post", f"/my/introductions/{ids['introduction']}/contacted/"),
        ("post", f"/my/follow-ups/{ids['follow_up']}/done/"),
        ("post", f"/my/follow-ups/{ids['follow_up']}/move/"),
        ("post", f"/my/owed/thanks_introduction/{ids['introduction']}/"),
        ("post", f"/my/owed/outcome/{ids['introduction']}/"),
        ("post", f"/my/owed/thanks_meeting/{ids['meeting']}/"),
        ("post", f"/my/meetings/{ids['meeting']}/prepare/"),
        ("post", f"/my/meetings/{ids['meeting']}/outcome/"),
    ]


def _status(http: HttpClient, method: str, url: str) -> int:
    payload = {"weekly_outreach_goal": "3", "status": "held", "state": "ok"}
    response = http.post(url, payload) if method == "post" else http.get(url)
    return response.status_code


def test_a_coach_cannot_reach_another_coachs_client(
    as_user: Callable[[User], HttpClient],
    coach: User,
    search: Client,
    carls_records: dict[str, int],
) -> None:
    http = as_user(coach)
    for method, url in coach_urls(carls_records):
        assert _status(http, method, url) == 404, url
    assert "Carl Client" not in http.get("/").content.decode()
    assert "Carl Client" not in http.get("/report/").content.decode()
    assert Interaction.objects.filter(pk=carls_records["interaction"]).exists()


def test_a_client_cannot_reach_another_clients_search(
    as_user: Callable[[User], HttpClient],
    client_user: User,
    search: Client,
    carls_records: dict[str, int],
) -> None:
    http = as_user(client_user)
    for method, url in coach_urls(carls_records) + portal_urls(carls_records):
        assert _status(http, method, url) == 404, url
    other_client = carls_records["client"]
    assert (
        http.get(f"/clients/{other_client}/records/contact/{carls_records['contact']}/").status_code
        == 404
    )
    for page in ("/", "/my/contacts/", "/my/introductions/", "/my/meetings/", "/my/report/"):
        assert "Ann" not in http.get(page).content.decode(), page


def test_a_client_has_no_coach_pages_and_a_coach_no_portal(
    as_user: Callable[[User], HttpClient], client_user: User, coach: User, search: Client
) -> None:
    http = as_user(client_user)
    for url in (f"/clients/{search.pk}/", "/report/", "/settings/", "/members/"):
        assert http.get(url).status_code == 404, url
    http.force_login(coach)
    for url in ("/my/contacts/", "/my/introductions/", "/my/meetings/", "/my/report/"):
        assert http.get(url).status_code == 404, url
    assert (
        http.post("/log/", {"who": "X", "what": "outreach", "channel": "email"}).status_code == 404
    )


def test_another_practice_sees_none_of_it(
    other_http: HttpClient,
    other_practice: Practice,
    search: Client,
    carls_records: dict[str, int],
) -> None:
    """Practice B's owner asks B's host for A's ids: B has no such records."""
    with schema_context(other_practice.schema_name):
        bravo_owner = User.objects.get(email="owner@bravo.example.com")
        other_http.force_login(bravo_owner)
    for method, url in coach_urls(carls_records):
        assert _status(other_http, method, url) == 404, url
    page = other_http.get("/").content.decode()
    assert "Cleo Client" not in page
    assert "Start here" in page  # B has no clients


def test_a_session_from_one_practice_means_nothing_on_another(
    as_user: Callable[[User], HttpClient], other_http: HttpClient, coach: User, search: Client
) -> None:
    as_user(coach)
    response = other_http.get(f"/clients/{search.pk}/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
