"""Diagnostics endpoints on the insights layer: reports, figures, thresholds, dispositions."""

from rest_framework.test import APIClient

from tests.api.conftest import error_of

AS_OF = "2024-04-15"


def test_client_report_is_scoped_and_shared_by_the_coach(
    coach_api: APIClient, other_coach_api: APIClient, client_api: APIClient, search
) -> None:
    path = f"/api/v1/clients/{search.pk}/report/?as_of={AS_OF}"
    report = coach_api.get(path)

    assert report.status_code == 200, report.json()
    body = report.json()
    assert (body["kind"], body["as_of"], body["client"]["id"]) == (
        "client_report",
        AS_OF,
        search.pk,
    )
    assert body["findings"]
    assert {"in_force", "ignored_overrides"} <= set(body["thresholds"])
    assert other_coach_api.get(path).status_code == 404
    refused = client_api.get(path)
    assert refused.status_code == 403
    assert error_of(refused)["message"] == "Your coach has not shared this report yet."
    coach_api.post(f"/api/v1/clients/{search.pk}/report-sharing/", {"shared": True})
    assert client_api.get(path).status_code == 200


def test_figures(coach_api: APIClient, search) -> None:
    body = coach_api.get(f"/api/v1/clients/{search.pk}/figures/?as_of={AS_OF}").json()

    assert {"outreach", "funnel", "hygiene"} <= set(body)
    assert body["client_id"] == search.pk


def test_bad_as_of_is_a_field_error(coach_api: APIClient, search) -> None:
    response = coach_api.get(f"/api/v1/clients/{search.pk}/report/?as_of=1200-01-01")

    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["as_of"]


def test_practice_report_shows_the_coachs_clients(
    coach_api: APIClient, client_api: APIClient, owner_api: APIClient, search, other_search
) -> None:
    mine = coach_api.get(f"/api/v1/diagnostics/practice-report/?as_of={AS_OF}").json()
    everyone = owner_api.get(f"/api/v1/diagnostics/practice-report/?as_of={AS_OF}").json()

    assert mine["kind"] == "practice_report"
    assert [c["client_id"] for c in mine["clients"]] == [search.pk]
    assert {c["client_id"] for c in everyone["clients"]} == {search.pk, other_search.pk}
    assert client_api.get("/api/v1/diagnostics/practice-report/").status_code == 404


def test_practice_thresholds_read_by_coaches_changed_by_the_owner(
    coach_api: APIClient, owner_api: APIClient
) -> None:
    assert coach_api.get("/api/v1/diagnostics/thresholds/").status_code == 200
    assert coach_api.patch("/api/v1/diagnostics/thresholds/", {"stalled_days": 21}).status_code == (
        403
    )
    changed = owner_api.patch("/api/v1/diagnostics/thresholds/", {"stalled_days": 21})
    assert changed.status_code == 200, changed.json()
    assert changed.json()["in_force"]["stalled_days"] == {"value": 21, "source": "practice"}
    bad = owner_api.patch("/api/v1/diagnostics/thresholds/", {"stalled_days": -1, "nope": 3})
    assert bad.status_code == 400
    assert set(error_of(bad)["fields"]) == {"stalled_days", "nope"}
    back = owner_api.patch("/api/v1/diagnostics/thresholds/", {"stalled_days": None}).json()
    assert back["in_force"]["stalled_days"]["source"] == "default"


def test_client_thresholds(coach_api: APIClient, client_api: APIClient, search) -> None:
    path = f"/api/v1/clients/{search.pk}/thresholds/"
    changed = coach_api.patch(path, {"weekly_goal": 10})

    assert changed.status_code == 200, changed.json()
    assert changed.json()["in_force"]["weekly_goal"] == {"value": 10, "source": "client"}
    assert client_api.get(path).status_code == 200
    assert client_api.patch(path, {"weekly_goal": 1}).status_code == 403
    assert list(error_of(coach_api.patch(path, {"season_calendar": "us"}))["fields"]) == [
        "season_calendar"
    ]


def test_finding_dispositions(coach_api: APIClient, search) -> None:
    report = coach_api.get(f"/api/v1/clients/{search.pk}/report/").json()
    key = next(f["key"] for f in report["findings"] if f["counts"])
    path = f"/api/v1/clients/{search.pk}/finding-dispositions/"

    marked = coach_api.post(path, {"finding_key": key, "state": "acknowledged"})
    assert marked.status_code == 201, marked.json()
    day = marked.json()["decided_on"]
    report = coach_api.get(f"/api/v1/clients/{search.pk}/report/?as_of={day}").json()
    assert not next(f for f in report["findings"] if f["key"] == key)["counts"]
    assert list(error_of(coach_api.post(path, {"finding_key": "nope:client",
                                                "state": "acknowledged"}))["fields"]) == [
        "finding_key"
    ]  # fmt: skip
    again = coach_api.post(f"{path}withdraw/", {"finding_key": key})
    assert again.json() == {"withdrawn": 1}
    report = coach_api.get(f"/api/v1/clients/{search.pk}/report/?as_of={day}").json()
    assert next(f for f in report["findings"] if f["key"] == key)["counts"]
