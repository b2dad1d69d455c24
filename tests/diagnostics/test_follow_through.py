from dataclasses import replace

import pytest

from coaching.choices import (
    AbandonReason,
    ApplicationSource,
    InteractionKind,
    IntroductionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
)
from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.findings import Severity
from tests.diagnostics.builders import SnapshotBuilder, ago, run

NOT_ACTED = FailureCode.INTRO_NOT_ACTED_ON
NO_SHOW = FailureCode.REFERRAL_NO_SHOW
ABANDONED = FailureCode.REFERRAL_ABANDONED
THANKS = FailureCode.NO_THANKS_OR_OUTCOME
UNPREPARED = FailureCode.UNPREPARED_MEETING


def intro(made: int, contacted: int | None = None, **fields: object) -> SnapshotBuilder:
    b = SnapshotBuilder()
    b.introduction(
        b.contact("Ivy"),
        b.contact("Sam"),
        made=ago(made),
        contacted=ago(contacted) if contacted is not None else None,
        thanked=ago(made),
        **fields,
    )
    return b


# intro_not_acted_on


@pytest.mark.parametrize(
    ("made", "severity"),
    [(2, None), (3, Severity.WARNING), (7, Severity.WARNING), (8, Severity.CRITICAL)],
)
def test_uncontacted_introduction_by_age(made: int, severity: Severity | None) -> None:
    findings = run(NOT_ACTED, intro(made))
    assert [f.severity for f in findings] == ([severity] if severity else [])
    if severity:
        assert findings[0].measure.value == made
        assert f"Introduced to Sam {made} days ago and not contacted yet" in (
            findings[0].measure.sentence
        )


def test_contact_on_day_2_is_in_time_day_3_is_late() -> None:
    assert run(NOT_ACTED, intro(10, contacted=8)) == []
    [finding] = run(NOT_ACTED, intro(10, contacted=7))
    assert finding.severity == Severity.WARNING
    assert "Contacted Sam 3 days after the introduction" in finding.measure.sentence


def test_a_forwarded_resume_waits_for_the_clients_contact_like_an_introduction() -> None:
    """Issue #12: one definition of "waiting for the client's call" (`obligations`), and it
    includes resume forwards (this test used to assert the opposite for this rule alone)."""
    [finding] = run(NOT_ACTED, intro(9, kind=IntroductionKind.RESUME_FORWARD))
    assert finding.severity == Severity.CRITICAL
    assert "Resume forwarded to Sam 9 days ago and not contacted yet" in finding.measure.sentence
    assert run(NOT_ACTED, intro(10, contacted=8, kind=IntroductionKind.RESUME_FORWARD)) == []


def test_abandoned_paths_are_not_waiting_calls() -> None:
    abandoned = intro(
        9,
        status=IntroductionStatus.ABANDONED,
        ended=ago(1),
        abandon_reason=AbandonReason.TOOK_OTHER_OFFER,
    )
    assert run(NOT_ACTED, abandoned) == []


def test_introduction_made_after_as_of_does_not_exist_yet() -> None:
    assert run(NOT_ACTED, intro(-3)) == []


# referral_no_show


def no_show_case(days_ago: int, status: MeetingStatus, **fields: object) -> SnapshotBuilder:
    b = SnapshotBuilder()
    ivy, sam = b.contact("Ivy"), b.contact("Sam")
    via = b.introduction(ivy, sam, made=ago(40), contacted=ago(39), thanked=ago(39))
    fields.setdefault("introduction_id", via)
    b.meeting(sam, ago(days_ago), status=status, **fields)
    return b


def test_no_show_to_a_referral_meeting_is_critical() -> None:
    [finding] = run(NO_SHOW, no_show_case(5, MeetingStatus.NO_SHOW))
    assert finding.severity == Severity.CRITICAL
    assert "arranged through Ivy" in finding.measure.sentence


def test_cancelled_or_unreferred_meetings_are_not_no_shows() -> None:
    assert run(NO_SHOW, no_show_case(5, MeetingStatus.CANCELLED)) == []
    assert run(NO_SHOW, no_show_case(5, MeetingStatus.NO_SHOW, introduction_id=None)) == []


def test_no_show_window_edge() -> None:
    assert len(run(NO_SHOW, no_show_case(27, MeetingStatus.NO_SHOW))) == 1
    assert run(NO_SHOW, no_show_case(28, MeetingStatus.NO_SHOW)) == []


def test_no_show_to_an_interview_for_a_referred_application() -> None:
    b = SnapshotBuilder()
    app = b.application("Acme", source=ApplicationSource.REFERRAL, applied_on=ago(20))
    b.meeting(
        b.contact(),
        ago(4),
        purpose=MeetingPurpose.INTERVIEW,
        status=MeetingStatus.NO_SHOW,
        application_id=app,
    )
    [finding] = run(NO_SHOW, b)
    assert "interview" in finding.measure.sentence


# referral_abandoned


def abandoned_case(reason: AbandonReason, ended: int) -> SnapshotBuilder:
    return intro(
        30,
        contacted=29,
        status=IntroductionStatus.ABANDONED,
        ended=ago(ended),
        abandon_reason=reason,
    )


def test_dropping_a_referral_for_another_offer_fires() -> None:
    [finding] = run(ABANDONED, abandoned_case(AbandonReason.TOOK_OTHER_OFFER, 5))
    assert "took another offer" in finding.measure.sentence
    assert len(run(ABANDONED, abandoned_case(AbandonReason.OTHER_OPPORTUNITY, 27))) == 1


def test_paths_ended_by_the_other_side_or_long_ago_are_not_abandoned_by_the_client() -> None:
    assert run(ABANDONED, abandoned_case(AbandonReason.TARGET_UNRESPONSIVE, 5)) == []
    assert run(ABANDONED, abandoned_case(AbandonReason.TOOK_OTHER_OFFER, 28)) == []


# no_thanks_or_outcome


def meeting_case(held: int, thanked: int | None, **fields: object) -> SnapshotBuilder:
    b = SnapshotBuilder()
    b.meeting(b.contact("Hana"), ago(held), thanked=ago(thanked) if thanked else None, **fields)
    return b


def test_thank_you_on_day_2_is_in_time_day_3_is_late() -> None:
    assert run(THANKS, meeting_case(5, thanked=3)) == []
    [finding] = run(THANKS, meeting_case(5, thanked=2))
    assert "thanked after 3 days" in finding.measure.sentence


def test_missing_thank_you_fires_only_once_the_two_days_are_over() -> None:
    assert run(THANKS, meeting_case(2, thanked=None)) == []
    [finding] = run(THANKS, meeting_case(3, thanked=None))
    assert finding.measure.value == 3


def test_a_thank_you_message_counts_like_the_meeting_field() -> None:
    b = meeting_case(5, thanked=None)
    hana = b.contacts[0].id
    b.interaction(hana, ago(3), kind=InteractionKind.THANK_YOU)
    assert run(THANKS, b) == []


def test_interviews_outside_referrals_need_no_networking_thanks() -> None:
    assert run(THANKS, meeting_case(5, None, purpose=MeetingPurpose.INTERVIEW)) == []


def test_introducer_not_thanked_within_two_days() -> None:
    b = SnapshotBuilder()
    b.introduction(b.contact("Ivy"), b.contact("Sam"), made=ago(5), contacted=ago(4))
    [finding] = run(THANKS, b)
    assert "Ivy not thanked after 5 days" in finding.measure.sentence
    b = SnapshotBuilder()
    b.introduction(
        b.contact("Ivy"), b.contact("Sam"), made=ago(5), contacted=ago(4), thanked=ago(3)
    )
    assert run(THANKS, b) == []


def outcome_case(reported: int | None, by_message: bool = False) -> SnapshotBuilder:
    b = SnapshotBuilder()
    ivy, sam = b.contact("Ivy"), b.contact("Sam")
    via = b.introduction(
        ivy,
        sam,
        made=ago(10),
        contacted=ago(9),
        thanked=ago(9),
        reported=None if by_message or reported is None else ago(reported),
    )
    b.meeting(sam, ago(6), thanked=ago(5), introduction_id=via)
    if by_message and reported is not None:
        b.interaction(ivy, ago(reported), kind=InteractionKind.OUTCOME_REPORT)
    return b


def test_outcome_never_reported_to_the_introducer() -> None:
    [finding] = run(THANKS, outcome_case(None))
    assert finding.subject.startswith("introduction:")
    assert "Ivy not told how the meeting" in finding.measure.sentence
    assert run(THANKS, outcome_case(5)) == []
    assert run(THANKS, outcome_case(5, by_message=True)) == []


# unprepared_meeting


def test_prepared_meeting_is_fine() -> None:
    assert run(UNPREPARED, meeting_case(3, 2)) == []


def test_meeting_with_no_preparation_is_a_warning_partial_is_info() -> None:
    [finding] = run(UNPREPARED, meeting_case(3, 2, prepared=False))
    assert finding.severity == Severity.WARNING
    assert finding.measure.value == 0
    [finding] = run(UNPREPARED, meeting_case(3, 2, prepared=False, prep_goal=True))
    assert finding.severity == Severity.INFO
    assert "missing: company research, questions" in finding.measure.sentence


def test_preparation_recorded_after_the_meeting_does_not_count() -> None:
    b = meeting_case(3, 2)
    b.meetings[0] = replace(b.meetings[0], prepared_at=b.at(ago(3), 20))
    assert run(UNPREPARED, b)[0].severity == Severity.WARNING


def test_unprepared_interviews_and_old_meetings_are_out_of_scope() -> None:
    assert (
        run(UNPREPARED, meeting_case(3, 2, prepared=False, purpose=MeetingPurpose.INTERVIEW)) == []
    )
    assert run(UNPREPARED, meeting_case(28, 27, prepared=False)) == []
