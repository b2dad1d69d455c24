"""Migrations that scale with the number of practices: the recorder asks `to_regclass()` instead
of scanning the catalog, one survey finds the schemas behind, and `migrate_practices` migrates
only those (in-process and in forked processes), resumably, with progress."""

import io
import os

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import CaptureQueriesContext

from tenants import migrating
from tenants.db_backend import recorder
from tenants.migrating import code_migrations, survey
from tenants.models import Practice
from tenants.provisioning import spare_create

# A leaf migration (nothing depends on it) that only creates a table: dropping the table and its
# record leaves a schema exactly one migration behind.
LEAF = ("accounts", "0002_membersession")
LEAF_TABLE = "accounts_membersession"


def _put_one_behind(schema: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TABLE "{schema}".{LEAF_TABLE}')
        cursor.execute(
            f'DELETE FROM "{schema}".django_migrations WHERE app = %s AND name = %s', list(LEAF)
        )


def _has_table(schema: str, table: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(format('%%I.%%I', %s::text, %s::text))", [schema, table])
        return cursor.fetchone()[0] is not None


def test_the_recorder_override_is_installed() -> None:
    assert recorder.installed()


def test_the_recorder_asks_to_regclass_never_the_whole_catalog(practice: Practice) -> None:
    with CaptureQueriesContext(connection) as captured:
        assert MigrationRecorder(connection).has_table()
    sqls = [q["sql"] for q in captured.captured_queries]
    assert any("to_regclass" in sql for sql in sqls), sqls
    assert not any("pg_table_is_visible" in sql for sql in sqls), sqls


@pytest.mark.parametrize("include_public", [True, False])
def test_the_recorder_answers_for_the_schema_alone_as_django_tenants_did(
    db: None, include_public: bool
) -> None:
    """A schema without django_migrations must not see the public schema's, whatever the
    search path says (else migrate would read the public schema's history)."""
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "bare_recorder"')
    for schema, exists in (("bare_recorder", False), ("public", True)):
        connection.set_schema(schema, include_public=include_public)
        ours = MigrationRecorder(connection).has_table()
        theirs = recorder._django_has_table(MigrationRecorder(connection))
        connection.set_schema_to_public()
        assert ours is theirs is exists, schema


def test_every_seeded_schema_is_found_up_to_date_in_one_survey(
    practice: Practice, other_practice: Practice
) -> None:
    connection.set_schema_to_public()
    with CaptureQueriesContext(connection) as captured:
        found = survey()
    assert found.behind == ()
    assert {practice.schema_name, other_practice.schema_name} <= set(found.up_to_date)
    assert found.expected == len(code_migrations()) > 20
    # practice rows, the catalog, one batch of counts: never a query per schema
    queries = [q for q in captured.captured_queries if not q["sql"].startswith("SET ")]
    assert len(queries) == 3, queries


def test_a_schema_one_migration_behind_is_migrated_and_only_it(
    practice: Practice, other_practice: Practice
) -> None:
    connection.set_schema_to_public()
    _put_one_behind(other_practice.schema_name)
    assert survey().behind == (other_practice.schema_name,)
    with pytest.raises(CommandError) as raised:
        call_command("migrate_practices", check=True, stdout=io.StringIO())
    assert raised.value.returncode == 1

    out = io.StringIO()
    call_command("migrate_practices", processes=1, stdout=out)

    text = out.getvalue()
    assert "1 behind" in text, text
    assert "1/1 practices (100 %)" in text, text
    assert _has_table(other_practice.schema_name, LEAF_TABLE)
    assert not survey().behind
    call_command("migrate_practices", check=True, stdout=io.StringIO())


def test_nothing_behind_runs_no_migrate(practice: Practice) -> None:
    connection.set_schema_to_public()
    out = io.StringIO()
    with CaptureQueriesContext(connection) as captured:
        call_command("migrate_practices", stdout=out)
    assert "0 behind" in out.getvalue()
    queries = [q["sql"] for q in captured.captured_queries if not q["sql"].startswith("SET ")]
    assert len(queries) == 3, queries


def test_forked_processes_migrate_the_schemas_behind_and_a_second_run_finds_none(
    django_db_setup: None,
    django_db_blocker: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Committed spares (the forked processes need to see them), put behind, migrated by two
    processes, each reconnecting between schemas (as it does every RECONNECT_EVERY); then
    dropped."""
    monkeypatch.setattr(migrating, "RECONNECT_EVERY", 1)
    made: list[Practice] = []
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert str(connection.settings_dict["NAME"]).startswith("test_")
        try:
            made = [spare_create(), spare_create(), spare_create()]
            for spare in made:
                _put_one_behind(spare.schema_name)
            assert set(survey().behind) == {s.schema_name for s in made}

            out = io.StringIO()
            call_command("migrate_practices", processes=2, chunks=1, stdout=out)

            assert "3/3 practices" in out.getvalue(), out.getvalue()
            assert all(_has_table(s.schema_name, LEAF_TABLE) for s in made)
            assert survey().behind == ()
        finally:
            connection.set_schema_to_public()
            for spare in made:
                spare.delete(force_drop=True)


def test_settings_read_the_parallelism_from_the_environment() -> None:
    import subprocess
    import sys

    env = {
        **os.environ,
        "TENANT_MULTIPROCESSING_MAX_PROCESSES": "7",
        "TENANT_MULTIPROCESSING_CHUNKS": "5",
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    code = (
        "from django.conf import settings; "
        "print(settings.TENANT_MULTIPROCESSING_MAX_PROCESSES, "
        "settings.TENANT_MULTIPROCESSING_CHUNKS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["7", "5"]


def test_a_failing_schema_stops_the_run_names_it_and_a_second_run_resumes(
    practice: Practice, other_practice: Practice
) -> None:
    """The record of a migration is gone but its table is still there: migrating that schema
    fails ("already exists"). The run says which schema and fails; once fixed, the next run
    migrates what is still behind and nothing else."""
    connection.set_schema_to_public()
    broken, fine = other_practice.schema_name, practice.schema_name
    with connection.cursor() as cursor:
        cursor.execute(
            f'DELETE FROM "{broken}".django_migrations WHERE app = %s AND name = %s', list(LEAF)
        )
    _put_one_behind(fine)
    assert set(survey().behind) == {broken, fine}

    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="1 schemas failed"):
        call_command("migrate_practices", processes=1, stdout=out, stderr=err)
    assert broken in err.getvalue(), err.getvalue()
    assert "already exists" in err.getvalue()

    with connection.cursor() as cursor:  # the fix: the table goes, so the migration can run
        cursor.execute(f'DROP TABLE "{broken}".{LEAF_TABLE}')
    out = io.StringIO()
    call_command("migrate_practices", processes=1, stdout=out)
    assert survey().behind == ()
    assert _has_table(broken, LEAF_TABLE)
    assert _has_table(fine, LEAF_TABLE)
