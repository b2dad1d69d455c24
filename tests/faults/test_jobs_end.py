"""Every import ends, `succeeded` or `failed` with a reason a person can act on: whatever is in
the file, whatever happens to the database mid-run, whatever became of the worker, and whatever
became of the practice's subscription while the job waited. Emails whose task was lost are sent
again, and given up after their tries."""

import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from accounts.models import Role, User
from billing.services import billing_account_for
from coaching.choices import ImportKind, ImportStatus
from coaching.models import ActivityEvent, Client, Contact, ImportJob
from coaching.services import client_create
from coaching.services.imports import MAX_ATTEMPTS, import_run, import_start, imports_to_queue
from notifications.models import Notification, NotificationStatus
from notifications.services import MAX_TRIES, STALE_AFTER, notifications_to_queue
from tenants.models import Practice
from tests.conftest import SeededPractice

WAITED = timedelta(minutes=2)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests run the jobs themselves; the upload's task is not sent anywhere."""
    from coaching import tasks

    monkeypatch.setattr(tasks.import_run_task, "delay", lambda job_id: None)


@pytest.fixture
def job_client(coach: User) -> Client:
    user = User.objects.create_user("jobs@alpha.example.com", None, role=Role.CLIENT)
    return client_create(actor=coach, user=user, coach=coach, search_started_on=date(2024, 1, 8))


def _run(client: Client, coach: User, payload: bytes) -> ImportJob:
    job = import_start(
        client=client, actor=coach, kind=ImportKind.CONTACTS_CSV, payload=payload, filename="f"
    )
    return import_run(job_id=job.pk)


def _reason(job: ImportJob) -> str:
    [error] = job.errors
    return str(error["message"])


def test_a_file_with_nul_bytes_ends_failed_saying_why(job_client: Client, coach: User) -> None:
    job = _run(job_client, coach, b"name,email\nAnn\x00Archer,ann@example.com\n")

    assert job.status == ImportStatus.FAILED
    assert "NUL" in _reason(job)
    assert job.finished_at is not None
    assert not Contact.objects.filter(client=job_client).exists()


def test_a_cut_off_utf16_file_ends_failed_saying_why(job_client: Client, coach: User) -> None:
    payload = "name,company\nJürgen Weiß,Société Générale\n".encode("utf-16")[:-1]

    job = _run(job_client, coach, payload)

    assert job.status == ImportStatus.FAILED
    assert "cut off" in _reason(job)
    assert not Contact.objects.filter(client=job_client).exists()


def test_a_job_whose_worker_died_is_run_again_by_the_sweeper(
    job_client: Client, coach: User
) -> None:
    job = import_start(
        client=job_client, actor=coach, kind=ImportKind.CONTACTS_CSV, payload=b"name\nAnn\nBob\n"
    )
    # What a worker killed mid-run leaves behind: `running`, its heartbeat long silent.
    silent = timezone.now() - timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, attempts=1, started_at=silent, updated_at=silent
    )

    assert imports_to_queue(now=timezone.now(), waited=WAITED) == [job.pk]
    job.refresh_from_db()
    assert (job.status, job.attempts) == (ImportStatus.QUEUED, 1)
    assert imports_to_queue(now=timezone.now(), waited=WAITED) == []  # sent once per interval

    job = import_run(job_id=job.pk)
    assert (job.status, job.attempts) == (ImportStatus.SUCCEEDED, 2)
    assert Contact.objects.filter(client=job_client).count() == 2
    assert import_run(job_id=job.pk).status == ImportStatus.SUCCEEDED  # a late duplicate: no-op
    assert Contact.objects.filter(client=job_client).count() == 2


def test_a_duplicate_task_leaves_a_live_run_alone(job_client: Client, coach: User) -> None:
    job = import_start(
        client=job_client, actor=coach, kind=ImportKind.CONTACTS_CSV, payload=b"name\nAnn\n"
    )
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, attempts=1, started_at=timezone.now()
    )

    assert import_run(job_id=job.pk).status == ImportStatus.RUNNING  # its heartbeat is fresh
    assert imports_to_queue(now=timezone.now(), waited=WAITED) == []
    assert not Contact.objects.filter(client=job_client).exists()


def test_a_job_that_keeps_losing_its_worker_ends_failed(job_client: Client, coach: User) -> None:
    job = import_start(
        client=job_client, actor=coach, kind=ImportKind.CONTACTS_CSV, payload=b"name\nAnn\n"
    )
    silent = timezone.now() - timedelta(hours=1)
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING, attempts=MAX_ATTEMPTS, started_at=silent, updated_at=silent
    )

    assert imports_to_queue(now=timezone.now(), waited=WAITED) == []

    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert f"stopped before it finished {MAX_ATTEMPTS} times" in _reason(job)
    assert not Contact.objects.filter(client=job_client).exists()


def test_a_queued_job_whose_task_was_never_sent_is_swept(job_client: Client, coach: User) -> None:
    job = import_start(
        client=job_client, actor=coach, kind=ImportKind.CONTACTS_CSV, payload=b"name\nAnn\n"
    )
    assert imports_to_queue(now=timezone.now(), waited=WAITED) == []  # just queued: leave it
    later = timezone.now() + WAITED + timedelta(seconds=1)
    assert imports_to_queue(now=later, waited=WAITED) == [job.pk]


def test_a_read_only_practice_s_import_fails_and_writes_nothing(
    job_client: Client, coach: User, practice: Practice, settings: Any
) -> None:
    """Accepted while the practice could write; run after its trial ended."""
    job = import_start(
        client=job_client, actor=coach, kind=ImportKind.CONTACTS_CSV, payload=b"name\nAnn\nBob\n"
    )
    settings.STRIPE_SECRET_KEY = "sk_test_warmpath"
    account = billing_account_for(practice=practice)
    account.trial_ends_at = timezone.now() - timedelta(minutes=1)
    account.save()

    job = import_run(job_id=job.pk)

    assert job.status == ImportStatus.FAILED
    assert _reason(job).startswith("The practice is read-only")
    assert not Contact.objects.filter(client=job_client).exists()
    assert not ActivityEvent.objects.filter(client=job_client, verb="import.succeeded").exists()


# --- the database goes away mid-import -----------------------------------------------------


def test_this_module_runs_on_a_test_database(db: None) -> None:
    """Also what makes pytest-django create the test database when this file runs alone."""
    assert str(connection.settings_dict["NAME"]).startswith("test_")


@pytest.fixture
def committed_client(
    seeded: dict[str, SeededPractice], django_db_blocker: pytest.FixtureRequest
) -> Iterator[tuple[Client, User]]:
    """A client in practice A, committed (the import's connection is cut from outside, which a
    test transaction would not survive); removed afterwards."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert str(connection.settings_dict["NAME"]).startswith("test_")
        practice = Practice.objects.get(pk=seeded["a"].practice_id)
        connection.set_tenant(practice)
        coach = User.objects.get(email="coach@alpha.example.com")
        user = User.objects.create_user("cut@alpha.example.com", None, role=Role.CLIENT)
        client = client_create(actor=coach, user=user, coach=coach, search_started_on=date.today())
        try:
            yield client, coach
        finally:
            connection.close()  # possibly the cut one
            connection.set_tenant(practice)
            client.delete()
            user.delete()
            connection.set_schema_to_public()


def _cut_when_running(job_pk: int, schema_name: str, backend_pid: int) -> threading.Thread:
    """From a connection of its own: once the import has committed progress, terminate the
    import's database session, as a PostgreSQL restart would."""

    def watch() -> None:
        other = connections.create_connection("default")
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                with other.cursor() as cursor:
                    cursor.execute(
                        f'SELECT processed_rows FROM "{schema_name}"."coaching_importjob" '
                        "WHERE id = %s",
                        [job_pk],
                    )
                    row = cursor.fetchone()
                    if row and row[0] > 0:
                        cursor.execute("SELECT pg_terminate_backend(%s)", [backend_pid])
                        return
                time.sleep(0.005)
        finally:
            other.close()

    return threading.Thread(target=watch)


def test_a_database_lost_mid_import_ends_failed_saying_why(
    committed_client: tuple[Client, User],
) -> None:
    client, coach = committed_client
    rows = "".join(f"Person {n},person{n}@example.com\n" for n in range(30_000))
    job = import_start(
        client=client,
        actor=coach,
        kind=ImportKind.CONTACTS_CSV,
        payload=f"name,email\n{rows}".encode(),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    watcher = _cut_when_running(job.pk, connection.schema_name, pid)  # type: ignore[attr-defined]
    watcher.start()

    job = import_run(job_id=job.pk)
    watcher.join()

    assert job.status == ImportStatus.FAILED
    assert "connection to the database was lost" in _reason(job)
    job.refresh_from_db()  # what was committed, read on a new connection
    assert job.status == ImportStatus.FAILED
    assert job.finished_at is not None
    assert not Contact.objects.filter(client=client).exists()


# --- emails ----------------------------------------------------------------------------------


def _email(user: User, key: str, **fields: Any) -> Notification:
    return Notification.objects.create(
        dedupe_key=key,
        kind="follow_ups_due",
        topic="follow_ups",
        user=user,
        to_email=user.email,
        subject="Follow-ups due",
        body_text="…",
        **fields,
    )


def test_an_email_whose_task_was_lost_is_swept_once_per_interval_then_given_up(
    coach: User,
) -> None:
    now = timezone.now()
    lost = _email(coach, "lost", created_at=now - timedelta(minutes=5))
    tired = _email(
        coach,
        "tired",
        attempts=MAX_TRIES,
        last_attempt_at=now - STALE_AFTER - timedelta(minutes=1),
        last_error="SMTPServerDisconnected: gone",
    )

    assert notifications_to_queue(now=now, waited=WAITED) == [lost.pk]
    assert notifications_to_queue(now=now + WAITED, waited=WAITED) == []  # stamped
    later = now + STALE_AFTER + timedelta(seconds=1)
    assert notifications_to_queue(now=later, waited=WAITED) == [lost.pk]

    tired.refresh_from_db()
    assert tired.status == NotificationStatus.FAILED
    assert tired.last_error.startswith(f"Gave up after {MAX_TRIES} tries; last: ")
