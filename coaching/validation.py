"""Field-by-field checks that collect every problem of a write before refusing it, and the one
rule for dates, instants and time zones, whichever way they come in.

A person fixing a form wants all of its errors at once, each naming the field and the problem, in
the `ValidationError({"field": ["message"]})` shape that DRF and Django forms both understand.

Dates and instants obey one rule everywhere (API serializers, page query parameters such as
`as_of`, CSV imports, the services, and any future way in such as inbound mail): a day must lie
between `EARLIEST_DAY` and `LATEST_DAY`, and what a record says already happened cannot be in the
future. The pure functions (`day_problems`, `instant_problems`, `day_param`, `time_zone_problem`)
say what is wrong in words a person can act on; `Errors` collects them per field.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, Protocol
from zoneinfo import available_timezones

from django.core.exceptions import ValidationError
from django.db import models

from coaching.timezones import local_date


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


class Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.by_field

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)

    def choice(self, field: str, value: Any, choices: type[models.TextChoices]) -> None:
        if value not in choices.values:
            allowed = ", ".join(choices.values)
            self.add(field, f"{shown(value)} is not a valid choice; use one of: {allowed}.")

    def required(self, field: str, value: Any) -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(field, "This field is required.")

    def max_length(self, field: str, value: str, limit: int) -> None:
        if len(value) > limit:
            self.add(field, f"Use at most {limit} characters (this has {len(value)}).")

    def _all(self, field: str, problems: list[str]) -> bool:
        for problem in problems:
            self.add(field, problem)
        return not problems

    def aware(self, field: str, value: datetime | None) -> bool:
        """A usable instant: naive datetimes are refused rather than guessed (the client's zone
        decides the day), and the day must be plausible. True when `value` can be used."""
        if value is None:
            return False
        return self._all(field, instant_problems(value))

    def not_future(self, field: str, value: datetime | None, *, now: datetime) -> None:
        if value is not None:
            self._all(field, instant_problems(value, now=now))

    def day(self, field: str, value: date | None) -> bool:
        """A usable calendar day (any plausible one: a follow-up may be due in the future)."""
        if value is None:
            return False
        return self._all(field, day_problems(value))

    def day_not_future(
        self, field: str, value: date | None, *, client: Search, now: datetime
    ) -> None:
        if value is None:
            return
        today = local_date(at=now, tz=client.time_zone)
        self._all(field, day_problems(value, today=today))

    def time_zone(self, field: str, value: Any) -> None:
        problem = time_zone_problem(value)
        if problem:
            self.add(field, problem)

    def not_before(
        self, field: str, value: datetime | date | None, earlier: datetime | date | None, what: str
    ) -> None:
        """`value` must not come before `earlier`, which is described to the user as `what`."""
        if value is None or earlier is None or field in self:
            return
        if value < earlier:
            self.add(field, f"This cannot be before {what} ({_show(earlier)}).")

    def belongs(self, field: str, record: Any, client: Search) -> None:
        """Everything in one client's search belongs to that client."""
        if record is not None and record.client_id != client.pk:
            self.add(field, "This record belongs to another client's search.")

    def strings(self, field: str, values: Any) -> list[str]:
        if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
            self.add(field, "Expected a list of text values.")
            return []
        return [v.strip() for v in values if v.strip()]


def _show(value: datetime | date) -> str:
    return (
        value.isoformat(sep=" ", timespec="minutes") if isinstance(value, datetime) else str(value)
    )


def unknown_fields(data: dict[str, Any], allowed: Iterable[str]) -> Errors:
    errors = Errors()
    for field in sorted(set(data) - set(allowed)):
        errors.add(field, "This field cannot be changed here.")
    return errors
