"""Item 2: interviews are never networking, however recorded; only follow-ups and asks await
a reply; an interview process going quiet is `employer_unresponsive`, never `stalemate`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from coaching.choices import (
    ApplicationSource,
    ApplicationStatus,
    Channel,
    Direction,
    InteractionKind,
    MeetingPurpose,
    MeetingStatus,
)
from tests.coaching.diagnostics.helpers import codes
from tests.diagnostics.builders import SnapshotBuilder, ago, run

RECORDED = ["meeting only", "meeting and same-day conversation", "colleague at the company"]


def interview(b: SnapshotBuilder, n: int, day: date, how: str) -> int:
    """One held interview at its own company, recorded in one of the three ways."""
    company = f"Interviewco {n}"
    who = b.contact(f"Interviewer {n}", company=company)
    app = b.application(company, status=ApplicationStatus.INTERVIEWING, applied_on=ago(30))
    b.meeting(who, day, purpose=MeetingPurpose.INTERVIEW, application_id=app)
    if how == "meeting and same-day conversation":
        b.conversation(who, day, channel=Channel.VIDEO)
    elif how == "colleague at the company":
        panel = b.contact(f"Panel {n}", company=company)
        b.conversation(panel, day, channel=Channel.VIDEO)
    return who


def searching(*, started: int = 120) -> SnapshotBuilder:
    b = SnapshotBuilder(started=ago(started))
    b.reach(16)
    return b


@pytest.mark.parametrize("how", RECORDED)
def test_five_interviews_and_no_ask_is_not_not_asking(how: str) -> None:
    b = searching()
    for n in range(5):
        interview(b, n, ago(2 + n), how)
    assert run("not_asking", b) == []


def test_not_asking_counts_networking_conversations_only_at_its_threshold() -> None:
    """4 networking conversations and an interview: under 5. A fifth networking one: fires."""
    b = searching()
    friends = [b.contact(f"Friend {n}") for n in range(5)]
    for n in range(4):
        b.conversation(friends[n], ago(3 + n))
    interview(b, 9, ago(2), "meeting and same-day conversation")
    assert run("not_asking", b) == []
    b.conversation(friends[4], ago(8))
    [finding] = run("not_asking", b)
    assert finding.measure.value == 5


@pytest.mark.parametrize("how", RECORDED)
def test_job_boards_against_interviews_is_reliance(how: str) -> None:
    """Five job-board applications, two interviews and no networking conversation: 5 : 0."""
    b = searching()
    for n in range(2):
        interview(b, n, ago(3 + n), how)
    for n in range(5):
        b.application(f"Board {n}", source=ApplicationSource.JOB_BOARD, applied_on=ago(2 + n))
    [finding] = run("job_board_reliance", b)
    assert "0 networking conversations" in finding.measure.sentence


def test_job_board_ratio_is_exclusive_at_three_to_one() -> None:
    b = searching()
    friend = b.contact("Friend")
    b.conversation(friend, ago(3))
    b.conversation(friend, ago(9))
    interview(b, 1, ago(4), "meeting and same-day conversation")
    for n in range(6):
        b.application(f"Board {n}", source=ApplicationSource.JOB_BOARD, applied_on=ago(2 + n))
    assert run("job_board_reliance", b) == []  # 6 : 2 is 3 : 1, not more
    b.application("Board 7", source=ApplicationSource.JOB_BOARD, applied_on=ago(8))
    assert len(run("job_board_reliance", b)) == 1  # 7 : 2


def test_thank_you_after_an_interview_is_never_a_stalemate() -> None:
    """The issue's case: a held interview, a same-evening thank-you nobody answers, the next
    interview booked; 10, 20 days later: no stalemate."""
    b = searching()
    who = interview(b, 1, ago(20), "meeting and same-day conversation")
    b.interaction(who, ago(20), kind=InteractionKind.THANK_YOU, hour=20)
    b.meeting(who, ago(-2), purpose=MeetingPurpose.INTERVIEW, status=MeetingStatus.SCHEDULED)
    assert run("stalemate", b) == []
    b.follow_up_message(who, ago(12))  # even a follow-up to an interviewer
    assert run("stalemate", b) == []


@pytest.mark.parametrize("kind", [InteractionKind.THANK_YOU, InteractionKind.OUTCOME_REPORT])
def test_messages_that_expect_no_answer_never_make_a_stalemate(kind: InteractionKind) -> None:
    b = searching()
    quiet = b.contact("Quinn")
    b.conversation(quiet, ago(25))
    b.interaction(quiet, ago(20), kind=kind)
    assert run("stalemate", b) == []


def test_a_conversation_record_awaits_no_reply() -> None:
    b = searching()
    quiet = b.contact("Quinn")
    b.conversation(quiet, ago(25))
    b.interaction(quiet, ago(20), kind=InteractionKind.CONVERSATION, channel=Channel.EMAIL)
    assert run("stalemate", b) == []


@pytest.mark.parametrize(
    ("kind", "days", "fires"),
    [
        (InteractionKind.FOLLOW_UP, 10, True),
        (InteractionKind.FOLLOW_UP, 9, False),
        (InteractionKind.REFERRAL_REQUEST, 10, True),
        (InteractionKind.OUTREACH, 10, True),  # a fresh note to someone engaged: a follow-up
        (InteractionKind.INTRODUCTION_REQUEST, 9, False),
    ],
)
def test_follow_ups_and_asks_await_a_reply_from_ten_days(
    kind: InteractionKind, days: int, fires: bool
) -> None:
    b = searching()
    quiet = b.contact("Quinn")
    b.conversation(quiet, ago(25))
    b.interaction(quiet, ago(days), kind=kind)
    assert bool(run("stalemate", b)) is fires


def test_a_reply_after_the_follow_up_ends_it() -> None:
    b = searching()
    quiet = b.contact("Quinn")
    b.conversation(quiet, ago(25))
    b.follow_up_message(quiet, ago(15))
    b.interaction(quiet, ago(3), direction=Direction.INBOUND)
    assert run("stalemate", b) == []


@pytest.mark.parametrize(("silent", "fires"), [(14, True), (13, False)])
def test_an_interview_process_going_quiet_is_the_employer(silent: int, fires: bool) -> None:
    b = searching()
    who = interview(b, 1, ago(silent + 2), "meeting and same-day conversation")
    b.interaction(who, ago(silent + 2), kind=InteractionKind.THANK_YOU, hour=20)
    b.follow_up_message(who, ago(silent))
    b.applications[-1] = replace(
        b.applications[-1],
        last_client_action_on=ago(silent),
        last_employer_contact_on=ago(silent + 2),
    )
    found = codes(b)
    assert ("employer_unresponsive" in found) is fires
    assert "stalemate" not in found
