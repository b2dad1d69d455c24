"""Django's migration recorder, asking whether `django_migrations` exists with `to_regclass()`.

`MigrationRecorder.has_table()` lists every table the connection can see and looks for
`django_migrations` among them. On a tenant connection that listing scans the whole catalog
(tenants/db_backend/introspection.py), and `migrate` asks four times per schema. Django offers
no setting to swap the recorder (the loader, the executor and django-tenants each build their
own), so `install()` — called once from `tenants.apps` — replaces `has_table` with a version that
asks the connection's introspection `table_in_schema()` when it has one and falls back to
Django's own otherwise. The answer is the same schema's, and a table found is remembered per
recorder exactly as Django does.
"""

from django.db.migrations.recorder import MigrationRecorder

_django_has_table = MigrationRecorder.has_table


def has_table(self: MigrationRecorder) -> bool:
    if self._has_table:  # type: ignore[attr-defined]
        return True
    table_in_schema = getattr(self.connection.introspection, "table_in_schema", None)
    if table_in_schema is None or getattr(self.connection, "schema_name", None) is None:
        return _django_has_table(self)
    found = bool(table_in_schema(self.Migration._meta.db_table))
    self._has_table = found  # type: ignore[attr-defined]
    return found


def install() -> None:
    MigrationRecorder.has_table = has_table  # type: ignore[method-assign]


def installed() -> bool:
    return MigrationRecorder.has_table is has_table
