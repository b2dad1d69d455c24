from dataclasses import replace

from coaching.choices import (
    ApplicationSource,
    ApplicationStatus,
    ChecklistState,
    Direction,
    FeedbackAbout,
    FeedbackSource,
    FitRating,
    MeetingPurpose,
    PresentationItem,
    Verdict,
)
from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.findings import Severity
from coaching.diagnostics.snapshot import ChecklistEntry
from tests.diagnostics.builders import AS_OF, SnapshotBuilder, ago, run

POOR_FIT = FailureCode.POOR_FIT_TARGETING
PRESENTATION = FailureCode.PRESENTATION_ISSUES
LEAVING = FailureCode.LEAVING_STORY_UNCONVINCING
REPUTATION = FailureCode.REPUTATION_RISK
STALEMATE = FailureCode.STALEMATE
OVER = FailureCode.OVER_FOLLOW_UP
OVERDUE = FailureCode.FOLLOW_UPS_OVERDUE
EMPLOYER = FailureCode.EMPLOYER_UNRESPONSIVE


# poor_fit_targeting


def test_poor_fit_application_fires_good_fit_does_not() -> None:
    b = SnapshotBuilder()
    b.application("Acme", applied_on=ago(5))
    assert run(POOR_FIT, b) == []
    b.application("Globex", applied_on=ago(5), fit_rating=FitRating.POOR)
    [finding] = run(POOR_FIT, b)
    assert finding.measure.value == 1


def test_four_role_families_is_a_shotgun_three_is_not() -> None:
    b = SnapshotBuilder(target_role_families=("data", "Design"))
    b.application("Acme", applied_on=ago(5), role_family="design")
    b.application("Globex", applied_on=ago(6), role_family="sales")
    assert run(POOR_FIT, b) == []
    b.application("Initech", applied_on=ago(7), role_family="legal")
    [finding] = run(POOR_FIT, b)
    assert finding.measure.value == 4
    assert "Targets span 4 role families (data, Design, legal, sales)" in (finding.measure.sentence)


def test_ask_for_a_poor_fit_role_fires() -> None:
    b = SnapshotBuilder()
    app = b.application(
        "Acme", applied_on=ago(90), status=ApplicationStatus.REJECTED, fit_rating=FitRating.POOR
    )
    assert run(POOR_FIT, b) == []
    ask = b.introduction(b.contact(), b.contact(), requested=ago(3), application_id=app)
    [finding] = run(POOR_FIT, b)
    assert [(e.record, e.id) for e in finding.evidence] == [("introduction", ask)]


# presentation_issues and leaving_story_unconvincing


def networking(**client: object) -> SnapshotBuilder:
    b = SnapshotBuilder(**client)
    b.interaction(b.contact(), ago(3))
    return b


def checklist(**states: ChecklistState) -> tuple[ChecklistEntry, ...]:
    return tuple(
        ChecklistEntry(item, states.get(item.value, ChecklistState.OK)) for item in PresentationItem
    )


def test_presentation_all_ok_is_silent() -> None:
    assert run(PRESENTATION, networking()) == []


def test_presentation_needing_work_while_networking_is_a_warning() -> None:
    b = networking(presentation=checklist(resume=ChecklistState.NEEDS_WORK))
    [finding] = run(PRESENTATION, b)
    assert finding.severity == Severity.WARNING
    assert finding.measure.sentence.startswith("Needs work: Resume")


def test_presentation_unreviewed_missing_or_not_applicable_items_are_not_findings() -> None:
    """Unreviewed (or absent) items are the coach's to-do (tests/coaching/diagnostics)."""
    b = networking(presentation=checklist(linkedin=ChecklistState.UNREVIEWED))
    assert run(PRESENTATION, b) == []
    assert run(PRESENTATION, networking(presentation=checklist()[:2])) == []
    b = networking(presentation=checklist(other_profiles=ChecklistState.NOT_APPLICABLE))
    assert run(PRESENTATION, b) == []


def test_presentation_is_only_flagged_while_outreach_continues() -> None:
    b = SnapshotBuilder(presentation=checklist(resume=ChecklistState.NEEDS_WORK))
    b.interaction(b.contact(), ago(28))
    assert run(PRESENTATION, b) == []


def test_leaving_story() -> None:
    assert run(LEAVING, networking()) == []
    [finding] = run(LEAVING, networking(leaving_story_verdict=Verdict.UNCONVINCING))
    assert finding.severity == Severity.WARNING
    assert "rated unconvincing" in finding.measure.sentence
    assert run(LEAVING, networking(leaving_story_verdict=Verdict.MISSING)) == []
    assert run(LEAVING, SnapshotBuilder(leaving_story_verdict=Verdict.UNCONVINCING)) == []


# reputation_risk


def test_reputation_flags_in_the_window() -> None:
    b = SnapshotBuilder()
    ivy = b.contact("Ivy")
    fid = b.add_feedback(
        FeedbackAbout.MISREPRESENTED_RELATIONSHIP,
        ago(3),
        source=FeedbackSource.INTRODUCER,
        contact_id=ivy,
    )
    [finding] = run(REPUTATION, b)
    assert finding.subject == f"feedback:{fid}"
    assert "introducer Ivy" in finding.measure.sentence
    assert "a misrepresented relationship" in finding.measure.sentence


def test_reputation_ignores_other_notes_and_old_feedback() -> None:
    b = SnapshotBuilder()
    b.add_feedback(FeedbackAbout.OTHER, ago(3))
    b.add_feedback(FeedbackAbout.OVERSTATED_CREDENTIALS, ago(28))
    assert run(REPUTATION, b) == []
    b.add_feedback(FeedbackAbout.OVERSTATED_CREDENTIALS, ago(27))
    assert len(run(REPUTATION, b)) == 1


# stalemate


def went_quiet(silent: int, **contact: object) -> SnapshotBuilder:
    b = SnapshotBuilder()
    lee = b.contact("Lee", **contact)
    b.conversation(lee, ago(20))
    b.follow_up_message(lee, ago(silent))
    return b


def test_stalemate_from_ten_days_of_silence() -> None:
    assert run(STALEMATE, went_quiet(9)) == []
    [finding] = run(STALEMATE, went_quiet(10))
    assert finding.fault == "context"
    assert finding.severity == Severity.INFO
    assert finding.measure.value == 10


def test_stalemate_about_a_key_person_is_a_warning() -> None:
    [finding] = run(STALEMATE, went_quiet(12, is_key_influencer=True))
    assert finding.severity == Severity.WARNING


def test_no_stalemate_without_prior_engagement_or_after_a_reply() -> None:
    b = SnapshotBuilder()
    cold = b.contact()
    b.interaction(cold, ago(15))
    b.follow_up_message(cold, ago(12))
    assert run(STALEMATE, b) == []
    b = went_quiet(12)
    b.interaction(b.contacts[0].id, ago(2), direction=Direction.INBOUND)
    assert run(STALEMATE, b) == []


def test_stalemate_measures_from_the_first_unanswered_message() -> None:
    b = went_quiet(14)
    b.follow_up_message(b.contacts[0].id, ago(4))
    [finding] = run(STALEMATE, b)
    assert finding.measure.value == 14


# over_follow_up


def chased(n: int) -> SnapshotBuilder:
    b = SnapshotBuilder()
    lee = b.contact("Lee")
    b.interaction(lee, ago(25))
    for i in range(n):
        b.follow_up_message(lee, ago(20 - 5 * i))
    return b


def test_two_follow_ups_are_enough_three_are_too_many() -> None:
    assert run(OVER, chased(2)) == []
    [finding] = run(OVER, chased(3))
    assert finding.measure.value == 3
    assert "3 follow-ups to Lee without a reply vs. at most 2" in finding.measure.sentence


def test_a_reply_resets_the_count() -> None:
    b = chased(3)
    lee = b.contacts[0].id
    b.interactions[1] = replace(b.interactions[1], replied_at=b.at(ago(18)))
    assert run(OVER, b) == []
    b.follow_up_message(lee, ago(2))
    assert len(run(OVER, b)) == 1


# follow_ups_overdue


def overdue(*due: int, done: dict[int, int] | None = None) -> SnapshotBuilder:
    b = SnapshotBuilder()
    for i, days in enumerate(due):
        finished = (done or {}).get(i)
        b.follow_up(b.contact(), ago(days), done=ago(finished) if finished is not None else None)
    return b


def test_two_follow_ups_four_days_late_fire() -> None:
    [finding] = run(OVERDUE, overdue(4, 6))
    assert finding.measure.value == 2
    assert [e.record for e in finding.evidence] == ["follow_up", "follow_up"]


def test_three_days_late_or_a_single_one_is_not_yet_a_pattern() -> None:
    assert run(OVERDUE, overdue(3, 3)) == []
    assert run(OVERDUE, overdue(10)) == []
    assert run(OVERDUE, overdue(10, 9, done={1: 2})) == []


def test_follow_up_done_after_as_of_was_still_overdue_then() -> None:
    assert len(run(OVERDUE, overdue(10, 9, done={1: -1}))) == 1


# employer_unresponsive


def waiting(
    client_moved: int, employer_heard: int | None = None, **fields: object
) -> SnapshotBuilder:
    b = SnapshotBuilder()
    fields.setdefault("status", ApplicationStatus.INTERVIEWING)
    b.application(
        "Acme",
        applied_on=ago(40),
        last_client_action_on=ago(client_moved),
        last_employer_contact_on=ago(employer_heard) if employer_heard is not None else None,
        **fields,
    )
    return b


def test_employer_silent_for_14_days_after_the_clients_move() -> None:
    assert run(EMPLOYER, waiting(13, 20)) == []
    [finding] = run(EMPLOYER, waiting(14, 20))
    assert finding.fault == "employer"
    assert finding.measure.value == 14
    assert finding.observed_on == ago(14)


def test_employer_spoke_last_so_the_ball_is_with_the_client() -> None:
    assert run(EMPLOYER, waiting(30, 20)) == []


def test_cold_applications_without_an_answer_are_not_employer_silence() -> None:
    cold = waiting(20, status=ApplicationStatus.APPLIED, source=ApplicationSource.JOB_BOARD)
    assert run(EMPLOYER, cold) == []
    referred = waiting(20, status=ApplicationStatus.APPLIED, source=ApplicationSource.REFERRAL)
    assert len(run(EMPLOYER, referred)) == 1


def test_held_interview_is_evidence() -> None:
    b = waiting(16)
    app = b.applications[0].id
    b.meeting(b.contact(), ago(16), purpose=MeetingPurpose.INTERVIEW, application_id=app)
    [finding] = run(EMPLOYER, b)
    assert ("meeting", b.meetings[0].id) in [(e.record, e.id) for e in finding.evidence]
    assert AS_OF not in [e.on for e in finding.evidence]
