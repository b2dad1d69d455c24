"""A spare made by replaying the recorded SQL is the same schema as one made by migrating:
every relation, column, default, index, constraint, trigger, function, sequence position and
bookkeeping row. A replay that goes wrong changes nothing and migrates instead."""

from typing import Any

import pytest
from django.db import connection

from tenants import spare_recipe
from tenants.provisioning import schema_missing_tables, spare_create

CATALOG = {
    "relations": """
        SELECT c.relname, c.relkind FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %(s)s""",
    "columns": """
        SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
               pg_get_expr(d.adbin, d.adrelid), a.attidentity
        FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE n.nspname = %(s)s AND a.attnum > 0 AND NOT a.attisdropped""",
    "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = %(s)s",
    "constraints": """
        SELECT c.conname, c.contype, pg_get_constraintdef(c.oid) FROM pg_constraint c
        JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = %(s)s""",
    "triggers": """
        SELECT t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t
        JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = %(s)s AND NOT t.tgisinternal""",
    "functions": """
        SELECT p.proname, p.prosrc FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = %(s)s""",
    "sequences": """
        SELECT sequencename, last_value, increment_by FROM pg_sequences
        WHERE schemaname = %(s)s""",
}
ROWS = {
    "django_migrations": "SELECT app, name FROM {s}.django_migrations",
    "django_content_type": "SELECT id, app_label, model FROM {s}.django_content_type",
    "auth_permission": "SELECT id, codename, content_type_id FROM {s}.auth_permission",
}


def _signature(schema: str) -> dict[str, list[tuple[Any, ...]]]:
    found: dict[str, list[tuple[Any, ...]]] = {}
    with connection.cursor() as cursor:
        for name, sql in CATALOG.items():
            cursor.execute(sql, {"s": schema})
            found[name] = sorted(
                tuple(str(v).replace(schema, "<schema>") for v in row) for row in cursor.fetchall()
            )
        for name, sql in ROWS.items():
            cursor.execute(sql.format(s=f'"{schema}"'))
            found[name] = sorted(tuple(map(str, row)) for row in cursor.fetchall())
    return found


@pytest.fixture
def fresh_recipe() -> Any:
    spare_recipe.forget()
    yield
    spare_recipe.forget()


def test_a_replayed_spare_is_the_migrated_one(db: None, fresh_recipe: None) -> None:
    migrated = spare_create()
    recipe = spare_recipe.recorded()
    assert recipe is not None
    assert recipe.schema_name == migrated.schema_name
    assert len(recipe.statements) > 100

    replayed = spare_create()

    assert spare_recipe.recorded() is recipe  # replayed, not migrated again
    assert not schema_missing_tables(schema_name=replayed.schema_name)
    ours, theirs = _signature(replayed.schema_name), _signature(migrated.schema_name)
    assert ours.keys() == theirs.keys()
    for part in ours:
        assert ours[part] == theirs[part], part
    assert len(ours["relations"]) > 100
    assert ours["triggers"]
    assert ours["functions"]


def test_the_audit_log_of_a_replayed_spare_is_append_only(db: None, fresh_recipe: None) -> None:
    spare_create()
    replayed = spare_create()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = %s AND c.relname = 'audit_auditevent' AND NOT t.tgisinternal",
            [replayed.schema_name],
        )
        assert [row[0] for row in cursor.fetchall()] == ["audit_event_append_only"]


def test_a_replay_that_fails_changes_nothing_and_migrates_instead(
    db: None, fresh_recipe: None
) -> None:
    first = spare_create()
    good = spare_recipe.recorded()
    assert good is not None
    broken = spare_recipe.Recipe(
        schema_name=good.schema_name,
        statements=(*good.statements[:50], ("SELECT no_such_function()", None, False)),
        migrations=good.migrations,
    )
    spare_recipe._recipe = broken

    spare = spare_create()

    assert not schema_missing_tables(schema_name=spare.schema_name)
    assert _signature(spare.schema_name) == _signature(first.schema_name)
    now = spare_recipe.recorded()
    assert now is not None
    assert now is not broken
    assert now.schema_name == spare.schema_name


def test_a_replay_that_leaves_a_short_schema_is_refused(db: None, fresh_recipe: None) -> None:
    spare_create()
    good = spare_recipe.recorded()
    assert good is not None
    spare_recipe._recipe = spare_recipe.Recipe(
        schema_name=good.schema_name,
        statements=good.statements[: len(good.statements) // 2],
        migrations=good.migrations,
    )
    spare = spare_create()
    assert not schema_missing_tables(schema_name=spare.schema_name)
    recipe = spare_recipe.recorded()
    assert recipe is not None
    assert recipe.schema_name == spare.schema_name
