"""The one rule for days, instants and time zones, whichever way they come in: pure (no Django),
so the API, the pages, the imports and the diagnostics engine share it. `coaching.validation`
adds the collecting of errors per field for writes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from functools import cache
from typing import Any, Protocol
from zoneinfo import available_timezones


class Search(Protocol):
    """What the checks need of a client's search (`coaching.models.Client`): pure, so the
    diagnostics engine can share the date rule without importing the models."""

    @property
    def pk(self) -> Any: ...

    @property
    def time_zone(self) -> str: ...


# The days a search can plausibly involve: anything outside is a typo or a broken export, and
# would overflow the date arithmetic of the diagnostics. The one place these bounds live.
EARLIEST_DAY = date(1950, 1, 1)
LATEST_DAY = date(2100, 12, 31)
DAY_RANGE = f"between {EARLIEST_DAY} and {LATEST_DAY}"
MAX_TIME_ZONE_LENGTH = 64  # Client.time_zone; the longest IANA name is 32
_SHOWN = 40  # characters of a refused value echoed back in a message


def shown(value: object) -> str:
    """A refused value as a message may quote it: at most a few dozen characters, text quoted,
    with anything unprintable or unencodable (NUL, a lone surrogate) escaped, so echoing a value
    back can never break the response that carries the message."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return "a number too large to use"
    if value is None or isinstance(value, bool | int | float):
        return str(value)
    text = value if isinstance(value, str) else repr(value)
    quoted = repr(text if len(text) <= _SHOWN else text[:_SHOWN] + "…")
    return quoted if isinstance(value, str) else quoted[1:-1]


def _out_of_range(day: date, what: str) -> str | None:
    if day < EARLIEST_DAY:
        return f"{what} is before {EARLIEST_DAY}, the earliest date Warmpath accepts."
    if day > LATEST_DAY:
        return f"{what} is after {LATEST_DAY}, the latest date Warmpath accepts."
    return None


def day_problems(value: object, *, today: date | None = None) -> list[str]:
    """What is wrong with `value` as a calendar day; `today` (the person's own day) given when
    the record says it already happened, so a later day is refused too."""
    if not isinstance(value, date) or isinstance(value, datetime):
        return ["Expected a calendar date (YYYY-MM-DD)."]
    problem = _out_of_range(value, value.isoformat())
    if problem:
        return [problem]
    if today is not None and value > today:
        return [f"This already happened, so it cannot be after today ({today})."]
    return []


def _utc_day(value: datetime) -> date:
    """The UTC day of an aware instant; one that cannot be moved to UTC is at an end of time."""
    try:
        return value.astimezone(UTC).date()
    except OverflowError:
        return date.min if value.year < 5000 else date.max


def instant_problems(value: object, *, now: datetime | None = None) -> list[str]:
    """What is wrong with `value` as a moment: it needs an offset and a plausible day (its day in
    UTC, the day it is stored and diagnosed on), and, when `now` is given (the record says it
    already happened), not in the future. For anything that brings times in (inbound mail can
    call this on a message's date)."""
    if not isinstance(value, datetime):
        return ["Expected a date and time."]
    if value.tzinfo is None or value.utcoffset() is None:
        return ["The time needs a time zone (an offset such as +00:00)."]
    utc_day = _utc_day(value)
    what = value.date().isoformat()
    if _out_of_range(value.date(), what) is None:  # in range where it was written, not in UTC
        what = f"{value.isoformat()} ({utc_day} in UTC)"
    problem = _out_of_range(utc_day, what)
    if problem:
        return [problem]
    if now is not None and value > now:
        return [
            "This already happened, so it cannot be in the future "
            f"({value.astimezone(UTC):%Y-%m-%d %H:%M} UTC)."
        ]
    return []


def day_param(raw: str, *, name: str) -> date:
    """A day given as text (a page's `?as_of=`, a query parameter): `YYYY-MM-DD` in the range,
    else `ValueError` whose message names the parameter and the range."""
    expected = f"{name} must be a date (YYYY-MM-DD) {DAY_RANGE}"
    try:
        day = date.fromisoformat(raw.strip())
    except (ValueError, TypeError, AttributeError):
        raise ValueError(f"{expected}; {shown(raw)} is not a date.") from None
    if _out_of_range(day, "") is not None:
        raise ValueError(f"{expected}; {day} is outside it.")
    return day


@cache
def _known_time_zones() -> frozenset[str]:
    # "localtime" is whatever the server's clock is set to, not a place.
    return frozenset(available_timezones()) - {"localtime"}


def time_zone_problem(value: object) -> str | None:
    """An IANA time zone name such as "Europe/Berlin", checked against the zone database
    without ever touching the file system with the value (it may be anything a request sent)."""
    if not isinstance(value, str) or not value:
        return "Give a time zone name such as Europe/Berlin."
    if len(value) > MAX_TIME_ZONE_LENGTH:
        return (
            f"A time zone name has at most {MAX_TIME_ZONE_LENGTH} characters (this has "
            f"{len(value)}); use a name like Europe/Berlin."
        )
    if value not in _known_time_zones():
        return "Unknown time zone; use a name like Europe/Berlin."
    return None
