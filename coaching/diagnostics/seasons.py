"""Slow hiring seasons. Depends only on the day and the calendar setting, never on the data."""

from __future__ import annotations

from datetime import date, timedelta

SUMMER, HOLIDAYS = "summer", "holidays"


def _nth_weekday(*, year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    offset = (weekday - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def labor_day(*, year: int) -> date:
    """First Monday of September."""
    return _nth_weekday(year=year, month=9, weekday=0, n=1)


def thanksgiving(*, year: int) -> date:
    """Fourth Thursday of November."""
    return _nth_weekday(year=year, month=11, weekday=3, n=4)


def low_season_of(*, day: date, calendar: str) -> str | None:
    """``summer-2024`` / ``holidays-2024`` when the day is in a slow season, else None.

    US calendar: June 15 through Labor Day, and Thanksgiving through New Year's Day (January 1
    belongs to the previous year's holiday season).
    """
    if calendar != "us":
        return None
    year = day.year
    if date(year, 6, 15) <= day <= labor_day(year=year):
        return f"{SUMMER}-{year}"
    if day >= thanksgiving(year=year):
        return f"{HOLIDAYS}-{year}"
    if day == date(year, 1, 1):
        return f"{HOLIDAYS}-{year - 1}"
    return None
