"""The project's PostgreSQL backend (tenants.db_backend), starting the embedded server on first
connection.

Starting lazily (rather than when settings load) keeps tools that import settings without
touching the database — mypy's Django plugin, `collectstatic` — from launching PostgreSQL.
"""

from typing import Any

from embedded import postgres
from tenants.db_backend.base import DatabaseWrapper as TenantDatabaseWrapper


class DatabaseWrapper(TenantDatabaseWrapper):
    def get_connection_params(self) -> dict[str, Any]:
        server = postgres.ensure_running()
        self.settings_dict["HOST"] = server.socket_dir
        params: dict[str, Any] = super().get_connection_params()
        params["host"] = server.socket_dir
        return params
