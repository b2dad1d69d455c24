"""The practice-wide view on the coach's pages: before the next ask (client page), ask fatigue and
cohort benchmarks (practice report), and who may learn what from them."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Role, User
from coaching import services
from coaching.models import Client, Contact


def _ask(client: Client, contact: Contact, days_ago: int) -> None:
    services.interaction_record(
        client=client,
        actor=client.coach,
        contact=contact,
        occurred_at=timezone.now() - timedelta(days=days_ago, hours=1),
        channel="email",
        direction="outbound",
        kind="introduction_request",
    )


@pytest.fixture
def dana(owner: User, coach: User) -> Client:
    user = User.objects.create_user(
        "dana@alpha.example.com", None, name="Dana Diaz", role=Role.CLIENT
    )
    return services.client_create(
        actor=owner, user=user, coach=coach, search_started_on=timezone.localdate() - timedelta(30)
    )


@pytest.fixture
def sam_asked(
    search: Client, other_search: Client, dana: Client, make_contact: Callable[..., Contact]
) -> Contact:
    """Sam Lee, asked by Carl (Otto's client) and Dana (Cora's) this week; Cleo knows Sam too."""
    for client in (other_search, dana):
        _ask(client, make_contact(client, "Sam Lee", email="sam@lee.example.com"), days_ago=2)
    return make_contact(search, "Sam Lee", email="SAM@lee.example.com")


def _page(http: HttpClient, url: str) -> str:
    response = http.get(url)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_coach_sees_before_the_next_ask_and_never_another_coachs_client(
    as_user, coach: User, search: Client, sam_asked: Contact
) -> None:
    http = as_user(coach)
    for url in (
        reverse("client_page", args=[search.pk]),
        reverse("client_page", args=[search.pk]) + "?tab=introductions",
    ):
        html = _page(http, url)
        assert "Before the next ask" in html
        assert "Sam Lee has been asked by 2 other clients in the last 30 days" in html
        assert "Dana Diaz" in html  # Cora's own client: named, linked
        assert "1 client of other coaches" in html
        assert "Carl" not in html


def test_the_owner_sees_every_client_who_asked(
    as_user, owner: User, search: Client, sam_asked: Contact
) -> None:
    html = _page(as_user(owner), reverse("client_page", args=[search.pk]))
    assert "Carl Client" in html
    assert "Dana Diaz" in html
    assert "of other coaches" not in html


def test_the_practice_report_names_the_person_only_to_who_may_see_every_client(
    as_user, owner: User, coach: User, other_coach: User, search: Client, sam_asked: Contact
) -> None:
    _ask(search, sam_asked, days_ago=1)
    owner_html = _page(as_user(owner), reverse("practice_report"))
    assert "Sam Lee was asked for introductions or referrals 3 times by 3 clients" in owner_html
    coach_html = _page(as_user(coach), reverse("practice_report"))
    assert "One person was asked for introductions or referrals 3 times by 3 clients" in coach_html
    assert "Sam Lee" not in coach_html
    assert "Carl" not in coach_html
    assert "1 client of other coaches" in coach_html
    otto_html = _page(as_user(other_coach), reverse("practice_report"))
    assert "Sam Lee" not in otto_html
    assert "Cleo" not in otto_html
    assert "Dana" not in otto_html


def test_the_practice_report_counts_open_to_the_clients_behind_them(
    as_user, coach: User, search: Client, dana: Client, other_search: Client
) -> None:
    html = _page(as_user(coach), reverse("practice_report"))
    assert "Beside the practice's clients at the same week" in html
    assert 'class="behind"' in html
    assert reverse("client_page", args=[search.pk]) in html
    assert reverse("client_page", args=[other_search.pk]) not in html
    from coaching.diagnostics import CATALOG

    shown = [code for code in CATALOG if code in html]
    assert shown == []  # reasons by their titles, never their codes


def test_the_client_page_says_when_there_are_too_few_clients_to_compare(
    as_user, coach: User, search: Client
) -> None:
    html = _page(as_user(coach), reverse("client_page", args=[search.pk]))
    assert "Not enough clients to compare" in html


def test_benchmarks_show_with_enough_clients(as_user, owner: User, coach: User, search) -> None:
    started = search.search_started_on
    for n in range(5):
        user = User.objects.create_user(f"peer{n}@alpha.example.com", None, role=Role.CLIENT)
        services.client_create(actor=owner, user=user, coach=coach, search_started_on=started)
    html = _page(as_user(coach), reverse("client_page", args=[search.pk]))
    assert "beside the 5 other clients of the practice" in html
    assert "Middle half" in html


def test_another_practice_gets_none_of_it(
    other_http: HttpClient, other_practice, search: Client, sam_asked: Contact
) -> None:
    """Practice B's owner: A's client page is a 404, B's report counts nobody of A's."""
    with schema_context(other_practice.schema_name):
        other_http.force_login(User.objects.get(email="owner@bravo.example.com"))
    assert other_http.get(reverse("client_page", args=[search.pk])).status_code == 404
    report = other_http.get(reverse("practice_report")).content.decode()
    assert "Sam Lee" not in report
    assert "Nobody was asked that often lately." in report
