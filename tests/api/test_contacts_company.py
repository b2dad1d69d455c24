"""`GET /contacts/?company=`: trigram similarity on the normalised company key, most similar
first, `ordering=similarity` allowed with it, and scope unchanged."""

from collections.abc import Callable

import pytest
from rest_framework.test import APIClient

from coaching.models import Client, Contact

pytestmark = pytest.mark.django_db


def _names(api: APIClient, query: str) -> list[str]:
    response = api.get(f"/api/v1/contacts/?{query}")
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def test_company_matches_every_spelling_most_similar_first(
    coach_api: APIClient, search: Client, make_contact: Callable[..., Contact]
) -> None:
    make_contact(search, name="Nearby", company="Acme Robotics")
    make_contact(search, name="Exact", company="ACME")
    make_contact(search, name="Other", company="Globex")
    for spelling in ("Acme,%20Inc.", "acme%20corp", "ACME"):
        assert _names(coach_api, f"company={spelling}") == ["Exact", "Nearby"]
    assert _names(coach_api, "company=acme&ordering=similarity") == ["Nearby", "Exact"]
    assert _names(coach_api, "company=acme&ordering=name") == ["Exact", "Nearby"]
    assert _names(coach_api, "company=%2C%2C") == []


def test_similarity_ordering_needs_the_company_filter(
    coach_api: APIClient, search: Client, make_contact: Callable[..., Contact]
) -> None:
    make_contact(search, name="Ann", company="Acme")
    response = coach_api.get("/api/v1/contacts/?ordering=-similarity")
    assert response.status_code == 200  # an unknown ordering is ignored, as for every list


def test_company_search_stays_in_scope(
    coach_api: APIClient,
    client_api: APIClient,
    other_coach_api: APIClient,
    search: Client,
    other_search: Client,
    make_contact: Callable[..., Contact],
) -> None:
    make_contact(search, name="Cleo's", company="Acme")
    make_contact(other_search, name="Carl's", company="Acme Inc")
    assert _names(coach_api, "company=acme") == ["Cleo's"]
    assert _names(client_api, "company=acme") == ["Cleo's"]
    assert _names(other_coach_api, "company=acme") == ["Carl's"]


def test_company_search_pages_with_the_cursor(
    coach_api: APIClient, search: Client, make_contact: Callable[..., Contact]
) -> None:
    Contact.objects.bulk_create(
        Contact(client=search, name=f"P{i:02}", company="Acme", company_key="acme")
        for i in range(7)
    )
    Contact.objects.bulk_create(
        Contact(client=search, name=f"Q{i:02}", company="Acme Labs", company_key="acme labs")
        for i in range(5)
    )
    seen: list[str] = []
    url: str | None = "/api/v1/contacts/?company=acme&page_size=5"
    while url:
        body = coach_api.get(url).json()
        seen.extend(row["name"] for row in body["results"])
        url = body["next"]
    assert len(seen) == len(set(seen)) == 12
    assert all(name.startswith("P") for name in seen[:7])
