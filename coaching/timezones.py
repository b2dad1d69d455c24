"""Times are stored in UTC and shown, dated and bucketed by week in the client's time zone."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(tz: str | ZoneInfo) -> ZoneInfo:
    return tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)


def is_time_zone(name: str) -> bool:
    """True for an IANA zone name such as "Europe/Berlin"."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return False
    return bool(name)


def local_date(*, at: datetime, tz: str | ZoneInfo) -> date:
    """The calendar day `at` falls on for someone living in `tz`."""
    return at.astimezone(zone(tz)).date()


def week_start(*, at: datetime, tz: str | ZoneInfo) -> datetime:
    """Monday 00:00 of the local week containing `at`, as an aware datetime in `tz`.

    Built from the local calendar date, not by subtracting hours, so a week that contains a DST
    change still starts at local midnight (and is 167 or 169 hours long).
    """
    z = zone(tz)
    day = at.astimezone(z).date()
    monday = day - timedelta(days=day.weekday())
    return datetime(monday.year, monday.month, monday.day, tzinfo=z)


def week_of(*, at: datetime, tz: str | ZoneInfo) -> date:
    """The Monday (a date) that names the local week of `at`: the bucket key for weekly figures."""
    return week_start(at=at, tz=tz).date()
