"""Finding people in the browser: a client's contacts paged and searched (no silent cap), "who
do I know at X?" for a client and, for the owner, across the practice; scope and query counts."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from coaching.models import Client, Contact

pytestmark = pytest.mark.django_db

# session, user, the client (scope + checklist), count, page
PAGE_QUERY_LIMIT = 7


def _many(search: Client, n: int) -> None:
    Contact.objects.bulk_create(
        Contact(client=search, name=f"Person {i:03}", company="Initech", company_key="initech")
        for i in range(n)
    )


def test_the_contacts_list_shows_all_272_over_pages_in_fixed_queries(
    http: HttpClient, coach: User, search: Client
) -> None:
    _many(search, 272)
    http.force_login(coach)
    http.get(f"/clients/{search.pk}/contacts/")  # warm the host lookup
    names: list[str] = []
    for number in range(1, 7):
        with CaptureQueriesContext(connection) as queries:
            response = http.get(f"/clients/{search.pk}/contacts/?page={number}")
        assert response.status_code == 200
        counted = [q for q in queries if not q["sql"].startswith("SET search_path")]
        assert len(counted) <= PAGE_QUERY_LIMIT, [q["sql"] for q in counted]
        names.extend(c.name for c in response.context["page"])
    assert len(names) == len(set(names)) == 272
    first = http.get(f"/clients/{search.pk}/contacts/").content.decode()
    assert "Showing 1\u201350 of 272 contacts" in first
    assert "Page 1 of 6" in first


def test_the_contacts_list_searches_and_answers_who_do_i_know_at(
    http: HttpClient, coach: User, search: Client, make_contact: Callable[..., Contact]
) -> None:
    make_contact(search, "Ada Acme", company="Acme, Inc.", willingness="willing")
    make_contact(search, "Gus Globex", company="Globex")
    http.force_login(coach)
    page = http.get(f"/clients/{search.pk}/contacts/?q=globex").content.decode()
    assert "Gus Globex" in page
    assert "Ada Acme" not in page.split("All contacts")[1]
    who = http.get(f"/clients/{search.pk}/contacts/?company=ACME+corp")
    assert [a.contact.name for a in who.context["acquaintances"]] == ["Ada Acme"]
    assert "Willing to help" in who.content.decode()


def test_the_contacts_list_is_a_404_outside_scope(
    http: HttpClient,
    other_http: HttpClient,
    coach: User,
    client_user: User,
    search: Client,
    other_search: Client,
) -> None:
    http.force_login(coach)
    assert http.get(f"/clients/{other_search.pk}/contacts/").status_code == 404  # unassigned
    http.force_login(client_user)
    assert http.get(f"/clients/{search.pk}/contacts/").status_code == 404  # a client
    other_http.force_login(coach)  # a session of practice A means nothing on B's host
    assert other_http.get(f"/clients/{search.pk}/contacts/").status_code in (302, 404)


def test_who_knows_across_the_practice_is_the_owners_ranked(
    http: HttpClient,
    owner: User,
    search: Client,
    other_search: Client,
    make_contact: Callable[..., Contact],
) -> None:
    make_contact(search, "Nia Nearby", company="Acme Robotics")
    make_contact(other_search, "Will Willing", company="ACME Corp", willingness="willing")
    http.force_login(owner)
    http.get("/people/who-knows/")
    with CaptureQueriesContext(connection) as queries:
        response = http.get("/people/who-knows/?company=Acme%2C+Inc.")
    assert len([q for q in queries if not q["sql"].startswith("SET")]) <= 4
    assert [row.client.pk for row in response.context["rows"]] == [other_search.pk, search.pk]
    body = response.content.decode()
    assert body.index("Will Willing") < body.index("Nia Nearby")
    assert "(similar name)" in body


def test_who_knows_is_a_404_for_coaches_and_clients(
    http: HttpClient, coach: User, client_user: User, search: Client
) -> None:
    for user in (coach, client_user):
        http.force_login(user)
        assert http.get("/people/who-knows/?company=acme").status_code == 404


def test_who_knows_in_another_practice_sees_nothing_of_ours(
    other_http: HttpClient, other_practice, search: Client, make_contact: Callable[..., Contact]
) -> None:
    from django_tenants.utils import schema_context

    make_contact(search, "Ours", company="Acme")
    with schema_context(other_practice.schema_name):
        bravo_owner = User.objects.get(email="owner@bravo.example.com")
        other_http.force_login(bravo_owner)
        response = other_http.get("/people/who-knows/?company=acme")
    assert response.status_code == 200
    assert "Ours" not in response.content.decode()
