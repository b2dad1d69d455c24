"""Weeks are the client's local weeks, also in the week a DST change happens."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from coaching.timezones import is_time_zone, local_date, week_of, week_start

BERLIN = ZoneInfo("Europe/Berlin")  # DST starts Sunday 2024-03-31 02:00 -> 03:00


def test_week_starts_at_local_monday_midnight_across_spring_forward():
    # Monday 2024-03-25 00:30 in Berlin is still Sunday 23:30 UTC.
    monday_night = datetime(2024, 3, 24, 23, 30, tzinfo=UTC)
    assert week_of(at=monday_night, tz=BERLIN) == date(2024, 3, 25)
    # Sunday 2024-03-31 23:30 Berlin (after the change, UTC+2) is 21:30 UTC: same week.
    last_minute = datetime(2024, 3, 31, 21, 30, tzinfo=UTC)
    assert week_of(at=last_minute, tz=BERLIN) == date(2024, 3, 25)
    # Monday 2024-04-01 00:30 Berlin is Sunday 22:30 UTC: the next week.
    next_week = datetime(2024, 3, 31, 22, 30, tzinfo=UTC)
    assert week_of(at=next_week, tz=BERLIN) == date(2024, 4, 1)
    start = week_start(at=last_minute, tz=BERLIN)
    assert (start.hour, start.minute, start.utcoffset()) == (0, 0, timedelta(hours=1))
    # The DST week is one hour short: 167 hours from Monday to Monday.
    elapsed = week_start(at=next_week, tz=BERLIN).astimezone(UTC) - start.astimezone(UTC)
    assert elapsed == timedelta(hours=167)


def test_week_across_fall_back_in_new_york():
    ny = ZoneInfo("America/New_York")  # DST ends Sunday 2024-11-03 02:00 -> 01:00
    sunday_late = datetime(2024, 11, 4, 4, 30, tzinfo=UTC)  # Sunday 23:30 EST
    monday_early = datetime(2024, 11, 4, 5, 30, tzinfo=UTC)  # Monday 00:30 EST
    assert week_of(at=sunday_late, tz=ny) == date(2024, 10, 28)
    assert week_of(at=monday_early, tz=ny) == date(2024, 11, 4)
    elapsed = week_start(at=monday_early, tz=ny).astimezone(UTC) - week_start(
        at=sunday_late, tz=ny
    ).astimezone(UTC)
    assert elapsed == timedelta(hours=169)


def test_same_instant_falls_in_different_weeks_for_different_clients():
    instant = datetime(2024, 4, 7, 23, 0, tzinfo=UTC)  # Sunday in UTC, Monday in Berlin
    assert week_of(at=instant, tz="UTC") == date(2024, 4, 1)
    assert week_of(at=instant, tz=BERLIN) == date(2024, 4, 8)
    assert local_date(at=instant, tz="America/Los_Angeles") == date(2024, 4, 7)


def test_time_zone_names():
    assert is_time_zone("Europe/Berlin")
    assert not is_time_zone("Mars/Olympus")
    assert not is_time_zone("")
    assert not is_time_zone("../../etc/passwd")
