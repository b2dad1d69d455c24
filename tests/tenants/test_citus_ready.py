"""Citus-ready: a practice's schema can become a Citus distributed schema (schema-based sharding,
Citus 12+, `citus.enable_schema_based_sharding`) as it is. Inspects a real practice's catalog
and fails on anything Citus refuses or that would stop a schema from moving between nodes
(docs/scaling.md, "What Citus needs from a practice's schema").

What Citus enforces when a schema is distributed (`citus_schema_distribute`, or a CREATE SCHEMA
with the setting on), from its schema_based_sharding.c:
- a foreign key from a tenant table may point only into its own schema, or to a *reference*
  table in a regular schema; none may point into a tenant schema from outside;
- no foreign tables, no inheritance, partitions only within the schema;
- no table owned by an extension.
What shard moves (`citus_schema_move`, the rebalancer) need: logical replication, so every table
must have a replica identity (a primary key) and be a logged table.
What needs a decision, not a refusal: triggers run on the worker that holds the shard only with
`citus.enable_unsafe_triggers = on`, and their functions must be distributed too; so each
trigger and function here is listed with why it is safe, and a new one fails until it is.
"""

from typing import Any

import pytest
from django.db import connection

from tenants.models import Practice

# Reviewed triggers and functions: name -> why it is safe in a distributed schema.
SAFE_TRIGGERS = {
    "audit_event_append_only": (
        "row-level, reads only OLD and NEW of its own row and raises: it runs where the shard "
        "is and touches no other table (needs citus.enable_unsafe_triggers = on)"
    ),
}
SAFE_FUNCTIONS = {
    "audit_event_append_only": "the audit trigger's function; no table access",
}


def _rows(sql: str, schema: str) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, {"s": schema})
        return list(cursor.fetchall())


@pytest.fixture
def schema(practice: Practice) -> str:
    connection.set_schema_to_public()
    return practice.schema_name


def test_no_foreign_key_leaves_the_practice_schema(schema: str) -> None:
    leaving = _rows(
        """SELECT c.conrelid::regclass::text, c.confrelid::regclass::text, c.conname
           FROM pg_constraint c
           JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
           JOIN pg_class r ON r.oid = c.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
           WHERE c.contype = 'f' AND tn.nspname = %(s)s AND rn.nspname <> %(s)s""",
        schema,
    )
    assert leaving == [], "foreign keys from the practice's schema to another one"


def test_no_foreign_key_enters_the_practice_schema_from_outside(schema: str) -> None:
    entering = _rows(
        """SELECT c.conrelid::regclass::text, c.confrelid::regclass::text, c.conname
           FROM pg_constraint c
           JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
           JOIN pg_class r ON r.oid = c.confrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
           WHERE c.contype = 'f' AND rn.nspname = %(s)s AND tn.nspname <> %(s)s""",
        schema,
    )
    assert entering == []


def test_every_table_has_a_primary_key_and_is_logged(schema: str) -> None:
    tables = _rows(
        """SELECT t.relname, t.relpersistence,
                  EXISTS (SELECT 1 FROM pg_constraint p
                          WHERE p.conrelid = t.oid AND p.contype = 'p')
           FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
           WHERE n.nspname = %(s)s AND t.relkind IN ('r', 'p')""",
        schema,
    )
    assert len(tables) > 20
    assert [name for name, _, has_pk in tables if not has_pk] == []
    assert [name for name, persistence, _ in tables if persistence != "p"] == []


def test_no_table_kind_citus_refuses_in_a_distributed_schema(schema: str) -> None:
    refused = _rows(
        """SELECT t.relname, t.relkind FROM pg_class t
           JOIN pg_namespace n ON n.oid = t.relnamespace
           WHERE n.nspname = %(s)s AND (t.relkind IN ('f', 'm')
              OR EXISTS (SELECT 1 FROM pg_inherits i
                         WHERE i.inhrelid = t.oid OR i.inhparent = t.oid))""",
        schema,
    )
    assert refused == [], "foreign tables, materialized views, inheritance or partitions"
    rules = _rows("SELECT tablename, rulename FROM pg_rules WHERE schemaname = %(s)s", schema)
    assert rules == [], "Citus does not support the rule system"


def test_nothing_in_the_schema_belongs_to_an_extension(schema: str) -> None:
    owned = _rows(
        """SELECT d.classid::regclass::text, d.objid FROM pg_depend d
           JOIN pg_class t ON d.classid = 'pg_class'::regclass AND t.oid = d.objid
           JOIN pg_namespace n ON n.oid = t.relnamespace
           WHERE n.nspname = %(s)s AND d.deptype = 'e'""",
        schema,
    )
    assert owned == []


def test_sequences_belong_to_their_tables_and_defaults_stay_home(schema: str) -> None:
    loose = _rows(
        """SELECT s.relname FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace
           WHERE n.nspname = %(s)s AND s.relkind = 'S' AND NOT EXISTS (
               SELECT 1 FROM pg_depend d WHERE d.objid = s.oid
               AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i'))""",
        schema,
    )
    assert loose == [], "free-standing sequences"
    defaults = _rows(
        """SELECT t.relname, a.attname, pg_get_expr(d.adbin, d.adrelid)
           FROM pg_attrdef d JOIN pg_class t ON t.oid = d.adrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
           JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
           WHERE n.nspname = %(s)s""",
        schema,
    )
    elsewhere = [row for row in defaults if "." in row[2] and schema not in row[2]]
    assert elsewhere == [], "column defaults naming objects in other schemas"


def test_views_read_only_the_practice_schema(schema: str) -> None:
    views = _rows(
        """SELECT DISTINCT v.relname, rn.nspname FROM pg_class v
           JOIN pg_namespace vn ON vn.oid = v.relnamespace
           JOIN pg_rewrite w ON w.ev_class = v.oid
           JOIN pg_depend d ON d.objid = w.oid AND d.classid = 'pg_rewrite'::regclass
           JOIN pg_class r ON r.oid = d.refobjid JOIN pg_namespace rn ON rn.oid = r.relnamespace
           WHERE vn.nspname = %(s)s AND v.relkind = 'v' AND rn.nspname <> %(s)s""",
        schema,
    )
    assert views == []


def test_every_trigger_and_function_is_reviewed(schema: str) -> None:
    triggers = _rows(
        """SELECT t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
           JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = %(s)s AND NOT t.tgisinternal""",
        schema,
    )
    functions = _rows(
        """SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
           WHERE n.nspname = %(s)s""",
        schema,
    )
    assert {name for (name,) in triggers} <= SAFE_TRIGGERS.keys()
    assert {name for (name,) in functions} <= SAFE_FUNCTIONS.keys()
    # The audit log's guard is there (platform/audit/migrations/0002): distributing must keep it.
    assert ("audit_event_append_only",) in triggers


def test_the_checks_see_a_cross_schema_foreign_key(schema: str) -> None:
    """The inspection itself works: a foreign key to public is found (rolled back)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f'CREATE TABLE "{schema}".citus_probe (id bigint PRIMARY KEY, '
            "practice_id bigint REFERENCES public.tenants_practice (id))"
        )
    with pytest.raises(AssertionError):
        test_no_foreign_key_leaves_the_practice_schema(schema)
