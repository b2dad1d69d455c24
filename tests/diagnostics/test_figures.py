from datetime import date

import pytest

from coaching.choices import ApplicationStatus, Channel, Direction, MeetingPurpose
from coaching.diagnostics import diagnose
from coaching.diagnostics.figures import Figures
from coaching.diagnostics.funnel import STAGES, merge_funnels, summarize_funnel
from coaching.diagnostics.thresholds import Thresholds
from tests.diagnostics.builders import AS_OF, SnapshotBuilder, ago


def figures_of(b: SnapshotBuilder, as_of: date = AS_OF) -> Figures:
    return diagnose(snapshot=b.build(), as_of=as_of, thresholds=Thresholds()).figures


# outreach volume


def test_weeks_are_bucketed_in_the_clients_zone_across_a_dst_change() -> None:
    b = SnapshotBuilder(tz="America/New_York")
    c1, c2, c3, c4, c5 = (b.contact() for _ in range(5))
    # Sunday 23:00 just after the spring-forward (EDT): Monday 03:00 UTC, but still week 10.
    b.interaction(c1, date(2024, 3, 10), hour=23)
    b.interaction(c1, date(2024, 3, 5), channel=Channel.LINKEDIN)
    b.interaction(c4, date(2024, 3, 9), hour=20)
    # Monday 00:30 local opens week 11.
    b.interaction(c2, date(2024, 3, 11), hour=0, minute=30)
    # Sunday 23:00 before the change (EST): Monday 04:00 UTC, still week 9.
    b.interaction(c3, date(2024, 3, 3), hour=23)
    b.interaction(c5, date(2024, 3, 12), direction=Direction.INBOUND)

    outreach = figures_of(b, as_of=date(2024, 3, 20)).outreach
    weeks = {w.iso_week: w for w in outreach.weeks}
    assert len(outreach.weeks) == 12
    assert outreach.weeks[0].week_start == date(2024, 1, 1)
    assert weeks["2024-W09"].contacts == 1
    assert weeks["2024-W10"].contacts == 2
    assert weeks["2024-W10"].by_channel == (("email", 2), ("linkedin", 1))
    assert weeks["2024-W11"].contacts == 1
    assert weeks["2024-W12"].contacts == 0
    assert weeks["2024-W12"].partial
    assert not weeks["2024-W11"].partial
    assert not any(w.met_goal for w in outreach.weeks)


def test_weekly_goal_and_four_week_average() -> None:
    b = SnapshotBuilder(weekly_goal=2)
    b.reach(2, weeks=4)
    outreach = figures_of(b).outreach
    assert outreach.goal == 2
    assert outreach.average_last_4_weeks == 2.0


# referral funnel


def funnel_case() -> SnapshotBuilder:
    b = SnapshotBuilder()
    d = ago(60)

    def on(offset: int) -> date:
        return date.fromordinal(d.toordinal() + offset)

    ivy, sam, tom, una = (b.contact(n) for n in ("Ivy", "Sam", "Tom", "Una"))
    app = b.application("Acme", status=ApplicationStatus.OFFER, applied_on=on(9), offer_on=on(20))
    first = b.introduction(
        ivy,
        sam,
        requested=on(0),
        made=on(2),
        contacted=on(3),
        reached_authority=on(8),
        application_id=app,
    )
    b.meeting(sam, on(5), introduction_id=first)
    b.meeting(sam, on(12), purpose=MeetingPurpose.INTERVIEW, application_id=app)
    b.introduction(ivy, tom, requested=on(0), made=on(1), contacted=on(4))
    b.introduction(una, tom, requested=on(10))
    return b


def test_funnel_counts_conversions_and_median_days() -> None:
    funnel = figures_of(funnel_case()).funnel
    stages = {s.name: s for s in funnel.stages}
    assert [s.name for s in funnel.stages] == list(STAGES)
    assert [s.count for s in funnel.stages] == [3, 2, 2, 1, 1, 1, 1]
    assert [s.conversion for s in funnel.stages] == [None, 0.6667, 1.0, 0.5, 1.0, 1.0, 1.0]
    assert [s.median_days for s in funnel.stages] == [None, 1.5, 2.0, 2.0, 3.0, 4.0, 8.0]
    assert funnel.days_to_first_contact == 2.0
    assert stages["offer"].count == 1


def test_funnel_rows_merge_across_clients_and_filter_by_introducer() -> None:
    rows = figures_of(funnel_case()).funnel_rows
    other_client = tuple(
        type(r)(2, r.introduction_id, r.introducer_id, r.days, r.reached) for r in rows
    )
    merged = merge_funnels(funnels=[other_client, rows])
    assert [r.client_id for r in merged] == [1, 1, 1, 2, 2, 2]
    practice = summarize_funnel(rows=merged)
    assert [s.count for s in practice.stages] == [6, 4, 4, 2, 2, 2, 2]
    assert practice.days_to_first_contact == 2.0
    ivy = rows[0].introducer_id
    one_introducer = summarize_funnel(
        rows=merged, where=lambda r: (r.client_id, r.introducer_id) in {(1, ivy), (2, ivy)}
    )
    assert one_introducer.introductions == 4
    assert [s.count for s in one_introducer.stages][:3] == [4, 4, 4]


def test_an_empty_funnel_has_no_conversions() -> None:
    funnel = figures_of(SnapshotBuilder()).funnel
    assert funnel.introductions == 0
    assert all(s.count == 0 and s.conversion is None for s in funnel.stages)


# follow-up hygiene


def hygiene_case() -> SnapshotBuilder:
    b = SnapshotBuilder()
    people = [b.contact() for _ in range(8)]
    b.follow_up(people[0], ago(10), done=ago(10))
    b.follow_up(people[1], ago(10), done=ago(8))
    b.follow_up(people[2], ago(5))
    b.follow_up(people[3], AS_OF)
    in_time = b.introduction(people[4], people[5], made=ago(10), contacted=ago(8), reported=ago(7))
    late = b.introduction(people[4], people[6], made=ago(10), contacted=ago(5))
    b.introduction(people[4], people[7], made=ago(1))
    b.meeting(people[5], ago(10), thanked=ago(9), introduction_id=in_time)
    b.meeting(people[6], ago(10), thanked=ago(6), introduction_id=late)
    b.meeting(people[0], ago(1))
    b.meeting(people[1], ago(9), purpose=MeetingPurpose.INTERVIEW)
    chased = b.contact()
    for day in (9, 6, 3):
        b.follow_up_message(chased, ago(day))
    return b


@pytest.mark.parametrize(
    ("figure", "numerator", "denominator", "share"),
    [
        ("follow_ups_on_time", 1, 3, 0.3333),
        ("introductions_acted_on_in_time", 1, 2, 0.5),
        ("meetings_thanked_in_time", 1, 2, 0.5),
        ("outcomes_reported", 1, 2, 0.5),
    ],
)
def test_hygiene_shares(figure: str, numerator: int, denominator: int, share: float) -> None:
    ratio = getattr(figures_of(hygiene_case()).hygiene, figure)
    assert (ratio.numerator, ratio.denominator, ratio.share) == (numerator, denominator, share)


def test_over_followed_up_contacts_are_counted() -> None:
    assert figures_of(hygiene_case()).hygiene.over_followed_up_contacts == 1
    assert figures_of(SnapshotBuilder()).hygiene.follow_ups_on_time.share is None
