"""A worker process SIGKILLed in the middle of an import: the file is imported exactly once.

A real worker (prefork, one child) runs a 20,000-row import; once the job has committed progress
the child is killed. Nothing it did was committed but progress (the rows are written in one
transaction at the end). Celery hands the message back (`reject_on_worker_lost`): if the new
child gets it while the dead run's heartbeat is still fresh it leaves the job alone, and the
sweeper (sent every second here, as beat sends it every minute) takes the job over once its
lease (3 s here) has passed; if the lease has passed already, the redelivered task takes over
itself. Either way the job ends `succeeded` after its second run, with every row imported once
and one timeline entry.
"""

import os
import secrets
import signal
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psutil
import pytest
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import Role, User
from coaching import tasks
from coaching.choices import ImportKind, ImportStatus
from coaching.models import ActivityEvent, Client, Contact, ImportJob
from coaching.services import client_create
from coaching.services.imports import import_start
from embedded import redis as embedded_redis
from tenants.models import Practice
from tests.conftest import SeededPractice
from tests.faults.live import Worker, environment, send_task, start_worker

pytestmark = pytest.mark.worker

ROWS = 20_000


def test_this_module_runs_on_a_test_database(db: None) -> None:
    """Also what makes pytest-django create the test database when this file runs alone."""
    assert str(connection.settings_dict["NAME"]).startswith("test_")


@pytest.fixture
def search(
    seeded: dict[str, SeededPractice], django_db_blocker: pytest.FixtureRequest
) -> Iterator[tuple[Client, User]]:
    """A client in practice A, committed (the worker is another process); removed after."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert str(connection.settings_dict["NAME"]).startswith("test_")
        practice = Practice.objects.get(pk=seeded["a"].practice_id)
        connection.set_tenant(practice)
        coach = User.objects.get(email="coach@alpha.example.com")
        user = User.objects.create_user("killed@alpha.example.com", None, role=Role.CLIENT)
        client = client_create(actor=coach, user=user, coach=coach, search_started_on=date.today())
        try:
            yield client, coach
        finally:
            connection.set_tenant(practice)
            with connection.cursor() as cursor:  # 20,000 plain rows: no need for the collector
                cursor.execute("DELETE FROM coaching_contact WHERE client_id = %s", [client.pk])
            client.delete()
            user.delete()
            connection.set_schema_to_public()


@pytest.fixture
def worker(tmp_path: Path) -> Iterator[Worker]:
    env = environment(
        WARMPATH_TEST_DB_NAME=str(connection.settings_dict["NAME"]),
        JOBS_LEASE_SECONDS="3",
        JOBS_REQUEUE_AFTER_SECONDS="1",
    )
    real = start_worker(env=env, folder=tmp_path, queue=f"faults-{secrets.token_hex(4)}")
    yield real
    real.stop()


def _pool_child(worker: Worker) -> psutil.Process | None:
    children = psutil.Process(worker.process.pid).children()
    return children[0] if len(children) == 1 else None


def test_a_worker_killed_mid_import_imports_the_file_exactly_once(
    search: tuple[Client, User], worker: Worker, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, coach = search
    schema_name = connection.schema_name  # type: ignore[attr-defined]
    # The upload's task goes to this test's worker (the app sends to its default queue).
    monkeypatch.setattr(
        tasks.import_run_task,
        "delay",
        lambda job_id: tasks.import_run_task.apply_async((job_id,), queue=worker.queue),
    )
    rows = "".join(f"Person {n},person{n}@example.com,Acme {n % 97}\n" for n in range(ROWS))
    job = import_start(
        client=client,
        actor=coach,
        kind=ImportKind.CONTACTS_CSV,
        payload=f"name,email,company\n{rows}".encode(),
        filename="big.csv",
    )

    def progressing() -> bool:
        job.refresh_from_db()
        return job.status == ImportStatus.RUNNING and job.processed_rows > 0

    worker.wait_for(progressing, why="the import to be under way")
    child = _pool_child(worker)
    assert child is not None
    os.kill(child.pid, signal.SIGKILL)

    def replaced() -> bool:
        new = _pool_child(worker)
        return new is not None and new.pid != child.pid

    worker.wait_for(replaced, why="a new pool child")

    def finished() -> bool:
        job.refresh_from_db()
        if job.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED):
            return True
        send_task(embedded_redis.url(), "notifications.sweep", queue=worker.queue)  # as beat
        time.sleep(1)
        return False

    worker.wait_for(finished, timeout=120, why="the import to be taken over and finished")

    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.attempts == 2
    with schema_context(schema_name):
        assert Contact.objects.filter(client=client).count() == ROWS
        assert Contact.objects.filter(client=client).values("email").distinct().count() == ROWS
        timeline = ActivityEvent.objects.filter(client=client, verb="import.succeeded")
        assert timeline.count() == 1
        assert ImportJob.objects.get(pk=job.pk).summary["created"] == ROWS
