"""Field-by-field checks that collect every problem of a write before refusing it.

A person fixing a form wants all of its errors at once, each naming the field and the problem, in
the `ValidationError({"field": ["message"]})` shape that DRF and Django forms both understand.
"""

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from coaching.models import Client
from coaching.timezones import local_date


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
            self.add(field, f"{value!r} is not a valid choice; use one of: {allowed}.")

    def required(self, field: str, value: Any) -> None:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(field, "This field is required.")

    def max_length(self, field: str, value: str, limit: int) -> None:
        if len(value) > limit:
            self.add(field, f"Use at most {limit} characters (this has {len(value)}).")

    def aware(self, field: str, value: datetime | None) -> bool:
        """Naive datetimes are refused rather than guessed: the client's zone decides the day."""
        if value is None:
            return False
        if not isinstance(value, datetime):
            self.add(field, "Expected a date and time.")
            return False
        if value.tzinfo is None or value.utcoffset() is None:
            self.add(field, "The time needs a time zone (an offset such as +00:00).")
            return False
        return True

    def not_future(self, field: str, value: datetime | None, *, now: datetime) -> None:
        if self.aware(field, value) and value is not None and value > now:
            self.add(
                field,
                "This already happened, so it cannot be in the future "
                f"({value:%Y-%m-%d %H:%M} UTC).",
            )

    def day_not_future(
        self, field: str, value: date | None, *, client: Client, now: datetime
    ) -> None:
        if value is None:
            return
        if not isinstance(value, date) or isinstance(value, datetime):
            self.add(field, "Expected a calendar date (YYYY-MM-DD).")
            return
        today = local_date(at=now, tz=client.time_zone)
        if value > today:
            self.add(field, f"This already happened, so it cannot be after today ({today}).")

    def not_before(
        self, field: str, value: datetime | date | None, earlier: datetime | date | None, what: str
    ) -> None:
        """`value` must not come before `earlier`, which is described to the user as `what`."""
        if value is None or earlier is None or field in self:
            return
        if value < earlier:
            self.add(field, f"This cannot be before {what} ({_show(earlier)}).")

    def belongs(self, field: str, record: Any, client: Client) -> None:
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
