from django.db import connection
from django.http import HttpRequest

from tenants.models import Practice


def request_practice(request: HttpRequest) -> Practice:
    """The practice whose host the request came to (set by `tenants.middleware`)."""
    practice: Practice = request.tenant  # type: ignore[attr-defined]
    return practice


def active_practice() -> Practice:
    """The practice whose schema the connection is using (a request's practice, a task's, or a
    `schema_context`'s — the latter carries only the schema name, so the row is looked up)."""
    tenant = getattr(connection, "tenant", None)
    if isinstance(tenant, Practice):
        return tenant
    return Practice.objects.get(schema_name=connection.schema_name)  # type: ignore[attr-defined]


def active_schema() -> str:
    """The schema name the connection is using."""
    return str(connection.schema_name)  # type: ignore[attr-defined]
