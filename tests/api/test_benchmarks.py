"""`clients/{id}/benchmarks/` and the practice report's additions (cohorts, ask fatigue): scoped
like the client report; another practice, another coach's client and an unshared report refused."""

from datetime import date

from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from accounts.models import Role, User
from coaching import services
from integrations.models import ApiKey
from tests.conftest import SeededPractice

AS_OF = "2024-04-15"


def _peers(owner: User, coach: User, n: int) -> None:
    for i in range(n):
        user = User.objects.create_user(f"peer{i}@alpha.example.com", None, role=Role.CLIENT)
        services.client_create(
            actor=owner, user=user, coach=coach, search_started_on=date(2024, 1, 8)
        )


def test_benchmarks_with_and_without_enough_clients(
    coach_api: APIClient, owner: User, coach: User, search
) -> None:
    path = f"/api/v1/clients/{search.pk}/benchmarks/?as_of={AS_OF}"
    _peers(owner, coach, 4)
    few = coach_api.get(path).json()
    assert (few["week_of_search"], few["cohort_size"], few["enough_clients"]) == (14, 4, False)
    assert few["figures"][0]["sentence"].startswith("Not enough clients to compare")
    assert few["figures"][0]["position"] is None
    _peers_more = User.objects.create_user("peer9@alpha.example.com", None, role=Role.CLIENT)
    services.client_create(
        actor=owner, user=_peers_more, coach=coach, search_started_on=date(2024, 1, 8)
    )
    enough = coach_api.get(path).json()
    assert (enough["cohort_size"], enough["enough_clients"]) == (5, True)
    assert [f["figure"] for f in enough["figures"]] == [
        "contacts_reached", "conversations", "introductions_made", "follow_ups_on_time"
    ]  # fmt: skip
    assert enough["figures"][0]["median"] == 0
    assert enough["figures"][0]["position"] == "within"


def test_benchmarks_are_scoped(
    coach_api: APIClient,
    other_coach_api: APIClient,
    client_api: APIClient,
    search,
    other_search,
    seeded: dict[str, SeededPractice],
) -> None:
    assert coach_api.get(f"/api/v1/clients/{search.pk}/benchmarks/").status_code == 200
    assert other_coach_api.get(f"/api/v1/clients/{search.pk}/benchmarks/").status_code == 404
    assert coach_api.get(f"/api/v1/clients/{other_search.pk}/benchmarks/").status_code == 404
    assert client_api.get(f"/api/v1/clients/{search.pk}/benchmarks/").status_code == 403
    with schema_context(seeded["b"].schema_name):
        b_owner = User.objects.get(email="owner@bravo.example.com")
        _key, secret = ApiKey.objects.create_key(name="b", acts_as=b_owner)
    on_b = APIClient(HTTP_HOST=seeded["b"].host)
    on_b.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert on_b.get(f"/api/v1/clients/{search.pk}/benchmarks/").status_code == 404


def test_the_practice_report_carries_cohorts_and_ask_fatigue(
    coach_api: APIClient, search, other_search
) -> None:
    report = coach_api.get(f"/api/v1/diagnostics/practice-report/?as_of={AS_OF}").json()
    (row,) = report["clients"]
    assert row["benchmarks"]["week_of_search"] == 14
    assert report["ask_fatigue"] == {
        "thresholds": {"asks": 3, "days": 30, "clients": 2},
        "people": [],
    }
    every = {
        pk
        for figure in report["cohorts"]["figures"]
        for key in ("below", "within", "above", "not_compared")
        for pk in figure[key]
    }
    assert every == {search.pk}
    assert report["clients_behind"]["status"] == {row["status"]: [search.pk]}
