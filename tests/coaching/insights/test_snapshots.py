"""Weekly snapshots: one row per client and week holding the week's latest computed day, and
what changed since the previous one (for webhooks and digests)."""

from datetime import timedelta

from coaching.demo import STORIES, seed_demo
from coaching.insights.models import WeeklySnapshot
from coaching.insights.services import weekly_snapshots_backfill, weekly_snapshots_store
from tests.coaching.insights.conftest import AS_OF, NOW


def test_store_upserts_the_week_and_never_goes_back_in_time(coach):
    seeded = seed_demo(as_of=AS_OF, coach=coach, stories=STORIES[:3])
    first = weekly_snapshots_store(as_of=AS_OF + timedelta(days=2), now=NOW)
    assert (first.stored, first.skipped) == (3, 0)
    assert WeeklySnapshot.objects.count() == 3
    # An earlier day of the same week does not replace a later one.
    earlier = weekly_snapshots_store(as_of=AS_OF, now=NOW)
    assert (earlier.stored, earlier.skipped) == (0, 3)
    later = weekly_snapshots_store(as_of=AS_OF + timedelta(days=4), now=NOW)
    assert later.stored == 3
    rows = WeeklySnapshot.objects.order_by("client_id")
    assert {r.as_of for r in rows} == {AS_OF + timedelta(days=4)}
    assert {r.week_start for r in rows} == {AS_OF}  # AS_OF is a Monday
    landed = next(d.client for d in seeded if d.story.landed)
    assert WeeklySnapshot.objects.get(client=landed).status == "landed"
    row = WeeklySnapshot.objects.exclude(client=landed).first()
    assert row.engine_version == "2"
    assert row.weekly_goal == 15
    assert row.counts["total"] == sum(f["counts"] for f in row.findings)


def test_store_reports_status_changes_and_raised_and_resolved_findings(coach):
    (gina,) = (
        d.client
        for d in seed_demo(
            as_of=AS_OF, coach=coach, stories=tuple(s for s in STORIES if s.slug == "ghost-gina")
        )
    )
    week_ago = weekly_snapshots_store(as_of=AS_OF - timedelta(days=7), now=NOW)
    (change,) = week_ago.changes
    assert change.previous_status is None
    assert not change.status_changed
    now = weekly_snapshots_store(as_of=AS_OF, now=NOW)
    (change,) = now.changes
    assert change.client_id == gina.pk
    assert change.previous_status is not None
    assert any(key.startswith("intro_not_acted_on:introduction:") for key in change.raised)
    assert not set(change.raised) & set(change.resolved)
    assert WeeklySnapshot.objects.filter(client=gina).count() == 2


def test_backfill_fills_past_weeks_as_of_their_sundays(coach):
    seed_demo(as_of=AS_OF, coach=coach, stories=STORIES[:2])
    run = weekly_snapshots_backfill(as_of=AS_OF + timedelta(days=3), weeks=4)
    assert run.stored == 8
    days = sorted(set(WeeklySnapshot.objects.values_list("as_of", flat=True)))
    assert days == [
        AS_OF - timedelta(days=15),
        AS_OF - timedelta(days=8),
        AS_OF - timedelta(days=1),
        AS_OF + timedelta(days=3),
    ]


def test_the_latest_status_is_the_newest_week_s(coach):
    from coaching.insights.selectors import with_latest_search_status
    from coaching.models import Client

    seed_demo(as_of=AS_OF, coach=coach, stories=STORIES[:2])
    weekly_snapshots_backfill(as_of=AS_OF + timedelta(days=3), weeks=6)
    rows = with_latest_search_status(Client.objects.order_by("pk"))
    for client in rows:
        newest = WeeklySnapshot.objects.filter(client=client).order_by("-as_of").first()
        assert (client.search_status, client.search_status_as_of) == (newest.status, newest.as_of)
        assert client.search_status_as_of == AS_OF + timedelta(days=3)
