"""Introspection that answers "does this table exist in the connection's schema?" with one index
lookup (`to_regclass`), instead of listing every table the connection can see.

django-tenants lists a schema's tables by pointing `search_path` at it and asking PostgreSQL for
every relation `pg_table_is_visible()`: a scan of the whole catalog. With one schema per
practice the catalog holds ~36 tables (and their indexes, sequences, TOAST tables) per practice,
so the question costs 61 to 80 ms at 1,000 practices and grows with every signup. Django's
migration recorder asks it four times per schema on every `migrate`, which made a pass over
every practice cost the square of their number (docs/performance.md). `to_regclass()` resolves
a qualified name through the catalog's (name, namespace) index: 0.2 ms whatever the size.
"""

from typing import Any

from django_tenants.postgresql_backend.introspection import DatabaseSchemaIntrospection


class TenantIntrospection(DatabaseSchemaIntrospection):
    def table_in_schema(self, table_name: str, *, schema_name: str | None = None) -> bool:
        """Whether `table_name` exists in `schema_name` (default: the connection's tenant
        schema, exactly the schema django-tenants' `table_names()` lists)."""
        schema = schema_name or self.connection.schema_name
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT to_regclass(format('%%I.%%I', %s::text, %s::text)) IS NOT NULL",
                [schema, table_name],
            )
            row: Any = cursor.fetchone()
        return bool(row[0])
