"""The client report's additive fields (#15): coach to-dos, what waits for more history and the
positive signals sit beside the findings; the existing fields are unchanged."""

from rest_framework.test import APIClient

from coaching.choices import ChecklistState
from coaching.services.clients import client_review_presentation

AS_OF = "2024-04-15"
STABLE = {
    "report_version", "kind", "as_of", "engine_version", "client", "status", "findings",
    "counts", "open_codes", "figures", "thresholds", "history", "data_problems",
}  # fmt: skip


def test_report_carries_todos_waiting_and_signals_beside_findings(
    coach_api: APIClient, other_coach_api: APIClient, coach, search
) -> None:
    for item, state in (
        ("resume", ChecklistState.OK),
        ("linkedin", ChecklistState.UNREVIEWED),
        ("other_profiles", ChecklistState.NOT_APPLICABLE),
    ):
        client_review_presentation(client=search, actor=coach, item=item, state=state)
    path = f"/api/v1/clients/{search.pk}/report/?as_of={AS_OF}"
    body = coach_api.get(path).json()
    assert STABLE | {"coach_todos", "waiting", "signals"} <= set(body)
    todos = [t for t in body["coach_todos"] if t["kind"] == "review_presentation"]
    assert [t["subject"] for t in todos] == ["presentation:linkedin"]
    assert "presentation_issues" not in body["open_codes"]
    assert isinstance(body["signals"], list)
    assert isinstance(body["waiting"], list)
    assert other_coach_api.get(path).status_code == 404


def test_the_schema_documents_the_new_fields(coach_api: APIClient) -> None:
    schema = coach_api.get("/api/v1/schema/?format=json").json()
    text = str(schema)
    for name in ("coach_todos", "waiting", "signals", "review_presentation"):
        assert name in text
