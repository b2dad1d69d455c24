"""The backend skips `SET search_path` when the connection already has the path, and never
trusts a path that a rollback has undone: every query runs in the schema set for it."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from tenants.models import Practice


def _path_on_server() -> str:
    """Asked on the driver's own connection: Django's cursor would set the path first."""
    row = connection.connection.execute("SHOW search_path").fetchone()
    return str(row[0])


def _sets(captured: CaptureQueriesContext) -> int:
    return sum(q["sql"].startswith("SET search_path") for q in captured.captured_queries)


def _owner_emails() -> list[str]:
    return list(User.objects.filter(role="owner").values_list("email", flat=True))


def test_setting_the_same_practice_again_costs_no_statement(practice: Practice) -> None:
    _owner_emails()  # the path is now on the connection
    with CaptureQueriesContext(connection) as captured:
        connection.set_schema_to_public()
        connection.set_tenant(practice)
        assert _owner_emails() == ["owner@alpha.example.com"]
    assert _sets(captured) == 0


def test_switching_practices_sets_the_path_each_time(
    practice: Practice, other_practice: Practice
) -> None:
    with CaptureQueriesContext(connection) as captured:
        for tenant, email in (
            (other_practice, "bravo"),
            (practice, "alpha"),
            (other_practice, "bravo"),
        ):
            connection.set_tenant(tenant)
            assert _owner_emails() == [f"owner@{email}.example.com"]
    assert _sets(captured) == 3  # fmt: skip


def test_a_schema_switch_undone_by_a_savepoint_rollback_is_set_again(
    practice: Practice, other_practice: Practice
) -> None:
    _owner_emails()  # alpha's path on the server
    sid = transaction.savepoint()
    connection.set_tenant(other_practice)
    assert _owner_emails() == ["owner@bravo.example.com"]  # SET bravo, inside the savepoint
    transaction.savepoint_rollback(sid)
    assert _path_on_server().startswith(practice.schema_name)  # PostgreSQL undid the SET
    # Asking for bravo again must not trust the bravo path the connection remembers setting.
    connection.set_tenant(other_practice)
    assert _owner_emails() == ["owner@bravo.example.com"]
    assert _path_on_server().startswith(other_practice.schema_name)


def _switch_then_fail(tenant: Practice) -> None:
    with transaction.atomic():
        connection.set_tenant(tenant)
        assert _owner_emails() == [f"owner@{tenant.slug}.example.com"]
        raise RuntimeError("undo")


def test_a_failed_atomic_block_leaves_queries_in_the_chosen_schema(
    practice: Practice, other_practice: Practice
) -> None:
    _owner_emails()
    with pytest.raises(RuntimeError):
        _switch_then_fail(other_practice)
    assert _owner_emails() == ["owner@bravo.example.com"]
    assert _path_on_server().startswith(other_practice.schema_name)
    connection.set_tenant(practice)
    assert _owner_emails() == ["owner@alpha.example.com"]
    assert _path_on_server().startswith(practice.schema_name)
