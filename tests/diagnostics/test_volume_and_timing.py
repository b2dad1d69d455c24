from datetime import date

import pytest

from coaching.choices import ApplicationSource, ApplicationStatus, IntroductionStatus
from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.findings import Severity
from tests.diagnostics.builders import AS_OF, SnapshotBuilder, ago, healthy, run

LOW = FailureCode.LOW_OUTREACH_VOLUME
EGGS = FailureCode.EGGS_IN_ONE_BASKET
BOARD = FailureCode.JOB_BOARD_RELIANCE
SEASON = FailureCode.LOW_SEASON


def reach_per_week(b: SnapshotBuilder, counts: list[int]) -> None:
    """counts[0] is the most recent 7-day block."""
    for week, n in enumerate(counts):
        for i in range(n):
            b.interaction(b.contact(), ago(7 * week + i % 7))


# low_outreach_volume


def test_low_volume_silent_at_the_goal() -> None:
    b = SnapshotBuilder()
    reach_per_week(b, [15, 15, 15, 15])
    assert run(LOW, b) == []


def test_low_volume_fires_just_below_the_goal() -> None:
    b = SnapshotBuilder()
    reach_per_week(b, [15, 15, 15, 14])
    [finding] = run(LOW, b)
    assert finding.measure.value == 14.75
    assert finding.measure.threshold == 15
    assert finding.measure.sentence.startswith("14.8 contacts/week vs. a goal of 15")
    assert finding.severity == Severity.WARNING
    assert finding.fault == "client"
    assert sum(1 for e in finding.evidence if e.record == "contact") == 59


def test_low_volume_counts_people_not_messages() -> None:
    b = SnapshotBuilder()
    reach_per_week(b, [14, 15, 15, 15])
    someone = b.contact()
    for day in (1, 2, 3):
        b.interaction(someone, ago(day))
    assert run(LOW, b) == []  # the extra person tops week 0 up to 15, three messages or not


def test_low_volume_critical_below_half_the_goal() -> None:
    b = SnapshotBuilder()
    reach_per_week(b, [3, 3, 3, 3])
    [finding] = run(LOW, b)
    assert finding.severity == Severity.CRITICAL
    assert finding.measure.sentence.startswith("3 contacts/week vs. a goal of 15")


def test_low_volume_uses_the_clients_own_goal() -> None:
    b = SnapshotBuilder(weekly_goal=10)
    reach_per_week(b, [10, 10, 10, 10])
    assert run(LOW, b) == []
    b = SnapshotBuilder(weekly_goal=10)
    reach_per_week(b, [10, 10, 10, 9])
    [finding] = run(LOW, b)
    assert finding.measure.threshold == 10


def test_low_volume_waits_for_a_first_full_week() -> None:
    assert run(LOW, SnapshotBuilder(started=ago(5))) == []
    young = SnapshotBuilder(started=ago(9))
    reach_per_week(young, [16])
    assert run(LOW, young) == []  # one complete week, averaged over that week only


# eggs_in_one_basket


def applied(b: SnapshotBuilder, company: str) -> int:
    return b.application(company, status=ApplicationStatus.APPLIED, applied_on=ago(5))


def test_eggs_fires_when_more_than_half_hang_on_one_company() -> None:
    b = SnapshotBuilder()
    for company in ("Acme", "acme ", "Globex"):
        applied(b, company)
    [finding] = run(EGGS, b)
    assert finding.measure.value == 0.67
    assert "2 of 3 active threads (67%) depend on Acme" in finding.measure.sentence
    assert [e.id for e in finding.evidence] == [1, 2]


def test_eggs_silent_at_exactly_half() -> None:
    b = SnapshotBuilder()
    for company in ("Acme", "Acme", "Globex", "Initech"):
        applied(b, company)
    assert run(EGGS, b) == []


def test_eggs_fires_on_too_few_threads() -> None:
    b = SnapshotBuilder()
    applied(b, "Acme")
    applied(b, "Globex")
    [finding] = run(EGGS, b)
    assert finding.measure.value == 2
    assert finding.measure.threshold == 3
    applied(b, "Initech")
    assert run(EGGS, b) == []


def test_eggs_counts_one_introducer_as_one_basket() -> None:
    b = SnapshotBuilder()
    hub = b.contact("Hub")
    for company in ("Acme", "Globex", "Initech"):
        target = b.contact(company=company)
        b.introduction(hub, target, made=ago(3), contacted=ago(2))
    b.application("Umbrella", status=ApplicationStatus.INTERVIEWING, applied_on=ago(9))
    [finding] = run(EGGS, b)
    assert "3 of 4 active threads (75%) depend on Hub" in finding.measure.sentence


def test_eggs_treats_an_intro_for_a_live_application_as_one_thread() -> None:
    b = SnapshotBuilder()
    app = applied(b, "Acme")
    hub = b.contact("Hub")
    b.introduction(hub, b.contact(company="Acme"), made=ago(3), application_id=app)
    applied(b, "Globex")
    applied(b, "Initech")
    assert run(EGGS, b) == []


def test_eggs_silent_with_no_threads_and_ignores_closed_paths() -> None:
    b = SnapshotBuilder()
    assert run(EGGS, b) == []
    b.application("Acme", status=ApplicationStatus.REJECTED, applied_on=ago(5))
    b.introduction(
        b.contact(), b.contact(), made=ago(9), ended=ago(2), status=IntroductionStatus.CLOSED
    )
    assert run(EGGS, b) == []


# job_board_reliance


def board(b: SnapshotBuilder, n: int, days_ago: int = 3) -> None:
    for i in range(n):
        b.application(f"Co{i}", source=ApplicationSource.JOB_BOARD, applied_on=ago(days_ago))


def test_job_board_fires_above_three_to_one() -> None:
    b = SnapshotBuilder()
    b.conversation(b.contact(), ago(4))
    board(b, 4)
    [finding] = run(BOARD, b)
    assert finding.measure.value == 4
    assert "4 job-board applications vs. 1 networking conversation" in finding.measure.sentence
    assert finding.severity == Severity.WARNING


def test_job_board_silent_at_three_to_one() -> None:
    b = SnapshotBuilder()
    b.conversation(b.contact(), ago(4))
    board(b, 3)
    assert run(BOARD, b) == []


def test_job_board_without_any_conversation_needs_more_than_three() -> None:
    b = SnapshotBuilder()
    board(b, 3)
    assert run(BOARD, b) == []
    board(b, 1)
    assert len(run(BOARD, b)) == 1


def test_job_board_only_counts_the_window() -> None:
    b = SnapshotBuilder()
    board(b, 10, days_ago=28)
    assert run(BOARD, b) == []
    board(b, 4, days_ago=27)
    [finding] = run(BOARD, b)
    assert finding.measure.value == 4


def test_job_board_fires_on_outreach_only_after_the_posting() -> None:
    b = SnapshotBuilder()
    b.application("Acme", posting_seen_on=ago(10), first_outreach_on=ago(10))
    [finding] = run(BOARD, b)
    assert finding.severity == Severity.INFO
    assert finding.measure.value == 1
    early = SnapshotBuilder()
    early.application("Acme", posting_seen_on=ago(10), first_outreach_on=ago(11))
    assert run(BOARD, early) == []


# low_season


@pytest.mark.parametrize(
    ("as_of", "fires", "subject"),
    [
        (date(2024, 6, 28), False, None),  # June 15-28: 14 of 28 days
        (date(2024, 6, 29), True, "season:summer-2024"),  # 15 of 28
        (date(2024, 9, 15), True, "season:summer-2024"),  # Aug 19 - Labor Day (Sep 2): 15
        (date(2024, 9, 16), False, None),  # 14
        (date(2024, 12, 11), False, None),  # Thanksgiving (Nov 28) - Dec 11: 14
        (date(2024, 12, 12), True, "season:holidays-2024"),  # 15
        (date(2025, 1, 14), True, "season:holidays-2024"),  # Dec 18-31 and Jan 1: 15
        (date(2025, 1, 15), False, None),  # 14
    ],
)
def test_low_season_boundaries(as_of: date, fires: bool, subject: str | None) -> None:
    findings = run(SEASON, SnapshotBuilder(), as_of=as_of)
    assert bool(findings) is fires
    if fires:
        assert findings[0].subject == subject
        assert findings[0].fault == "context"


@pytest.mark.parametrize(("days_of_search", "fires"), [(1, False), (13, False), (14, True)])
def test_low_season_waits_for_two_weeks_of_search(days_of_search: int, fires: bool) -> None:
    """Every day of a young search can fall in the holidays, but "most of the window" needs a
    window: a search judged before the volume rules' 14 days says nothing about the season."""
    as_of = date(2024, 12, 20)  # deep in the year-end holidays
    started = date.fromordinal(as_of.toordinal() - days_of_search + 1)
    findings = run(SEASON, SnapshotBuilder(started=started), as_of=as_of)
    assert bool(findings) is fires
    if fires:
        assert findings[0].measure.sentence.endswith("more than half counts as most")


def test_low_season_depends_only_on_the_day_and_the_calendar() -> None:
    as_of = date(2024, 7, 20)
    empty = run(SEASON, SnapshotBuilder(), as_of=as_of)
    busy = run(SEASON, healthy(), as_of=as_of)
    assert empty == busy
    assert empty[0].measure.value == 28
    assert run(SEASON, healthy(), as_of=as_of, season_calendar="none") == []
    assert run(SEASON, healthy(), as_of=AS_OF) == []
