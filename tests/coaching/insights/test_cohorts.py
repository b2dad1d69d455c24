"""Cohort benchmarks: a client's figures at their last complete week beside the practice's other
clients at the same week; nothing compared below the minimum cohort."""

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import User
from coaching import services
from coaching.access import NotFound
from coaching.insights.benchmarks import client_benchmarks
from coaching.insights.cohorts import (
    FIGURES,
    MIN_COHORT,
    CohortTable,
    benchmarks_for,
    cohort_table,
    complete_weeks,
    weekly_figures,
)
from coaching.insights.loader import searches_load_all
from coaching.insights.reports import practice_report
from coaching.models import Client

AS_OF = date(2024, 4, 15)
STARTED = date(2024, 1, 8)  # a Monday: 14 complete weeks by AS_OF


def _on(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def _touch(client: Client, contact, day: date, **fields: str) -> None:  # type: ignore[no-untyped-def]
    fields.setdefault("channel", "email")
    fields.setdefault("kind", "outreach")
    services.interaction_record(
        client=client, actor=client.coach, contact=contact, occurred_at=_on(day),
        direction="outbound", **fields,
    )  # fmt: skip


def _table(weeks: dict[int, list[tuple[float | None, ...]]]) -> CohortTable:
    return CohortTable(as_of=AS_OF, weeks={pk: tuple(rows) for pk, rows in weeks.items()})


def _row(contacts: float) -> tuple[float | None, ...]:
    return (contacts, 0.0, 0.0, None)


def test_complete_weeks() -> None:
    assert complete_weeks(started_on=STARTED, as_of=STARTED + timedelta(days=5)) == 0
    assert complete_weeks(started_on=STARTED, as_of=STARTED + timedelta(days=6)) == 1
    assert complete_weeks(started_on=STARTED, as_of=STARTED - timedelta(days=3)) == 0
    assert complete_weeks(started_on=STARTED, as_of=AS_OF) == 14


def test_the_weekly_figures_of_one_search(search: Client, make_contact) -> None:  # type: ignore[no-untyped-def]
    a, b, c = (make_contact(search) for _ in range(3))
    _touch(search, a, STARTED + timedelta(days=1))
    _touch(search, b, STARTED + timedelta(days=2))
    _touch(search, c, STARTED + timedelta(days=8))
    _touch(search, c, STARTED + timedelta(days=9), kind="follow_up")  # same contact: once
    _touch(search, c, STARTED + timedelta(days=10), kind="conversation", channel="phone")
    services.introduction_create(
        client=search, actor=search.coach, introducer=a, target=b,
        made_at=_on(STARTED + timedelta(days=3)),
    )  # fmt: skip
    services.follow_up_schedule(
        client=search, actor=search.coach, contact=a, due_on=STARTED + timedelta(days=4)
    )
    (loaded,) = searches_load_all(client_ids=[search.pk])
    weeks = weekly_figures(search=loaded, as_of=AS_OF)
    assert len(weeks) == 14
    contacts, conversations, introductions, on_time = zip(*weeks, strict=True)
    assert contacts[:3] == (2.0, 1.0, 0.0)
    assert conversations[:3] == (0.0, 1.0, 1.0)
    assert introductions[:2] == (1.0, 1.0)
    assert on_time[0] == 0.0  # due on day 5, never done: settled, late


def test_below_the_minimum_cohort_nothing_is_compared() -> None:
    peers = {pk: [_row(pk)] * 3 for pk in range(2, 2 + MIN_COHORT - 1)}
    table = _table({1: [_row(9)] * 3, **peers})
    result = benchmarks_for(table=table, client_id=1)
    assert (result.week, result.peers, result.enough) == (3, MIN_COHORT - 1, False)
    contacts = result.benchmarks[0]
    assert not contacts.enough
    assert contacts.position == ""
    assert contacts.sentence == (
        f"Not enough clients to compare ({MIN_COHORT - 1} other clients at this week; "
        f"{MIN_COHORT} needed)."
    )


def test_at_the_minimum_cohort_the_median_and_middle_half_are_shown() -> None:
    peers = {pk: [_row(pk)] * 3 for pk in range(2, 2 + MIN_COHORT)}  # 2, 3, 4, 5, 6
    result = benchmarks_for(table=_table({1: [_row(9)] * 3, **peers}), client_id=1)
    assert result.enough
    contacts = result.benchmarks[0]
    assert (contacts.median, contacts.lower_quartile, contacts.upper_quartile) == (4, 3, 5)
    assert contacts.position == "above"
    assert contacts.sentence == (
        "9: above the middle half of 5 other clients at the same week (median 4, middle half "
        "3 to 5)."
    )
    low = benchmarks_for(table=_table({1: [_row(2)] * 3, **peers}), client_id=1)
    assert low.benchmarks[0].position == "below"
    middle = benchmarks_for(table=_table({1: [_row(3)] * 3, **peers}), client_id=1)
    assert middle.benchmarks[0].position == "within"  # the quartile itself is inside


def test_only_clients_who_reached_the_same_week_are_the_cohort() -> None:
    peers = {pk: [_row(1)] * 5 for pk in range(2, 2 + MIN_COHORT)}
    younger = {pk: [_row(1)] * 4 for pk in range(20, 25)}
    result = benchmarks_for(table=_table({1: [_row(1)] * 5, **peers, **younger}), client_id=1)
    assert (result.week, result.peers) == (5, MIN_COHORT)
    assert benchmarks_for(table=_table({1: [], **peers}), client_id=1).week == 0


def test_a_share_with_nothing_to_measure_is_left_out_of_the_cohort() -> None:
    peers = {pk: [(1.0, 0.0, 0.0, 0.5)] * 2 for pk in range(2, 2 + MIN_COHORT - 1)}
    peers[99] = [(1.0, 0.0, 0.0, None)] * 2
    result = benchmarks_for(table=_table({1: [(1.0, 0.0, 0.0, 1.0)] * 2, **peers}), client_id=1)
    on_time = result.benchmarks[list(FIGURES).index("follow_ups_on_time")]
    assert result.enough  # five clients at the week
    assert on_time.cohort == MIN_COHORT - 1
    assert not on_time.enough


@pytest.fixture
def practice_of_six(
    make_client: Callable[..., Client], coach: User, search: Client
) -> list[Client]:
    """Cleo and five more clients of Cora's, all started on STARTED with nothing recorded."""
    return [search, *(make_client(coach_user=coach) for _ in range(5))]


def test_the_table_follows_the_practice_and_the_cache_follows_its_data(
    practice_of_six: list[Client], make_contact
) -> None:  # type: ignore[no-untyped-def]
    first = cohort_table(as_of=AS_OF)
    assert set(first.weeks) == {c.pk for c in practice_of_six}
    result = benchmarks_for(table=first, client_id=practice_of_six[0].pk)
    assert (result.week, result.peers, result.benchmarks[0].median) == (14, 5, 0)
    cleo = practice_of_six[0]
    _touch(cleo, make_contact(cleo), AS_OF - timedelta(days=3))
    again = cohort_table(as_of=AS_OF)
    assert again.weeks[cleo.pk][-1][0] == 1.0  # recomputed: the data changed


def test_benchmarks_are_scoped_and_follow_the_sharing_rule(
    practice_of_six: list[Client],
    coach: User,
    other_coach: User,
    client_user: User,
    other_search: Client,
) -> None:
    cleo = practice_of_six[0]
    assert client_benchmarks(actor=coach, client_id=cleo.pk, as_of=AS_OF).enough
    with pytest.raises(NotFound):
        client_benchmarks(actor=other_coach, client_id=cleo.pk, as_of=AS_OF)
    with pytest.raises(NotFound):
        client_benchmarks(actor=coach, client_id=other_search.pk, as_of=AS_OF)
    with pytest.raises(PermissionDenied):
        client_benchmarks(actor=client_user, client_id=cleo.pk, as_of=AS_OF)
    services.client_set_report_sharing(client=cleo, actor=coach, shared=True)
    assert client_benchmarks(actor=client_user, client_id=cleo.pk, as_of=AS_OF).week == 14


def test_the_practice_report_counts_only_the_readers_clients(
    practice_of_six: list[Client], coach: User, other_coach: User, other_search: Client
) -> None:
    report = practice_report(actor=coach, as_of=AS_OF)
    ids = {c.pk for c in practice_of_six}
    assert {row["client_id"] for row in report["clients"]} == ids
    for row in report["clients"]:
        assert row["benchmarks"]["week_of_search"] == 14
        assert row["benchmarks"]["cohort_size"] == 5  # Carl started later: not at week 14
    contacts = report["cohorts"]["figures"][0]
    assert contacts["figure"] == "contacts_reached"
    assert set(contacts["within"]) == ids  # everybody reached nobody: all in the middle
    otto = practice_report(actor=other_coach, as_of=AS_OF)
    (carl,) = otto["clients"]
    assert (carl["benchmarks"]["week_of_search"], carl["benchmarks"]["cohort_size"]) == (10, 6)
    assert "Cleo" not in str(otto["cohorts"]) + str(carl["benchmarks"])  # counted, unnamed
    every = {pk for f in otto["cohorts"]["figures"] for k in ("below", "within", "above",
             "not_compared") for pk in f[k]}  # fmt: skip
    assert every == {other_search.pk}


def test_the_cached_table_costs_three_aggregate_queries(
    practice_of_six: list[Client], django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    cohort_table(as_of=AS_OF)
    with django_assert_num_queries(3):
        cohort_table(as_of=AS_OF)
