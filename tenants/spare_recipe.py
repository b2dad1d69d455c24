"""Spare schemas made by replaying the SQL that migrating one ran, instead of migrating again.

Migrating a fresh schema costs 1.5 to 4 seconds, nine tenths of it in Python: Django renders
the models' state again after nearly every operation of 56 migrations. The SQL it sends is
about 650 statements and takes PostgreSQL a few hundred milliseconds. So each process migrates
its first spare for real while recording every statement it sends (`record`), and makes the next
ones by sending those statements again with the schema's name swapped (`replay`), inside a
savepoint, checked afterwards: the schema must have every tenant table and as many recorded
migrations as the first one. Anything unexpected rolls the savepoint back, forgets the recipe
and migrates for real, so a replay can only be faster, never different.

What makes that sound: a fresh schema's migration is deterministic. It reads nothing but the
schema itself (the search path puts it first; the public schema's rows are never read by a
tenant migration) and Django's own bookkeeping, so the same code sends the same statements with
the same values — except the schema's name (swapped) and the times migrations were applied
(replaced by the replay's time). The recipe lives in the process's memory only: code cannot
change under a running process, and a new release's workers record anew. A tenant migration
whose data step reads shared (public) data would break this rule; none does, and
`tests/tenants/test_spare_recipe.py` compares a replayed schema with a migrated one, catalog
entry by catalog entry and row by row.
"""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import DatabaseError, connection, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

ENABLED = True  # tests turn it off to compare with a migrated spare


@dataclass(frozen=True, slots=True)
class Recipe:
    schema_name: str  # the schema the statements were recorded for
    statements: tuple[tuple[str, Any, bool], ...]  # (sql, params, executemany)
    migrations: int  # rows the recording left in django_migrations


_recipe: Recipe | None = None


def forget() -> None:
    global _recipe
    _recipe = None


def recorded() -> Recipe | None:
    return _recipe


def record(*, schema_name: str, migrate: Callable[[], None]) -> None:
    """Run `migrate` (a fresh schema's migration) and keep what it sent as this process's
    recipe, if it left a complete schema."""
    global _recipe
    statements: list[tuple[str, Any, bool]] = []

    def capture(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        if many:
            params = list(params)
        result = execute(sql, params, many, context)
        statements.append((sql, params, many))
        return result

    with connection.execute_wrapper(capture):
        migrate()
    count = _migrations_recorded(schema_name)
    if ENABLED and count and _complete(schema_name):
        _recipe = Recipe(schema_name=schema_name, statements=tuple(statements), migrations=count)


def replay(*, schema_name: str) -> bool:
    """Make `schema_name` from this process's recipe, in a savepoint. False (and nothing
    changed) when there is no recipe or the replay did not give the same schema."""
    recipe = _recipe
    if recipe is None or not ENABLED:
        return False
    old, now = recipe.schema_name, timezone.now()
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            # django-tenants sets the path on its own cursor, unseen by execute wrappers: during
            # the recording it was the new schema first, then the public one.
            cursor.execute(f'SET LOCAL search_path = "{schema_name}", public')
            for sql, params, many in recipe.statements:
                text = sql.replace(old, schema_name)
                if many:
                    cursor.executemany(text, [_swap(p, old, schema_name, now) for p in params])
                else:
                    cursor.execute(text, _swap(params, old, schema_name, now))
            if _migrations_recorded(schema_name) != recipe.migrations or not _complete(schema_name):
                raise _Different
    except (DatabaseError, _Different):
        logger.warning("replaying the spare recipe failed; migrating instead", exc_info=True)
        forget()
        return False
    finally:
        # The path on the connection is no longer the one the backend remembers.
        _forget_path()
    return True


class _Different(Exception):
    pass


def _forget_path() -> None:
    forget_path = getattr(connection, "_forget_path", None)
    if forget_path:
        forget_path()
    connection.search_path_set_schemas = None  # type: ignore[attr-defined]


def _swap(params: Any, old: str, new: str, now: datetime.datetime) -> Any:
    if params is None:
        return None
    if isinstance(params, dict):
        return {key: _value(value, old, new, now) for key, value in params.items()}
    return type(params)(_value(value, old, new, now) for value in params)


def _value(value: Any, old: str, new: str, now: datetime.datetime) -> Any:
    if isinstance(value, str) and old in value:
        return value.replace(old, new)
    if isinstance(value, datetime.datetime):
        return now  # when a migration was applied: now, not when the recipe was recorded
    if isinstance(value, list | tuple):
        return type(value)(_value(item, old, new, now) for item in value)
    return value


def _migrations_recorded(schema_name: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT to_regclass(format('%%I.django_migrations', %s::text)) IS NOT NULL",
            [schema_name],
        )
        if not cursor.fetchone()[0]:
            return 0
        cursor.execute(f'SELECT count(*) FROM "{schema_name}".django_migrations')
        return int(cursor.fetchone()[0])


def _complete(schema_name: str) -> bool:
    from tenants.provisioning import schema_missing_tables

    return not schema_missing_tables(schema_name=schema_name)
