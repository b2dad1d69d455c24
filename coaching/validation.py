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
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from coaching.dates import (  # the pure rule, re-exported for the writes' checks below
    DAY_RANGE,
    EARLIEST_DAY,
    LATEST_DAY,
    MAX_TIME_ZONE_LENGTH,
    Search,
    day_param,
    day_problems,
    instant_problems,
    shown,
    time_zone_problem,
)
from coaching.timezones import local_date

__all__ = [
    "DAY_RANGE",
    "EARLIEST_DAY",
    "LATEST_DAY",
    "MAX_TIME_ZONE_LENGTH",
    "Errors",
    "Search",
    "day_param",
    "day_problems",
    "instant_problems",
    "shown",
    "time_zone_problem",
    "unknown_fields",
]


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
