"""Migrating every practice's schema in time that grows with the work to do, not with the square
of the number of practices (`manage.py migrate_practices`, the `migrate` role).

`migrate_schemas` runs Django's `migrate` in every schema: it loads the migration graph, reads
that schema's `django_migrations`, renders the models and sends the post-migrate signals even
where nothing is to apply — about 70 ms per schema once the recorder stopped scanning the catalog
(tenants/db_backend/recorder.py). Here one survey asks every schema at once which of this code's
migrations it has recorded (a `UNION ALL` of per-schema counts, in batches so one statement never
locks more than `SURVEY_BATCH` tables), and `migrate` runs only in the schemas that are behind:

- a release with nothing new for the practices costs the survey alone (a second or so for
  1,000 practices);
- an interrupted run resumes where it stopped: the schemas it finished are no longer behind;
- the schemas behind are migrated by `TENANT_MULTIPROCESSING_MAX_PROCESSES` forked processes,
  `TENANT_MULTIPROCESSING_CHUNKS` schemas per hand-out, each process keeping its one connection;
  after the first failure no new schema is started, the ones running finish, and the run fails;
- progress (done / total, rate, time left) is printed every few seconds.

Code must work with practices one migration behind (docs/operations.md, "Migrations"): the
schemas are migrated one after another while the new release already serves.
"""

import multiprocessing
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django_tenants.utils import get_public_schema_name, get_tenant_base_migrate_command_class

from tenants.models import Practice

SURVEY_BATCH = 200  # tables one survey statement locks (AccessShare) until it ends
# A forked process reconnects after this many schemas: a PostgreSQL backend keeps in memory every
# relation it has touched, and would otherwise hold a piece of every schema it migrated.
RECONNECT_EVERY = 100


@dataclass(frozen=True, slots=True)
class Survey:
    """Where every tenant schema stands against the migrations this code ships."""

    expected: int  # migrations (graph nodes) this code has
    up_to_date: tuple[str, ...]
    behind: tuple[str, ...]  # in practice-id order: the oldest practices first
    missing: tuple[str, ...]  # tenant rows whose schema does not exist (skipped, reported)
    seconds: float


@dataclass(slots=True)
class Outcome:
    migrated: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    not_started: list[str] = field(default_factory=list)
    seconds: float = 0.0


def code_migrations() -> frozenset[str]:
    """`app.name` of every migration in this code's graph (a squashed migration stands for the
    ones it replaces). Django records every migration of the plan in every schema, whatever
    the router lets it create there, so a schema is current when it has recorded them all."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return frozenset(f"{app}.{name}" for app, name in loader.graph.nodes)


def tenant_schemas() -> list[str]:
    """Every practice and spare schema, oldest practice first (the public site's row aside)."""
    return list(
        Practice.objects.exclude(schema_name=get_public_schema_name())
        .order_by("pk")
        .values_list("schema_name", flat=True)
    )


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def survey(
    *, schemas: Sequence[str] | None = None, expected: Iterable[str] | None = None
) -> Survey:
    """Which schemas are behind, in one query for the catalog and one per `SURVEY_BATCH`
    schemas, never Django's migration machinery per schema."""
    started = time.monotonic()
    names = list(tenant_schemas() if schemas is None else schemas)
    wanted = sorted(code_migrations() if expected is None else expected)
    table = MigrationRecorder.Migration._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT s, n.oid IS NOT NULL, to_regclass(format('%%I.%%I', s, %s::text)) IS NOT NULL"
            " FROM unnest(%s::text[]) AS s LEFT JOIN pg_namespace n ON n.nspname = s",
            [table, names],
        )
        state = {row[0]: (row[1], row[2]) for row in cursor.fetchall()}
        missing = [s for s in names if not state[s][0]]
        unrecorded = {s for s in names if state[s][0] and not state[s][1]}
        with_table = [s for s in names if state[s][1]]
        counts: dict[str, int] = {}
        for start in range(0, len(with_table), SURVEY_BATCH):
            batch = with_table[start : start + SURVEY_BATCH]
            sql = " UNION ALL ".join(
                f"SELECT %(s{i})s, count(*) FROM {_quote(s)}.{table} "
                "WHERE app || '.' || name = ANY(%(wanted)s::text[])"
                for i, s in enumerate(batch)
            )
            params: dict[str, Any] = {f"s{i}": s for i, s in enumerate(batch)}
            params["wanted"] = wanted
            cursor.execute(sql, params)
            counts.update({row[0]: row[1] for row in cursor.fetchall()})
    behind = [s for s in names if s in unrecorded or (s in counts and counts[s] < len(wanted))]
    current = [s for s in names if s in counts and counts[s] >= len(wanted)]
    return Survey(
        expected=len(wanted),
        up_to_date=tuple(current),
        behind=tuple(behind),
        missing=tuple(missing),
        seconds=time.monotonic() - started,
    )


def migrate_schema(schema_name: str, *, verbosity: int = 0) -> None:
    """Django's `migrate` in one schema on this process's connection, as django-tenants runs it
    (the recorder's table made in the schema itself first, so the public one is never taken for
    it), minus what is done once per run instead: the system checks."""
    from django_tenants.signals import schema_migrated, schema_pre_migration

    schema_pre_migration.send(migrate_schema, schema_name=schema_name)
    try:
        connection.set_schema(schema_name, include_public=False)  # type: ignore[attr-defined]
        MigrationRecorder(connection).ensure_schema()
        connection.set_schema(schema_name)  # type: ignore[attr-defined]
        command = get_tenant_base_migrate_command_class()()
        call_command(
            command, interactive=False, verbosity=verbosity, skip_checks=True, database="default"
        )
    finally:
        connection.set_schema_to_public()  # type: ignore[attr-defined]
    schema_migrated.send(migrate_schema, schema_name=schema_name)


# Forked workers: set by _worker_init from the parent's values.
_stop: Any = None
_verbosity = 0
_since_connect = 0


def _worker_init(stop: Any, verbosity: int) -> None:
    global _stop, _verbosity
    _stop, _verbosity = stop, verbosity
    # The parent's connection was closed before forking; each worker opens its own.
    for alias in connections:
        connections[alias].close()


def _worker_run(schema_name: str) -> tuple[str, str | None]:
    """("p_x", None) when migrated, ("p_x", error) when it failed, ("p_x", "") when skipped
    because another schema failed first."""
    global _since_connect
    if _stop is not None and _stop.is_set():
        return schema_name, ""
    if _since_connect >= RECONNECT_EVERY:
        connection.close()
        _since_connect = 0
    _since_connect += 1
    try:
        migrate_schema(schema_name, verbosity=_verbosity)
    except BaseException as exc:  # a failure ends the run; report which and why
        if _stop is not None:
            _stop.set()
        return schema_name, f"{type(exc).__name__}: {exc}"
    return schema_name, None


class Output(Protocol):
    def write(self, text: str) -> Any: ...

    def flush(self) -> Any: ...


class Progress:
    """Prints "done/total, rate, time left" at most every `every` seconds and at the end."""

    def __init__(self, *, total: int, out: Output, every: float = 5.0) -> None:
        self.total, self.out, self.every = total, out, every
        self.done = 0
        self.started = self.last = time.monotonic()

    def step(self, *, final: bool = False) -> None:
        if not final:
            self.done += 1
        now = time.monotonic()
        if not final and now - self.last < self.every and self.done < self.total:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        rate = self.done / elapsed
        left = (self.total - self.done) / rate if rate else 0.0
        self.out.write(
            f"migrate_practices: {self.done}/{self.total} practices "
            f"({100 * self.done // max(self.total, 1)} %), {rate:.1f}/s, "
            f"{_duration(elapsed)} so far, about {_duration(left)} left\n"
        )
        self.out.flush()


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


def migrate_behind(
    schemas: Sequence[str],
    *,
    processes: int,
    chunks: int,
    out: Output,
    verbosity: int = 0,
    every: float = 5.0,
    on_done: Callable[[str], None] | None = None,
) -> Outcome:
    """Migrate `schemas`; with `processes` > 1 in a pool of forked processes."""
    outcome = Outcome()
    progress = Progress(total=len(schemas), out=out, every=every)
    started = time.monotonic()
    if processes <= 1 or len(schemas) <= 1:
        for position, schema in enumerate(schemas):
            try:
                migrate_schema(schema, verbosity=verbosity)
            except Exception as exc:
                outcome.failed[schema] = f"{type(exc).__name__}: {exc}"
                outcome.not_started.extend(schemas[position + 1 :])
                break
            outcome.migrated.append(schema)
            progress.step()
            if on_done:
                on_done(schema)
    else:
        context = multiprocessing.get_context("fork")
        stop = context.Event()
        connections.close_all()  # never share the parent's socket with the children
        with context.Pool(
            processes=processes, initializer=_worker_init, initargs=(stop, verbosity)
        ) as pool:
            for schema, error in pool.imap_unordered(
                _worker_run, schemas, chunksize=max(1, chunks)
            ):
                if error is None:
                    outcome.migrated.append(schema)
                    progress.step()
                    if on_done:
                        on_done(schema)
                elif error:
                    outcome.failed[schema] = error
                else:
                    outcome.not_started.append(schema)
            pool.close()
            pool.join()
    outcome.seconds = time.monotonic() - started
    if schemas:
        progress.step(final=True)
    return outcome
