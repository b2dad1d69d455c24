"""Reading dates PostgreSQL can hold but Python cannot, without failing the read.

PostgreSQL stores days from 4713 BC to far beyond year 9999, and `infinity`; Python's `date` and
`datetime` stop at years 1 and 9999. One such value in a table (written before validation
existed, by hand in SQL, or from an import that once let `0001-01-01T00:00:00+05:00` through,
which is 1 BC in UTC) used to make psycopg raise on every query that read it: every page, report
and list showing that table answered 500, and the record could not even be deleted.

Every connection reads `date` and `timestamptz` columns through loaders that turn such a value
into the nearest end of Python's range, a day inside it (`LOWEST_*`, `HIGHEST_*`) so that moving
the result to any time zone cannot overflow again. The value is then simply out of the plausible
range (`coaching.validation`): the diagnostics report it as a data problem on its record, pages
show it, and the record can be corrected or removed like any other.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from psycopg import DataError
from psycopg.adapt import Buffer, Loader
from psycopg.pq import Format

LOWEST_DAY, HIGHEST_DAY = date(1, 1, 2), date(9999, 12, 30)
LOWEST_INSTANT = datetime(1, 1, 2, tzinfo=UTC)
HIGHEST_INSTANT = datetime(9999, 12, 30, tzinfo=UTC)


def _beyond(data: Buffer, low: Any, high: Any) -> Any:
    text = bytes(data).decode("ascii", "replace").strip()
    return low if text.startswith("-") or text.endswith("BC") else high


def _tolerant(base: type[Loader], *, low: Any, high: Any) -> type[Loader]:
    """`base` (the connection's own loader: Django's, with its time zone) reading values
    outside Python's range as `low` or `high` instead of raising."""

    class Tolerant(base):  # type: ignore[valid-type,misc]
        def load(self, data: Buffer) -> Any:
            try:
                return super().load(data)
            except DataError as exc:
                if "too small" not in str(exc) and "too large" not in str(exc):
                    raise
                return _beyond(data, low, high)

    Tolerant.__name__ = Tolerant.__qualname__ = f"Tolerant{base.__name__}"
    return Tolerant


class _DayLoader(Loader):
    """psycopg's fast date loader behind a check for the out-of-range case (subclassing the
    compiled loader would bypass an overridden `load`)."""

    def __init__(self, oid: int, context: Any = None) -> None:
        super().__init__(oid, context)
        fast = type(self).fast
        self._fast = fast(oid, context)

    fast: type[Loader]

    def load(self, data: Buffer) -> Any:
        try:
            return self._fast.load(data)
        except DataError as exc:
            if "too small" not in str(exc) and "too large" not in str(exc):
                raise
            return _beyond(data, LOWEST_DAY, HIGHEST_DAY)


def install(*, sender: Any = None, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """`connection_created` receiver: make this connection's date readers tolerant (once)."""
    adapters = getattr(connection.connection, "adapters", None)
    if adapters is None:  # not psycopg 3
        return
    timestamptz = adapters.types["timestamptz"].oid
    current = adapters.get_loader(timestamptz, Format.TEXT)
    if current is not None and not current.__name__.startswith("Tolerant"):
        adapters.register_loader(
            "timestamptz", _tolerant(current, low=LOWEST_INSTANT, high=HIGHEST_INSTANT)
        )
    day = adapters.types["date"].oid
    current = adapters.get_loader(day, Format.TEXT)
    if current is not None and not issubclass(current, _DayLoader):
        adapters.register_loader(
            "date", type("TolerantDateLoader", (_DayLoader,), {"fast": current})
        )


def connect() -> None:
    connection_created.connect(install, dispatch_uid="coaching.insights.stored_dates")
