"""Fair background work: one practice's big imports never starve another practice's small one.

A real worker with two processes (WORKER_CONCURRENCY's default) and the default
IMPORTS_MAX_CONCURRENT_PER_PRACTICE. Practice A uploads two big files, practice B a small one
just after. A's first file takes one process; A's second finds A's slot taken and gives its
process back at once (it stays queued); B's file runs on that process and succeeds while A's
first is still running. When A's first ends, its run sends A's second (no sweeper runs here),
which then succeeds too. With a cap of 2, as before, A's two files held both processes and B
waited for one of them to finish.
"""

import secrets
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import Role, User
from coaching import tasks
from coaching.choices import ImportKind, ImportStatus
from coaching.models import Client, Contact, ImportJob
from coaching.services import client_create
from coaching.services.imports import import_start
from tenants.models import Practice
from tests.conftest import SeededPractice
from tests.faults.live import Worker, environment, start_worker

pytestmark = pytest.mark.worker

BIG_ROWS = 30_000


def test_this_module_runs_on_a_test_database(db: None) -> None:
    """Also what makes pytest-django create the test database when this file runs alone."""
    assert str(connection.settings_dict["NAME"]).startswith("test_")


@pytest.fixture
def searches(
    seeded: dict[str, SeededPractice], django_db_blocker: pytest.FixtureRequest
) -> Iterator[dict[str, tuple[Practice, Client, User]]]:
    """A client in practice A and one in practice B, committed (the worker is another
    process); removed afterwards with what was imported."""
    made: dict[str, tuple[Practice, Client, User]] = {}
    tag = secrets.token_hex(3)
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert str(connection.settings_dict["NAME"]).startswith("test_")
        try:
            for key, slug in (("a", "alpha"), ("b", "bravo")):
                practice = Practice.objects.get(pk=seeded[key].practice_id)
                connection.set_tenant(practice)
                coach = User.objects.get(email=f"coach@{slug}.example.com")
                user = User.objects.create_user(
                    f"fair-{tag}@{slug}.example.com", None, role=Role.CLIENT
                )
                client = client_create(
                    actor=coach, user=user, coach=coach, search_started_on=date.today()
                )
                made[key] = (practice, client, coach)
            yield made
        finally:
            for practice, client, _coach in made.values():
                connection.set_tenant(practice)
                with connection.cursor() as cursor:
                    cursor.execute("DELETE FROM coaching_contact WHERE client_id = %s", [client.pk])
                ImportJob.objects.filter(client=client).delete()
                user = client.user
                client.delete()
                user.delete()
            connection.set_schema_to_public()


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[Worker]:
    env = environment(WARMPATH_TEST_DB_NAME=str(connection.settings_dict["NAME"]))
    env.pop("IMPORTS_MAX_CONCURRENT_PER_PRACTICE", None)  # the default is what is proved
    real = start_worker(
        env=env, folder=tmp_path, queue=f"fair-{secrets.token_hex(4)}", concurrency=2
    )
    yield real
    real.stop()


def _csv(rows: int, *, prefix: str) -> bytes:
    lines = "".join(f"{prefix} {n},{prefix}{n}@example.com,Acme {n % 97}\n" for n in range(rows))
    return f"name,email,company\n{lines}".encode()


def test_a_small_practice_import_finishes_while_a_big_practice_imports(
    searches: dict[str, tuple[Practice, Client, User]],
    worker: Worker,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        tasks.import_run_task,
        "delay",
        lambda job_id: tasks.import_run_task.apply_async((job_id,), queue=worker.queue),
    )
    practice_a, client_a, coach_a = searches["a"]
    practice_b, client_b, coach_b = searches["b"]

    connection.set_tenant(practice_a)
    big = [
        import_start(
            client=client_a,
            actor=coach_a,
            kind=ImportKind.CONTACTS_CSV,
            payload=_csv(BIG_ROWS, prefix=f"Big{i}"),
            filename=f"big-{i}.csv",
        ).pk
        for i in (1, 2)
    ]
    connection.set_tenant(practice_b)
    small = import_start(
        client=client_b,
        actor=coach_b,
        kind=ImportKind.CONTACTS_CSV,
        payload=_csv(20, prefix="Small"),
        filename="small.csv",
    ).pk

    def status(practice: Practice, pk: int) -> str:
        with schema_context(practice.schema_name):
            return str(ImportJob.objects.values_list("status", flat=True).get(pk=pk))

    worker.wait_for(
        lambda: status(practice_b, small) in (ImportStatus.SUCCEEDED, ImportStatus.FAILED),
        timeout=120,
        why="the small practice's import to end",
    )
    seen = {pk: status(practice_a, pk) for pk in big}

    assert status(practice_b, small) == ImportStatus.SUCCEEDED
    assert sorted(seen.values()) == [ImportStatus.QUEUED, ImportStatus.RUNNING], seen

    worker.wait_for(
        lambda: all(status(practice_a, pk) == ImportStatus.SUCCEEDED for pk in big),
        timeout=300,
        why="both big imports to succeed, the second sent by the first's end",
    )
    with schema_context(practice_a.schema_name):
        assert Contact.objects.filter(client=client_a).count() == 2 * BIG_ROWS
    with schema_context(practice_b.schema_name):
        assert Contact.objects.filter(client=client_b).count() == 20
