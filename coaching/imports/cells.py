"""Turning spreadsheet cells into typed values, with messages a person can act on."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.db import models

from coaching.validation import shown

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
)}  # fmt: skip
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{4})$")  # 05 Mar 2024
_TRUE = frozenset({"yes", "y", "true", "t", "1", "x"})
_FALSE = frozenset({"no", "n", "false", "f", "0", ""})
_DATE_HINT = "Use YYYY-MM-DD (or a LinkedIn date such as 05 Mar 2024)."


class CellError(ValueError):
    """A cell that cannot be read; the message says what was expected."""


def parse_bool(value: str) -> bool:
    v = value.strip().casefold()
    if v in _TRUE:
        return True
    if v in _FALSE:
        return False
    raise CellError(f"{shown(value)} is not yes or no.")


def parse_day(value: str) -> date | None:
    v = value.strip()
    if not v:
        return None
    try:
        return date.fromisoformat(v)
    except ValueError:
        pass
    match = _DAY_MONTH_YEAR.match(v)
    month = _MONTHS.get(match.group(2).casefold()) if match else None
    if match and month:
        try:
            return date(int(match.group(3)), month, int(match.group(1)))
        except ValueError:
            pass
    raise CellError(f"{shown(value)} is not a date. {_DATE_HINT}")


def parse_moment(value: str, *, tz: ZoneInfo) -> datetime | None:
    """ISO 8601 with an offset as given; without one, the time is in the client's zone;
    a bare date means noon there (so it stays on that day in any nearby zone)."""
    v = value.strip()
    if not v:
        return None
    try:
        moment = datetime.combine(date.fromisoformat(v), time(12, 0))
    except ValueError:
        try:
            moment = datetime.fromisoformat(v)
        except ValueError:
            day = parse_day(v)  # raises a CellError that explains the format
            assert day is not None
            moment = datetime.combine(day, time(12, 0))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz)
    return moment


def parse_choice(value: str, choices: type[models.TextChoices]) -> str:
    """A stored value or its label, ignoring case, spaces and hyphens ("Follow-up", "follow_up")."""
    key = re.sub(r"[\s\-]+", "_", value.strip().casefold())
    for stored, label in choices.choices:
        if key in (stored, re.sub(r"[\s\-]+", "_", str(label).casefold())):
            return str(stored)
    raise CellError(f"{shown(value)} is not one of: {', '.join(choices.values)}.")


def parse_tags(value: str) -> list[str]:
    return [t.strip() for t in re.split(r"[;,|]", value) if t.strip()]
