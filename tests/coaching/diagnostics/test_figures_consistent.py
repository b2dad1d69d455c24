"""Item 4: every figure consistent: funnel medians over steps in order, nothing before a
search's start, explanations from their own measure, evidence that names records."""

from __future__ import annotations

from datetime import date

import pytest

from coaching.choices import ApplicationStatus, IntroductionStatus, MeetingPurpose
from coaching.diagnostics.catalog import entry_for
from coaching.diagnostics.funnel import STAGES
from tests.coaching.diagnostics.helpers import diagnosis_of
from tests.diagnostics.builders import SnapshotBuilder, ago, healthy, run


def with_intro(*, met: int, authority: int) -> SnapshotBuilder:
    """An introduction whose first meeting and hiring-authority step are `met` and `authority`
    days ago."""
    b = healthy()
    mentor = b.contact("Mira", first_met_on=ago(300))
    target = b.contact("Tom", company="Stark")
    intro = b.introduction(
        mentor, target, requested=ago(30), made=ago(29), contacted=ago(28), thanked=ago(28),
        reported=ago(met), reached_authority=ago(authority),
    )  # fmt: skip
    b.meeting(target, ago(met), introduction_id=intro, thanked=ago(met))
    return b


def stage(diagnosis: object, name: str) -> object:
    return diagnosis.figures.funnel.stages[STAGES.index(name)]  # type: ignore[attr-defined]


def test_a_step_recorded_out_of_order_is_a_data_problem_not_a_negative_median() -> None:
    """Hiring authority reached two days before the meeting it follows in the funnel."""
    diagnosis = diagnosis_of(with_intro(met=10, authority=12))
    assert stage(diagnosis, "hiring_authority").median_days is None
    assert stage(diagnosis, "hiring_authority").count == 1  # still counted as reached
    [problem] = diagnosis.data_problems
    assert (problem.record, problem.field) == ("introduction", "reached_hiring_authority_at")
    assert problem.message.startswith(
        f"Recorded as reached a hiring authority on {ago(12)}, before first meeting held on "
        f"{ago(10)}"
    )
    assert all(s.median_days is None or s.median_days >= 0 for s in diagnosis.figures.funnel.stages)


@pytest.mark.parametrize(("authority", "median"), [(10, 0.0), (9, 1.0)])
def test_steps_on_the_same_day_or_later_are_averaged(authority: int, median: float) -> None:
    diagnosis = diagnosis_of(with_intro(met=10, authority=authority))
    assert stage(diagnosis, "hiring_authority").median_days == median
    assert diagnosis.data_problems == ()


def test_no_findings_before_the_search_started() -> None:
    """A search started in September, asked about in July: no summer season, no targets."""
    b = SnapshotBuilder(
        started=date(2024, 9, 9), target_role_families=("data", "sales", "design", "legal")
    )
    july = diagnosis_of(b, as_of=date(2024, 7, 29))
    assert july.findings == ()
    assert july.status.reason == "The search starts on 2024-09-09"
    assert diagnosis_of(b, as_of=date(2024, 9, 9)).open_codes == ("poor_fit_targeting",)


def test_a_late_first_call_is_explained_as_late_not_as_never() -> None:
    b = healthy()
    mentor = b.contact("Mira", first_met_on=ago(300))
    target = b.contact("Tess")
    b.introduction(mentor, target, made=ago(10), contacted=ago(6), thanked=ago(9))
    [finding] = run("intro_not_acted_on", b)
    assert finding.measure.sentence.startswith("Contacted Tess 4 days after the introduction")
    assert "has not reached out" not in finding.explanation
    assert "only after 4 days" in finding.explanation


def test_a_call_still_owed_keeps_the_catalog_explanation() -> None:
    b = healthy()
    target = b.contact("Tess")
    b.introduction(b.contact("Mira"), target, made=ago(3), thanked=ago(2))
    [finding] = run("intro_not_acted_on", b)
    assert finding.explanation == entry_for(code="intro_not_acted_on").explanation


def test_eggs_evidence_names_its_records() -> None:
    b = SnapshotBuilder()
    b.reach(16)
    mentor = b.contact("Mira Mentor")
    target = b.contact("Tom Target")  # no company recorded
    b.introduction(mentor, target, made=ago(3), contacted=ago(2), thanked=ago(2))
    b.application("", role="Analyst", status=ApplicationStatus.APPLIED, applied_on=ago(4))
    [finding] = run("eggs_in_one_basket", b)
    notes = [e.note for e in finding.evidence]
    assert notes == ["Introduction to Tom Target via Mira Mentor", "Application: Analyst"]
    assert not any("not recorded" in n for n in notes)


def test_interviews_feed_the_funnel_in_order() -> None:
    b = healthy()
    mentor = b.contact("Mira", first_met_on=ago(300))
    target = b.contact("Tom", is_hiring_authority=True)
    app = b.application("Stark", status=ApplicationStatus.INTERVIEWING, applied_on=ago(20))
    intro = b.introduction(
        mentor, target, made=ago(20), contacted=ago(19), thanked=ago(19), application_id=app,
        status=IntroductionStatus.OPEN,
    )  # fmt: skip
    b.meeting(
        target, ago(19), introduction_id=intro, thanked=ago(19), purpose=MeetingPurpose.INTERVIEW
    )
    diagnosis = diagnosis_of(b)
    assert stage(diagnosis, "interview").median_days == 0.0
    assert diagnosis.data_problems == ()
