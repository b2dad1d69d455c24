"""django-tenants' PostgreSQL backend, issuing `SET search_path` only when the path changes.

django-tenants sets the search path on every new cursor, or — with `TENANT_LIMIT_SET_CALLS` —
once after each `set_tenant()`. The middleware calls `set_tenant()` on every request, so even
then each request pays a round trip to say what the connection already has. This backend
remembers the path the connection really has and skips the `SET` when a request asks for the
same one again.

"Really has" is kept honest: PostgreSQL undoes a `SET` when the transaction or savepoint that
issued it is rolled back, so a rollback, a savepoint rollback or a closed connection forgets the
remembered path (django-tenants already forgets its own flag there) and the next cursor sets it
again. With a pooler in transaction mode (PgBouncer `pool_mode = transaction`) a session's
settings do not survive between transactions: turn `TENANT_LIMIT_SET_CALLS` off there.
"""

from typing import Any

from django_tenants.postgresql_backend.base import DatabaseWrapper as TenantDatabaseWrapper

from tenants.db_backend.introspection import TenantIntrospection


class DatabaseWrapper(TenantDatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._path_on_connection: list[str] | None = None
        super().__init__(*args, **kwargs)
        # `table_in_schema()`: one index lookup instead of a catalog scan (introspection.py).
        self.introspection = TenantIntrospection(self)

    def set_tenant(self, tenant: Any, include_public: bool = True) -> None:
        super().set_tenant(tenant, include_public)
        if self._path_on_connection and self._get_cursor_search_paths() == self._path_on_connection:
            self.search_path_set_schemas = self._path_on_connection

    def _handle_search_path(self, cursor: Any = None) -> None:
        super()._handle_search_path(cursor)
        # None after a failed SET too: then the path is unknown, and the next cursor sets it.
        done = self.search_path_set_schemas
        self._path_on_connection = list(done) if done else None

    def _forget_path(self) -> None:
        self._path_on_connection = None

    def close(self) -> None:
        self._forget_path()
        super().close()

    def rollback(self) -> None:
        self._forget_path()
        super().rollback()

    def savepoint_rollback(self, sid: str) -> None:
        try:
            super().savepoint_rollback(sid)
        finally:
            self._forget_path()
