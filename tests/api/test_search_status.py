"""`search_status` on the clients resource: always there, computed on read from the dashboard's
cached summaries (so the two agree), filterable, and never confused with the record's `status`."""

from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import Role, User
from coaching import services
from coaching.insights.dashboard import Filters, dashboard
from tests.api.conftest import error_of


def _statuses(api: APIClient, query: str = "") -> dict[int, str | None]:
    response = api.get(f"/api/v1/clients/{query}")
    assert response.status_code == 200, response.json()
    return {c["id"]: c["search_status"] for c in response.json()["results"]}


def _dashboard(actor: User) -> dict[int, str]:
    board = dashboard(actor=actor, filters=Filters())
    return {row.client.pk: row.summary.status for row in board.rows}


def _talk_today(client, coach: User, make_contact) -> None:  # type: ignore[no-untyped-def]
    """A real conversation today: forward progress, the search is no longer stalled."""
    contact = make_contact(client, name="Pat Doe")
    services.interaction_record(
        client=client,
        actor=coach,
        contact=contact,
        occurred_at=timezone.now() - timedelta(minutes=5),
        channel="phone",
        direction="outbound",
        kind="conversation",
    )


def test_present_before_any_nightly_run_and_the_same_as_the_dashboard(
    coach_api: APIClient, coach: User, search, other_search
) -> None:
    listed = coach_api.get("/api/v1/clients/").json()["results"]
    detail = coach_api.get(f"/api/v1/clients/{search.pk}/").json()
    assert [c["id"] for c in listed] == [search.pk]  # never the other coach's client
    assert listed[0]["search_status"] == detail["search_status"] == "stalled"
    assert listed[0]["search_status_as_of"] == detail["search_status_as_of"] is not None
    assert listed[0]["status"] == "active"  # the record's status: a different thing
    assert _statuses(coach_api) == _dashboard(coach)


def test_a_change_to_the_search_shows_at_once(
    coach_api: APIClient, coach: User, search, make_contact
) -> None:
    assert _statuses(coach_api)[search.pk] == "stalled"
    _talk_today(search, coach, make_contact)
    now = _statuses(coach_api)[search.pk]
    assert now != "stalled"
    assert now == _dashboard(coach)[search.pk]


def test_filter_by_search_status(
    owner_api: APIClient, coach_api: APIClient, coach: User, search, other_search, make_contact
) -> None:
    _talk_today(search, coach, make_contact)
    moving = _dashboard(coach)[search.pk]
    assert set(_statuses(owner_api, "?search_status=stalled")) == {other_search.pk}
    assert set(_statuses(owner_api, f"?search_status={moving}")) == {search.pk}
    assert _statuses(coach_api, "?search_status=stalled") == {}  # Carl is not Cora's
    assert set(_statuses(owner_api, "?search_status=stalled&status=active")) == {other_search.pk}


@pytest.mark.parametrize(
    ("query", "parameter"),
    [("?search_status=nope", "search_status"), ("?search_status=paused", "search_status"),
     ("?status=stalled", "status")],
)  # fmt: skip
def test_unknown_values_are_refused_naming_the_parameter(
    owner_api: APIClient, search, query: str, parameter: str
) -> None:
    response = owner_api.get(f"/api/v1/clients/{query}")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == [parameter]


def test_a_client_sees_it_once_the_report_is_shared(
    client_api: APIClient, coach: User, search
) -> None:
    own = client_api.get(f"/api/v1/clients/{search.pk}/").json()
    assert (own["search_status"], own["search_status_as_of"]) == (None, None)
    assert _statuses(client_api, "?search_status=stalled") == {}
    services.client_set_report_sharing(client=search, actor=coach, shared=True)
    assert client_api.get(f"/api/v1/clients/{search.pk}/").json()["search_status"] == "stalled"
    assert _statuses(client_api, "?search_status=stalled") == {search.pk: "stalled"}


@pytest.fixture
def many_clients(owner: User, coach: User, search) -> list[int]:
    ids = [search.pk]
    for n in range(6):
        user = User.objects.create_user(f"q{n}@alpha.example.com", None, role=Role.CLIENT)
        client = services.client_create(
            actor=owner, user=user, coach=coach, search_started_on=date(2024, 1, 1)
        )
        ids.append(client.pk)
    return ids


@pytest.mark.parametrize("query", ["", "?search_status=stalled"])
def test_list_queries_do_not_grow_with_the_page_even_when_nothing_is_cached(
    owner_api: APIClient, many_clients: list[int], query: str
) -> None:
    owner_api.get("/api/v1/clients/")  # warm-up: the key is read and remembered
    sep = "&" if query else "?"
    counts = []
    for size in (2, 6):
        cache.clear()  # every status computed afresh: the loader's fixed number of queries
        with CaptureQueriesContext(connection) as queries:
            response = owner_api.get(f"/api/v1/clients/{query}{sep}page_size={size}")
        assert len(response.json()["results"]) == size
        assert all(c["search_status"] == "stalled" for c in response.json()["results"])
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    with CaptureQueriesContext(connection) as queries:  # now cached: the page only
        owner_api.get(f"/api/v1/clients/{query}{sep}page_size=6")
    assert len(queries) == (2 if query else 1), [q["sql"][:80] for q in queries]
