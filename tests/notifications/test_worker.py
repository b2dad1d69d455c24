"""A real worker (not eager mode) on the embedded Redis: tasks run in the schema they were sent
from, two practices' tasks interleaved on one worker never touch each other's schema, a task
sent twice sends one email, transient failures are retried, a poison task ends failed without
looping, and a worker process killed mid-send loses nothing.

See harness.py for how the worker shares the test database and gets a queue of its own.
"""

import os
import signal
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Role, User
from coaching.models import Client
from notifications.models import JobRun, Notification, NotificationStatus
from notifications.tasks import deliver_notification, run_practice_job
from tenants.models import Practice
from tenants.provisioning import practice_create, spare_create
from tests.conftest import PASSWORD
from tests.notifications import builders as b
from tests.notifications.harness import RealWorker, start_worker

pytestmark = pytest.mark.worker


def _midday_zone() -> str:
    """A fixed-offset zone where it is around noon now, so reminders are within waking hours
    whenever the suite runs."""
    offset = 12 - timezone.now().hour
    offset = max(-12, min(offset, 12))
    if offset == 0:
        return "Etc/GMT"
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"  # POSIX signs are inverted


def test_this_module_runs_on_a_test_database(db: None) -> None:
    """Also what makes pytest-django create the test database when this file runs alone: it
    only sets one up for a session in which some test asks for `db`."""
    assert str(connection.settings_dict["NAME"]).startswith("test_")


@pytest.fixture(scope="module")
def practices(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[tuple[Practice, Practice]]:
    """Two practices of their own, committed, dropped afterwards (schema and all). Fresh schemas
    start every table at id 1, so the same ids exist in both: a task reading the wrong schema
    would find a row, and the wrong person's."""
    made: list[Practice] = []
    tag = f"{os.getpid()}"
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        if not str(connection.settings_dict["NAME"]).startswith("test_"):
            pytest.fail(
                "No test database was set up (select the whole module, or a test using `db`); "
                "refusing to write committed rows to the development database."
            )
        try:
            for letter in ("a", "b"):
                spare_create()  # replace the spare we are about to claim
                practice = practice_create(
                    name=f"Worker {letter.upper()}",
                    slug=f"wk{letter}{tag}",
                    owner_name=f"Owner {letter.upper()}",
                    owner_email=f"owner@wk{letter}.example.com",
                    password=PASSWORD,
                    time_zone=_midday_zone(),
                ).practice
                made.append(practice)
            yield made[0], made[1]
        finally:
            connection.set_schema_to_public()
            for practice in made:
                practice.delete(force_drop=True)


@pytest.fixture(scope="module")
def worker(
    practices: tuple[Practice, Practice], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[RealWorker]:
    real = start_worker(
        db_name=str(connection.settings_dict["NAME"]), folder=tmp_path_factory.mktemp("worker")
    )
    yield real
    real.stop()


@pytest.fixture(autouse=True)
def _committed(django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    """Autocommit, no wrapping transaction: the worker sees what the test writes."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        yield
        connection.set_schema_to_public()


def _people(practice: Practice, local: str) -> tuple[User, Client]:
    """A coach and a client whose address names the practice, with a follow-up due today and
    an introduction waiting three days."""
    with schema_context(practice.schema_name):
        coach = User.objects.create_user(
            f"coach-{local}@{practice.slug}.example.com", None, name="Cora", role=Role.COACH
        )
        client = b.make_client(
            coach=coach,
            email=f"{local}@{practice.slug}.example.com",
            name=f"Client of {practice.name}",
            time_zone=_midday_zone(),
        )
        now = timezone.now()
        b.follow_up(client, due_on=now.astimezone(client_zone(client)).date())
        b.introduction(client, made_at=now - timedelta(days=3))
        return coach, client


def client_zone(client: Client) -> ZoneInfo:
    return ZoneInfo(client.time_zone)


def _send(practice: Practice, task: object, queue: str, **kwargs: object) -> None:
    """Send a task from inside the practice's schema, as the app does."""
    with schema_context(practice.schema_name):
        task.apply_async(kwargs=kwargs, queue=queue)  # type: ignore[attr-defined]


def _settled(worker: RealWorker, practice: Practice, address: str) -> None:
    """Wait until the rows for `address` are no longer queued (an email is written just before
    its row commits as sent)."""

    def done() -> bool:
        with schema_context(practice.schema_name):
            rows = Notification.objects.filter(to_email=address)
            return rows.exists() and not rows.filter(status=NotificationStatus.QUEUED).exists()

    worker.wait_for(done, why=f"{address} settled")


def _mail_to(worker: RealWorker, address: str) -> list[str]:
    return [m.subject for m in worker.emails() if m.to == address]


def test_two_practices_interleaved_on_one_worker_stay_apart(
    worker: RealWorker, practices: tuple[Practice, Practice]
) -> None:
    a, b_ = practices
    _people(a, "mix")
    _people(b_, "mix")
    for run in range(3):  # A, B, A, B, ...: one worker process switching schema every task
        for practice in (a, b_):
            _send(
                practice,
                run_practice_job,
                worker.queue,
                job="hourly_reminders",
                period=f"mix-{run}",
            )
    expected = {f"mix@{p.slug}.example.com" for p in (a, b_)}
    worker.wait_for(
        lambda: sum(1 for m in worker.emails() if m.to in expected) >= 4, why="four emails"
    )
    for practice in (a, b_):  # the email goes out just before its row commits as sent
        with schema_context(practice.schema_name):
            worker.wait_for(
                lambda: not Notification.objects.filter(status="queued").exists(), why="commit"
            )
    for practice in (a, b_):
        address = f"mix@{practice.slug}.example.com"
        subjects = sorted(_mail_to(worker, address))
        assert len(subjects) == 2, subjects
        assert subjects[1] == "Tom Target is expecting your call"
        for mail in (m for m in worker.emails() if m.to == address):
            assert f"http://{practice.slug}.localhost" in mail.body  # its own host's links
            other = b_ if practice == a else a
            assert other.slug not in mail.body
        with schema_context(practice.schema_name):
            rows = Notification.objects.filter(to_email__startswith="mix@")
            assert {r.to_email for r in rows} == {address}
            assert {r.status for r in rows} == {NotificationStatus.SENT}
            other = b_ if practice == a else a
            assert not Notification.objects.filter(to_email__contains=other.slug).exists()
            runs = JobRun.objects.filter(key__startswith="hourly_reminders:mix-")
            assert sorted(r.status for r in runs) == ["succeeded"] * 3
    with schema_context(a.schema_name):
        a_ids = dict(Notification.objects.values_list("pk", "to_email"))
    with schema_context(b_.schema_name):
        b_ids = dict(Notification.objects.values_list("pk", "to_email"))
    shared = set(a_ids) & set(b_ids)
    assert shared, "the same ids exist in both schemas"
    assert all(a_ids[pk] != b_ids[pk] for pk in shared)


def test_a_job_and_a_delivery_sent_twice_send_one_email(
    worker: RealWorker, practices: tuple[Practice, Practice]
) -> None:
    a, _ = practices
    _people(a, "twice")
    address = f"twice@{a.slug}.example.com"
    _send(a, run_practice_job, worker.queue, job="hourly_reminders", period="twice")
    _send(a, run_practice_job, worker.queue, job="hourly_reminders", period="twice")
    _send(a, run_practice_job, worker.queue, job="hourly_reminders", period="twice-again")
    worker.wait_for(lambda: len(_mail_to(worker, address)) >= 2, why="the first emails")
    with schema_context(a.schema_name):
        ids = list(Notification.objects.filter(to_email=address).values_list("pk", flat=True))
        assert JobRun.objects.get(key="hourly_reminders:twice").attempts == 1
    for pk in ids * 2:
        _send(a, deliver_notification, worker.queue, notification_id=pk)
    _send(a, run_practice_job, worker.queue, job="hourly_reminders", period="after")
    with schema_context(a.schema_name):
        worker.wait_for(
            lambda: JobRun.objects.filter(key="hourly_reminders:after").exists(), why="last job"
        )
    assert len(_mail_to(worker, address)) == 2  # one per occasion, whatever ran twice
    with schema_context(a.schema_name):
        assert {n.attempts for n in Notification.objects.filter(to_email=address)} == {1}


def test_transient_failures_are_retried_with_backoff(
    worker: RealWorker, practices: tuple[Practice, Practice]
) -> None:
    _, b_ = practices
    with schema_context(b_.schema_name):
        coach = User.objects.create_user("coach-flaky@x.example.com", None, role=Role.COACH)
        client = b.make_client(coach=coach, email="flaky-2@b.example.com", time_zone=_midday_zone())
        b.follow_up(client, due_on=timezone.now().astimezone(client_zone(client)).date())
    _send(b_, run_practice_job, worker.queue, job="hourly_reminders", period="flaky")
    worker.wait_for(lambda: _mail_to(worker, "flaky-2@b.example.com"), why="the flaky email")
    _settled(worker, b_, "flaky-2@b.example.com")
    with schema_context(b_.schema_name):
        row = Notification.objects.get(to_email="flaky-2@b.example.com")
        assert (row.status, row.attempts, row.last_error) == ("sent", 3, "")
    assert len(_mail_to(worker, "flaky-2@b.example.com")) == 1


def test_a_poison_task_fails_visibly_and_the_worker_carries_on(
    worker: RealWorker, practices: tuple[Practice, Practice]
) -> None:
    a, _ = practices
    with schema_context(a.schema_name):
        user = User.objects.create_user("poison@a.example.com", None, role=Role.CLIENT)
        poison = Notification.objects.create(
            dedupe_key="poison:1",
            kind="follow_ups_due",
            topic="follow_ups",
            user=user,
            to_email=user.email,
            subject="Line one\nBcc: everyone@example.com",
            body_text="x",
        )
    _send(a, deliver_notification, worker.queue, notification_id=poison.pk)
    _send(a, run_practice_job, worker.queue, job="nonsense", period="poison")  # unknown job
    _people(a, "after-poison")
    _send(a, run_practice_job, worker.queue, job="hourly_reminders", period="after-poison")
    worker.wait_for(
        lambda: _mail_to(worker, f"after-poison@{a.slug}.example.com"), why="the next email"
    )
    with schema_context(a.schema_name):
        poison.refresh_from_db()
        assert (poison.status, poison.attempts) == ("failed", 1)
        assert "BadHeaderError" in poison.last_error
    assert "poison@a.example.com" not in {m.to for m in worker.emails()}
    assert "Unknown job 'nonsense'" in worker.log.read_text()


def test_a_worker_killed_mid_send_loses_nothing(
    worker: RealWorker, practices: tuple[Practice, Practice]
) -> None:
    """acks_late + reject-on-worker-lost: the message goes back to the queue when the process
    running it dies; the outbox row never committed, so the next attempt sends, once."""
    a, _ = practices
    with schema_context(a.schema_name):
        coach = User.objects.create_user("coach-slow@x.example.com", None, role=Role.COACH)
        client = b.make_client(coach=coach, email="slow@a.example.com", time_zone=_midday_zone())
        b.follow_up(client, due_on=timezone.now().astimezone(client_zone(client)).date())
    _send(a, run_practice_job, worker.queue, job="hourly_reminders", period="slow")
    pid_file = Path(worker.mail_dir) / "slow.pid"
    pid = int(worker.wait_for(lambda: pid_file.exists() and pid_file.read_text(), why="send"))
    assert pid != worker.process.pid  # the pool's child process, started by our worker
    os.kill(pid, signal.SIGKILL)
    worker.wait_for(lambda: _mail_to(worker, "slow@a.example.com"), why="the resent email")
    _settled(worker, a, "slow@a.example.com")
    with schema_context(a.schema_name):
        row = Notification.objects.get(to_email="slow@a.example.com")
        assert (row.status, row.attempts) == ("sent", 1)
    assert len(_mail_to(worker, "slow@a.example.com")) == 1
