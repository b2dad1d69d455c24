"""Migrations for a release, run once however many pods start: `python -m config.deploy migrate`
(the image's `migrate` role; every Kubernetes pod runs it as an init container, compose runs it
as its own service before the others).

1. Take a PostgreSQL advisory lock on a connection of its own, so pods that start together
   migrate one after another, never at once (a second waits, then finds nothing to do). The lock
   goes with the connection: a killed pod never leaves it held.
2. If this image's migrations are recorded as applied (`warmpath_release_migrations`, keyed by a
   fingerprint of every migration on disk), return at once: a restart or a scale-up costs one
   query, not a pass over every practice's schema.
3. Otherwise migrate the shared schema, then the practice and spare schemas that are behind
   (`migrate_practices`: one survey query finds them, TENANT_MULTIPROCESSING_MAX_PROCESSES
   processes migrate them with progress lines; a pod killed half-way leaves the next one only
   the schemas still behind), top up the spare pool, and record the fingerprint.

Migrations must keep working with the code of the release before (add, then use, then remove
in a later release), since old pods serve until the new ones are ready.
"""

import hashlib
import logging
import subprocess
import sys
import time
from pathlib import Path

LOCK_KEY = 7_305_692_011  # any constant shared by every release: "migrations running"
TABLE = "public.warmpath_release_migrations"
MANAGE = str(Path(__file__).resolve().parents[2] / "manage.py")
COMMANDS = (
    ["migrate_schemas", "--shared", "--noinput"],
    ["migrate_practices", "--noinput"],
    ["provision_spares"],
)

logger = logging.getLogger("config.deploy")


def fingerprint() -> str:
    """Names every migration this code ships (app label and name), hashed."""
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    names = sorted(f"{app}.{name}" for app, name in loader.disk_migrations)
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:32]


def _lock_connection() -> object:
    import psycopg
    from django.conf import settings

    db = settings.DATABASES["default"]
    return psycopg.connect(
        dbname=str(db["NAME"]),
        user=str(db.get("USER") or ""),
        password=str(db.get("PASSWORD") or ""),
        host=str(db.get("HOST") or ""),
        port=str(db.get("PORT") or ""),
        autocommit=True,
        application_name="warmpath-migrate",
    )


def migrate(*, force: bool = False) -> int:
    """The `migrate` role. Returns the process exit code."""
    import django

    django.setup()
    mark = fingerprint()
    with _lock_connection() as conn:  # type: ignore[attr-defined]
        started = time.monotonic()
        logger.info("migrate: waiting for the migration lock")
        conn.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        logger.info("migrate: lock held after %.1f s", time.monotonic() - started)
        conn.execute(
            f"CREATE TABLE IF NOT EXISTS {TABLE} "
            "(fingerprint text PRIMARY KEY, finished_at timestamptz NOT NULL DEFAULT now())"
        )
        done = conn.execute(f"SELECT 1 FROM {TABLE} WHERE fingerprint = %s", [mark]).fetchone()
        if done and not force:
            logger.info("migrate: release %s already migrated; nothing to do", mark)
            return 0
        for command in COMMANDS:
            logger.info("migrate: manage.py %s", " ".join(command))
            result = subprocess.run([sys.executable, MANAGE, *command], check=False)
            if result.returncode:
                logger.error("migrate: manage.py %s failed (%s)", command[0], result.returncode)
                return result.returncode
        conn.execute(
            f"INSERT INTO {TABLE} (fingerprint) VALUES (%s) ON CONFLICT DO NOTHING", [mark]
        )
        logger.info("migrate: release %s migrated in %.1f s", mark, time.monotonic() - started)
        conn.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
    return 0


_migrated = False


def migrations_applied() -> bool:
    """Whether the public schema has every migration this code ships (checked until it does,
    then remembered: migrations are not undone). Practices' schemas are migrated by the same
    `migrate` run, before the fingerprint is recorded."""
    global _migrated
    if _migrated:
        return True
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django_tenants.utils import get_public_schema_name, schema_context

    try:
        with schema_context(get_public_schema_name()):
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception:
        logger.warning("readiness: could not read the applied migrations", exc_info=True)
        return False
    _migrated = not plan
    return _migrated


def deployment_checks(checks: dict[str, str]) -> tuple[bool, dict[str, str]]:
    """/readyz in production (config/health.py): PostgreSQL and Redis answer, and this release's
    migrations are applied — all three required. Whether a Celery worker was seen in the last
    two minutes is reported too but never required: pages work without one (alert on
    warmpath_worker_heartbeat_timestamp_seconds instead)."""
    from config.metrics import worker_seen

    if checks.get("database") == "ok":
        checks["migrations"] = "ok" if migrations_applied() else "pending"
    ready = all(state == "ok" for state in checks.values())
    checks["worker"] = worker_seen()
    return ready, checks


def main(argv: list[str]) -> int:
    if argv[:1] != ["migrate"]:
        print("usage: python -m config.deploy migrate [--force]", file=sys.stderr)
        return 64
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    return migrate(force="--force" in argv[1:])


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
