"""Item 1: the coach's own inputs are the coach's to-dos, never client-fault findings."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from coaching.choices import ChecklistState, ClientStatus, PresentationItem, Verdict
from coaching.diagnostics import diagnosis_to_dict
from coaching.diagnostics.snapshot import ChecklistEntry
from tests.coaching.diagnostics.helpers import codes, diagnosis_of
from tests.diagnostics.builders import SnapshotBuilder, ago, healthy


def checklist(**states: ChecklistState) -> tuple[ChecklistEntry, ...]:
    return tuple(
        ChecklistEntry(i, states.get(i.value, ChecklistState.OK)) for i in PresentationItem
    )


def networking(**client: Any) -> SnapshotBuilder:
    """The healthy search (outreach at goal, asks, a thanked meeting) with other client facts."""
    b = healthy()
    b.client = replace(b.client, **client)
    return b


def test_unreviewed_items_are_todos_named_for_the_client() -> None:
    b = networking(name="Dana", presentation=checklist(linkedin=ChecklistState.UNREVIEWED))
    diagnosis = diagnosis_of(b)
    assert "presentation_issues" not in diagnosis.open_codes
    assert [t.title for t in diagnosis.coach_todos] == ["Review Dana's LinkedIn profile"]
    assert diagnosis.coach_todos[0].subject == "presentation:linkedin"


def test_an_item_missing_from_the_checklist_is_unreviewed() -> None:
    b = networking(name="Dana", presentation=checklist()[:2])
    assert [t.title for t in diagnosis_of(b).coach_todos] == ["Review Dana's other public profiles"]


def test_not_applicable_is_neither_a_todo_nor_a_finding() -> None:
    b = networking(presentation=checklist(other_profiles=ChecklistState.NOT_APPLICABLE))
    diagnosis = diagnosis_of(b)
    assert diagnosis.coach_todos == ()
    assert "presentation_issues" not in diagnosis.open_codes


def test_reviewed_and_failing_stays_a_finding_next_to_the_todos() -> None:
    b = networking(
        presentation=checklist(resume=ChecklistState.NEEDS_WORK, linkedin=ChecklistState.UNREVIEWED)
    )
    diagnosis = diagnosis_of(b)
    [finding] = [f for f in diagnosis.findings if f.code == "presentation_issues"]
    assert finding.measure.sentence.startswith("Needs work: Resume, while")
    assert "LinkedIn" not in finding.measure.sentence
    assert [t.kind for t in diagnosis.coach_todos] == ["review_presentation"]


def test_missing_leaving_story_is_a_todo_and_unconvincing_a_finding() -> None:
    missing = diagnosis_of(networking(name="Dana", leaving_story_verdict=Verdict.MISSING))
    assert "leaving_story_unconvincing" not in missing.open_codes
    assert [t.kind for t in missing.coach_todos] == ["judge_leaving_story"]
    assert "Dana's reason for leaving" in missing.coach_todos[0].title
    unconvincing = diagnosis_of(networking(leaving_story_verdict=Verdict.UNCONVINCING))
    assert "leaving_story_unconvincing" in unconvincing.open_codes
    assert unconvincing.coach_todos == ()


def test_missing_target_roles_is_a_todo() -> None:
    diagnosis = diagnosis_of(networking(target_role_families=()))
    assert [t.kind for t in diagnosis.coach_todos] == ["record_target_roles"]


def test_day_one_client_has_todos_and_no_findings() -> None:
    b = SnapshotBuilder(
        started=ago(0),
        name="Dana",
        presentation=(),
        leaving_story_verdict=Verdict.MISSING,
        target_role_families=(),
    )
    for _ in range(3):
        b.interaction(b.contact(), ago(0))
    diagnosis = diagnosis_of(b)
    assert diagnosis.findings == ()
    assert diagnosis.counts.total == 0
    assert len(diagnosis.coach_todos) == 5


def test_healthy_control_has_no_todos_and_no_findings() -> None:
    diagnosis = diagnosis_of(healthy())
    assert diagnosis.coach_todos == ()
    assert codes(healthy()) == set()


def test_landed_clients_get_no_todos() -> None:
    b = networking(status=ClientStatus.LANDED, landed_on=ago(3), presentation=())
    assert diagnosis_of(b).coach_todos == ()


def test_todos_are_serialised_apart_from_findings() -> None:
    b = networking(name="Dana", presentation=checklist(resume=ChecklistState.UNREVIEWED))
    body = diagnosis_to_dict(diagnosis=diagnosis_of(b))
    assert body["coach_todos"] == [
        {
            "kind": "review_presentation",
            "subject": "presentation:resume",
            "title": "Review Dana's resume",
            "why": body["coach_todos"][0]["why"],
        }
    ]
    assert all(f["code"] != "presentation_issues" for f in body["findings"])
    assert body["counts"]["total"] == 0


def test_no_name_reads_the_clients() -> None:
    b = networking(presentation=checklist(resume=ChecklistState.UNREVIEWED))
    assert diagnosis_of(b).coach_todos[0].title == "Review the client's resume"
