"""`coaching.diagnostics.obligations`: what the client owes, since when, by when (issue #12: one
definition, every deadline from the thresholds in force)."""

from datetime import UTC, datetime, time, timedelta

import pytest

from coaching.choices import InteractionKind, IntroductionKind, IntroductionStatus
from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.context import Context
from coaching.diagnostics.engine import diagnose
from coaching.diagnostics.obligations import (
    Obligations,
    Owed,
    awaits_call,
    call_owed,
    call_severity,
    obligations_of,
)
from coaching.diagnostics.problems import screen
from coaching.diagnostics.snapshot import Introduction
from coaching.diagnostics.thresholds import Thresholds, resolve_thresholds
from tests.diagnostics.builders import AS_OF, SnapshotBuilder, ago, run


def owed(b: SnapshotBuilder, **thresholds: object) -> Obligations:
    in_force = resolve_thresholds(practice=thresholds or None)
    return obligations_of(Context(snapshot=screen(b.build()), as_of=AS_OF, thresholds=in_force))


def test_a_forwarded_resume_is_waited_on_like_an_introduction() -> None:
    b = SnapshotBuilder()
    ivy, sam, tom = b.contact("Ivy"), b.contact("Sam"), b.contact("Tom")
    warm = b.introduction(ivy, sam, made=ago(3))
    resume = b.introduction(ivy, tom, made=ago(3), kind=IntroductionKind.RESUME_FORWARD)
    waiting = owed(b).waiting_calls
    assert [c.record for c in waiting] == [("introduction", warm), ("introduction", resume)]
    assert all(c.owed is Owed.CALL and c.since_on == ago(3) for c in waiting)


def test_every_deadline_is_a_threshold_in_force() -> None:
    b = SnapshotBuilder()
    ivy, sam = b.contact("Ivy"), b.contact("Sam")
    b.introduction(ivy, sam, made=ago(3))
    b.meeting(sam, ago(3), thanked=None)
    default, patient = owed(b), owed(b, intro_warning_days=4, thanks_days=5)
    assert [c.due_on for c in default.calls] == [ago(1)]
    assert [c.due_on for c in patient.calls] == [ago(-1)]
    assert [o.due_on for o in default.meeting_thanks] == [ago(1)]
    assert [o.due_on for o in patient.meeting_thanks] == [ago(-2)]
    assert default.calls[0].missed(as_of=AS_OF)
    assert not patient.calls[0].missed(as_of=AS_OF)
    # The rule judges by the same deadline.
    assert len(run(FailureCode.INTRO_NOT_ACTED_ON, b)) == 1
    assert run(FailureCode.INTRO_NOT_ACTED_ON, b, intro_warning_days=4) == []
    # The engine hands the same obligations to every reader.
    diagnosis = diagnose(snapshot=b.build(), as_of=AS_OF, thresholds=Thresholds())
    assert diagnosis.obligations.calls == default.calls


def test_a_thank_you_message_or_the_field_meets_the_obligation() -> None:
    b = SnapshotBuilder()
    hana = b.contact("Hana")
    b.meeting(hana, ago(5), thanked=None)
    [thanks] = owed(b).meeting_thanks
    assert thanks.pending
    assert thanks.missed(as_of=AS_OF)
    b.interaction(hana, ago(4), kind=InteractionKind.THANK_YOU)
    [thanks] = owed(b).meeting_thanks
    assert thanks.done_on == ago(4)
    assert thanks.in_time(as_of=AS_OF)
    assert owed(b).thanks_and_outcomes_owed == ()


def test_the_outcome_is_owed_after_a_meeting_or_once_closed() -> None:
    b = SnapshotBuilder()
    ivy, sam, tom = b.contact("Ivy"), b.contact("Sam"), b.contact("Tom")
    met = b.introduction(ivy, sam, made=ago(10), contacted=ago(9), thanked=ago(9))
    b.meeting(sam, ago(6), thanked=ago(5), introduction_id=met)
    closed = b.introduction(
        ivy, tom, made=ago(12), contacted=ago(11), thanked=ago(11), ended=ago(4),
        status=IntroductionStatus.CLOSED,
    )  # fmt: skip
    b.introduction(ivy, b.contact("Una"), made=ago(8), contacted=ago(7), thanked=ago(7))
    outcomes = {o.record: o for o in owed(b).outcomes}
    assert set(outcomes) == {("introduction", met), ("introduction", closed)}
    assert outcomes[("introduction", met)].since_on == ago(6)
    assert outcomes[("introduction", closed)].since_on == ago(4)
    [finding] = [
        f for f in run(FailureCode.NO_THANKS_OR_OUTCOME, b) if f.subject == f"introduction:{closed}"
    ]
    assert "Ivy not told how the introduction turned out (closed on" in finding.measure.sentence


def test_a_contact_at_the_follow_up_limit_is_left_alone_and_past_it_is_over_chased() -> None:
    b = SnapshotBuilder()
    sam = b.contact("Sam")
    b.conversation(sam, ago(20))
    b.interaction(sam, ago(12), kind=InteractionKind.FOLLOW_UP)
    b.interaction(sam, ago(6), kind=InteractionKind.FOLLOW_UP)
    [chase] = owed(b).chases
    assert (chase.at_limit, chase.over_limit) == (True, False)
    assert owed(b, over_follow_up=3).chases[0].at_limit is False
    b.interaction(sam, ago(2), kind=InteractionKind.FOLLOW_UP)
    assert owed(b).chases[0].over_limit
    assert len(run(FailureCode.OVER_FOLLOW_UP, b)) == 1


def _intro(**fields: object) -> Introduction:
    base = {"id": 1, "introducer_id": 2, "target_id": 3, "made_at": _at(0)}
    return Introduction(**{**base, **fields})  # type: ignore[arg-type]


def _at(hours: float) -> datetime:
    return datetime.combine(AS_OF, time(12), tzinfo=UTC) + timedelta(hours=hours)


@pytest.mark.parametrize(
    ("fields", "at", "waits"),
    [
        ({}, _at(1), True),
        ({}, _at(-1), False),  # not made yet
        ({"made_at": None, "requested_at": _at(-5)}, _at(1), False),
        ({"first_contact_at": _at(2)}, _at(1), True),  # contacted later
        ({"first_contact_at": _at(1)}, _at(1), False),
        ({"status": IntroductionStatus.CLOSED, "ended_at": _at(3)}, _at(1), True),
        ({"status": IntroductionStatus.ABANDONED, "ended_at": _at(1)}, _at(1), False),
        ({"kind": IntroductionKind.RESUME_FORWARD}, _at(1), True),
    ],
)
def test_awaits_call_at_a_moment(fields: dict[str, object], at: datetime, waits: bool) -> None:
    assert awaits_call(_intro(**fields), at=at) is waits


def test_reminders_count_hours_from_the_thresholds() -> None:
    call = call_owed(_intro(), day=lambda m: m.date(), thresholds=Thresholds())
    assert [call_severity(call, thresholds=Thresholds(), now=_at(h)) for h in (47, 48, 168)] == [
        "due",
        "late",
        "critical",
    ]
    slow = Thresholds(intro_warning_days=3, intro_critical_days=10)
    call = call_owed(_intro(), day=lambda m: m.date(), thresholds=slow)
    assert call_severity(call, thresholds=slow, now=_at(49)) == "due"
    assert call_severity(call, thresholds=slow, now=_at(72)) == "late"
