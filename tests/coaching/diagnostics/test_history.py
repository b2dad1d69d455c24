"""Item 3: rules on a rate or an absence wait for enough history, and say what they wait for;
the status line never contradicts the figures."""

from __future__ import annotations

import pytest

from coaching.choices import ApplicationSource, HowMet
from coaching.diagnostics import diagnosis_to_dict
from coaching.diagnostics.thresholds import (
    DESCRIPTIONS,
    THRESHOLD_NAMES,
    InvalidThresholds,
    resolve_thresholds,
    validate_thresholds,
)
from tests.coaching.diagnostics.helpers import codes, diagnosis_of
from tests.diagnostics.builders import SnapshotBuilder, ago

GATED = {"low_outreach_volume", "job_board_reliance", "eggs_in_one_basket", "not_asking"}


def young(days_of_search: int) -> SnapshotBuilder:
    """A search `days_of_search` days old (start day included) doing everything a rate or an
    absence rule can catch: few people reached, five conversations without an ask, job-board
    applications, one live thread."""
    b = SnapshotBuilder(started=ago(days_of_search - 1))
    for n in range(3):
        b.interaction(b.contact(f"Lead {n}"), ago(n % days_of_search))
    for n in range(5):
        b.conversation(b.contact(f"Talk {n}"), ago(n % days_of_search))
    for n in range(4):
        b.application(
            f"Board {n}",
            source=ApplicationSource.JOB_BOARD,
            applied_on=ago(n % days_of_search),
            status="rejected",
        )
    b.application("Acme", applied_on=ago(0))
    b.application(  # approached only once its posting was up
        "Globex", posting_seen_on=ago(0), first_outreach_on=ago(0), status="rejected"
    )
    return b


def test_thirteen_days_in_nothing_is_judged_and_each_rule_says_why() -> None:
    diagnosis = diagnosis_of(young(13))
    assert set(diagnosis.open_codes) & GATED == set()
    assert {w.code for w in diagnosis.waiting} == GATED
    volume = next(w for w in diagnosis.waiting if w.code == "low_outreach_volume")
    assert (volume.days_so_far, volume.days_needed, volume.ready_on) == (13, 14, ago(-1))
    assert volume.sentence.startswith("Waiting for more history before judging outreach volume")
    assert "13 days of search so far, judged from 14 days" in volume.sentence


def test_fourteen_days_in_every_rule_is_judged() -> None:
    diagnosis = diagnosis_of(young(14))
    assert set(diagnosis.open_codes) >= GATED
    assert diagnosis.waiting == ()


@pytest.mark.parametrize(("days", "waits"), [(20, True), (21, False)])
def test_the_history_thresholds_can_be_changed(days: int, waits: bool) -> None:
    found = codes(young(days), volume_history_days=21, asking_history_days=21)
    assert (found & GATED == set()) is waits


def test_waiting_entries_are_serialised_and_are_not_findings() -> None:
    body = diagnosis_to_dict(diagnosis=diagnosis_of(young(5)))
    assert {w["code"] for w in body["waiting"]} == GATED
    assert body["counts"]["total"] == 0
    assert body["waiting"][0]["threshold"] in ("volume_history_days", "asking_history_days")


def test_the_new_thresholds_have_names_and_words() -> None:
    assert {"volume_history_days", "asking_history_days"} <= set(THRESHOLD_NAMES)
    assert set(DESCRIPTIONS) == set(THRESHOLD_NAMES)
    assert validate_thresholds(values={"volume_history_days": 0}) == {
        "volume_history_days": ["volume_history_days must be greater than zero."]
    }
    with pytest.raises(InvalidThresholds):
        resolve_thresholds(practice={"asking_history_days": -1})


# the status line


def steady(per_week: int, *, started: int = 120) -> SnapshotBuilder:
    b = SnapshotBuilder(started=ago(started))
    b.reach(per_week)
    friend = b.contact("Friend")
    b.conversation(friend, ago(2))
    return b


def test_status_line_at_three_of_fifteen_says_below_goal() -> None:
    status = diagnosis_of(steady(3)).status
    assert status.status == "active"
    assert "holding up" not in status.reason
    assert status.reason.endswith(
        "outreach below goal (3.2 contacts/week over the last 4 weeks vs. 15)"
    )


@pytest.mark.parametrize(("per_week", "words"), [(15, "at goal"), (14, "below goal")])
def test_status_line_at_the_goal_boundary(per_week: int, words: str) -> None:
    """The friend's conversation adds one person in the last week: 14 + 1 rounds up to the
    volume rule's own 4-week average, which the line quotes."""
    b = SnapshotBuilder(started=ago(120))
    b.reach(per_week)
    b.meeting(b.contact("Host"), ago(2))
    diagnosis = diagnosis_of(b)
    assert f"outreach {words}" in diagnosis.status.reason
    assert ("low_outreach_volume" in diagnosis.open_codes) is (words == "below goal")


def test_status_line_of_a_new_search_waits() -> None:
    status = diagnosis_of(steady(3, started=2)).status
    assert status.reason == (
        "Forward progress within the last 14 days; too early to judge outreach "
        "(3 days of search, judged from 14)"
    )


def test_status_line_of_a_search_with_no_progress_yet() -> None:
    b = SnapshotBuilder(started=ago(0))
    b.interaction(b.contact(), ago(0))
    assert diagnosis_of(b).status.reason.startswith(
        "Search started today, no forward progress yet; too early"
    )


@pytest.mark.parametrize(("met_before_start", "fires"), [(7, True), (8, False)])
def test_event_contacts_due_before_the_search_began_are_not_judged(
    met_before_start: int, fires: bool
) -> None:
    """A client invited today with contacts met at an event before: a follow-up due before the
    search started cannot be judged from the search's records."""
    b = SnapshotBuilder(started=ago(3))
    b.contact("Eli Event", how_met=HowMet.EVENT, first_met_on=ago(3 + met_before_start))
    assert bool(codes(b) & {"neglected_influencers"}) is fires
