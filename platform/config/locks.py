"""PostgreSQL advisory locks: "only one process does this at a time", across every web and
worker process, with no table to keep. A lock is named by a string (hashed to PostgreSQL's
64-bit key); names start with the practice's schema when the work is a practice's.

- `try_lock(name)`: a session lock taken without waiting and released when the block ends (or
  when the connection dies: a killed worker never leaves one behind). For work that must never
  run twice at once, such as one webhook attempt.
- `transaction_lock(name)`: waits, and holds until the surrounding transaction ends. For short
  critical sections inside a transaction, such as claiming one of a practice's import slots.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


def practice_lock_name(*parts: object) -> str:
    schema = getattr(connection, "schema_name", "public")
    return ":".join([str(schema), *(str(part) for part in parts)])


@contextmanager
def try_lock(name: str) -> Iterator[bool]:
    """Yields True while this session holds `name`, False if another session does."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(hashtextextended(%s, 0))", [name])
        held = bool(cursor.fetchone()[0])
    try:
        yield held
    finally:
        if held:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(hashtextextended(%s, 0))", [name])


def transaction_lock(name: str) -> None:
    """Wait for `name` and hold it until the current transaction ends."""
    if not connection.in_atomic_block:
        raise RuntimeError("transaction_lock needs a transaction (transaction.atomic)")
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [name])
