"""Item 5: what is working, listed next to the findings, each just inside and outside its
threshold."""

from __future__ import annotations

import pytest

from coaching.diagnostics import diagnosis_to_dict
from tests.coaching.diagnostics.helpers import diagnosis_of
from tests.diagnostics.builders import SnapshotBuilder, ago


def signal_codes(b: SnapshotBuilder, **overrides: object) -> set[str]:
    return {s.code for s in diagnosis_of(b, **overrides).signals}


def base(per_week: int = 5) -> SnapshotBuilder:
    b = SnapshotBuilder()
    b.reach(per_week)
    return b


@pytest.mark.parametrize(("per_week", "at_goal"), [(15, True), (14, False)])
def test_outreach_at_or_above_goal(per_week: int, at_goal: bool) -> None:
    diagnosis = diagnosis_of(base(per_week))
    assert ("outreach_at_goal" in {s.code for s in diagnosis.signals}) is at_goal
    assert ("low_outreach_volume" in diagnosis.open_codes) is not at_goal


def test_outreach_at_goal_waits_for_history_like_the_rule() -> None:
    b = SnapshotBuilder(started=ago(12))
    for n in range(20):
        b.interaction(b.contact(), ago(n % 13))
    assert "outreach_at_goal" not in signal_codes(b)


@pytest.mark.parametrize(("contacted", "quick"), [(2, True), (3, False)])
def test_introductions_acted_on_within_two_days(contacted: int, quick: bool) -> None:
    b = base()
    b.introduction(
        b.contact("Mira"),
        b.contact("Tess"),
        made=ago(10),
        thanked=ago(10),
        contacted=ago(10 - contacted),
    )
    diagnosis = diagnosis_of(b)
    assert ("intros_acted_on_quickly" in {s.code for s in diagnosis.signals}) is quick
    assert ("intro_not_acted_on" in diagnosis.open_codes) is not quick


@pytest.mark.parametrize(("thanked", "on_time"), [(2, True), (3, False)])
def test_thank_yous_within_two_days(thanked: int, on_time: bool) -> None:
    b = base()
    b.meeting(b.contact("Hana"), ago(10), thanked=ago(10 - thanked))
    diagnosis = diagnosis_of(b)
    assert ("thanks_on_time" in {s.code for s in diagnosis.signals}) is on_time
    assert ("no_thanks_or_outcome" in diagnosis.open_codes) is not on_time


@pytest.mark.parametrize(("recent", "earlier", "growing"), [(2, 1, True), (2, 2, False)])
def test_a_growing_funnel(recent: int, earlier: int, growing: bool) -> None:
    b = base()
    mentor = b.contact("Mira")
    for n in range(recent):
        b.introduction(mentor, b.contact(), made=ago(3 + n), contacted=ago(3 + n), thanked=ago(3))
    for n in range(earlier):
        b.introduction(
            mentor, b.contact(), made=ago(15 + n), contacted=ago(15 + n), thanked=ago(15)
        )
    assert ("growing_funnel" in signal_codes(b)) is growing


@pytest.mark.parametrize(("done_late", "on_time"), [(False, True), (True, False)])
def test_follow_ups_done_on_time(done_late: bool, on_time: bool) -> None:
    b = base()
    who = b.contact("Dee")
    b.follow_up(who, ago(8), done=ago(8))
    b.follow_up(who, ago(5), done=ago(4) if done_late else ago(5))
    assert ("follow_ups_on_time" in signal_codes(b)) is on_time


def test_signals_sit_next_to_findings_in_the_payload() -> None:
    b = base(15)
    b.meeting(b.contact("Hana"), ago(10), prepared=False, thanked=ago(9))
    body = diagnosis_to_dict(diagnosis=diagnosis_of(b))
    assert [s["code"] for s in body["signals"]] == ["outreach_at_goal", "thanks_on_time"]
    assert body["signals"][1]["sentence"] == (
        "1 thank-you owed in the last 28 days, every one sent within 2 days"
    )
    assert body["signals"][1]["evidence"][0]["record"] == "meeting"
    assert [f["code"] for f in body["findings"]] == ["unprepared_meeting"]
    assert body["counts"]["total"] == 1  # signals are never counted
