"""The client's own contacts list: every contact over pages (no silent cap), searchable by name,
company, title or email with companies matched however they are spelled; only her own."""

from collections.abc import Callable

import pytest
from django.test import Client as HttpClient

from accounts.models import User
from coaching.models import Client, Contact

pytestmark = pytest.mark.django_db


def test_every_contact_is_reachable_over_pages(
    http: HttpClient, client_user: User, search: Client
) -> None:
    Contact.objects.bulk_create(
        Contact(client=search, name=f"Person {i:03}", company="Initech", company_key="initech")
        for i in range(120)
    )
    http.force_login(client_user)
    seen: list[str] = []
    for number in (1, 2, 3):
        response = http.get(f"/my/contacts/?page={number}")
        assert response.status_code == 200
        seen.extend(row.contact.name for row in response.context["page"])
    assert (
        len(seen)
        == len(set(seen))
        == 120 + Contact.objects.filter(client=search).exclude(company="Initech").count()
    )
    first = http.get("/my/contacts/").content.decode()
    assert "1\u201350 on this page" in first
    assert "Page 1 of 3" in first


def test_search_finds_a_company_however_it_is_written(
    http: HttpClient, client_user: User, search: Client, make_contact: Callable[..., Contact]
) -> None:
    make_contact(search, "Ada Lovelace", company="Acme, Inc.")
    make_contact(search, "Gus Grissom", company="Globex")
    http.force_login(client_user)
    for query in ("acme", "ACME corp", "Acme Inc"):
        names = [r.contact.name for r in http.get(f"/my/contacts/?q={query}").context["page"]]
        assert "Ada Lovelace" in names, query
        assert "Gus Grissom" not in names, query
    by_name = http.get("/my/contacts/?q=grissom").content.decode()
    assert "Gus Grissom" in by_name
    assert "1 contact matching" in by_name
    nothing = http.get("/my/contacts/?q=zebra").content.decode()
    assert "No contact matches" in nothing
    assert "No contacts yet" not in nothing


def test_a_search_never_reaches_another_clients_contacts(
    http: HttpClient,
    client_user: User,
    search: Client,
    other_search: Client,
    make_contact: Callable[..., Contact],
) -> None:
    make_contact(other_search, "Carl's Acme Friend", company="Acme")
    make_contact(search, "Cleo's Acme Friend", company="Acme")
    http.force_login(client_user)
    page = http.get("/my/contacts/?q=acme").content.decode()
    assert "Cleo&#x27;s Acme Friend" in page
    assert "Carl" not in page
