"""Mail delivered over real SMTP sessions is read by a real Celery worker on the embedded Redis,
and a worker killed (SIGKILL, with its pool) in the middle of a batch loses nothing and doubles
nothing: the messages still in the queue go to the next worker, the one the dead worker held
(unacknowledged in Redis until the visibility timeout, its transaction rolled back) is sent
again by the sweeper, and a message that arrives twice is one message.

Committed rows in a practice of the module's own (the SMTP server's threads and the worker are
other sessions), dropped afterwards; the worker consumes a queue of its own (see
smtp_worker_harness.py).
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tenants.utils import schema_context

from coaching.capture.models import CapturedInteraction, InboundMail, InboundMailStatus
from coaching.capture.smtp import make_controller
from config.celery_app import enqueue
from notifications.sweeper import PER_PRACTICE, broker_backlog
from tenants.models import Practice
from tests.capture import smtp_worker_harness as h

pytestmark = [pytest.mark.worker, pytest.mark.slow]

BATCH = 120


def test_this_module_runs_on_a_test_database(db: None) -> None:
    """Also what makes pytest-django create the test database when this file runs alone."""
    assert str(connection.settings_dict["NAME"]).startswith("test_")


@pytest.fixture(scope="module")
def mailboxes(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[tuple[Practice, list[h.Mailbox], int]]:
    made: list[Practice] = []
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert str(connection.settings_dict["NAME"]).startswith("test_")
        controller = None
        try:
            practice, boxes = h.practice_with_clients(slug=f"kill{os.getpid()}", clients=2)
            made.append(practice)
            port = h.free_port()
            controller = make_controller(host="127.0.0.1", port=port)
            controller.start()
            yield practice, boxes, port
        finally:
            if controller is not None:
                controller.stop()
            connection.set_schema_to_public()
            for each in made:
                each.delete(force_drop=True)


@pytest.fixture
def committed(django_db_blocker: pytest.FixtureRequest) -> Iterator[None]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        yield
        connection.set_schema_to_public()


def _sweep_inbound_mail(practice: Practice, *, later: timedelta) -> int:
    """The sweeper's pass over this practice's inbound mail, `later` from now (only this
    practice: the test database may hold other tests' practices and jobs)."""
    (outbox,) = [o for o in PER_PRACTICE if o.name == "inbound_mail"]
    waited = timedelta(seconds=settings.JOBS_REQUEUE_AFTER_SECONDS)
    with schema_context(practice.schema_name):
        due = outbox.due(timezone.now() + later, waited)
        return sum(enqueue(outbox.task, *args) for args in due)


def test_a_worker_killed_mid_batch_loses_nothing_and_doubles_nothing(
    mailboxes: tuple[Practice, list[h.Mailbox], int], committed: None, tmp_path: Path
) -> None:
    practice, boxes, port = mailboxes
    deliveries, ids = [], []
    for n in range(BATCH):
        box = boxes[n % 2]
        message_id, raw = h.bcc_message(box, n, tag=f"kill{os.getpid()}")
        ids.append(message_id)
        deliveries.append((box.email, box.address, raw))
    db_name = str(connection.settings_dict["NAME"])
    first = h.start_worker(db_name=db_name, folder=tmp_path)
    second = None

    def rows(status: str) -> int:
        with schema_context(practice.schema_name):
            return InboundMail.objects.filter(status=status).count()

    try:
        with h.tasks_to(first.queue):
            h.send_all(port=port, deliveries=deliveries, per_session=10)
            h.wait_for(lambda: rows(InboundMailStatus.DONE) >= 5, timeout=120, why="a start")
            first.kill()  # the worker and its pool, mid-batch
            waiting = rows(InboundMailStatus.QUEUED)
            assert waiting > 0, "the worker finished the batch before it was killed"

            # A sending server that saw no answer delivers some messages again.
            h.send_all(port=port, deliveries=deliveries[:10], per_session=10)

            second = h.start_worker(db_name=db_name, folder=tmp_path, queue=first.queue)

            # The messages left in the queue: read by the new worker. The one the dead worker
            # held is not handed out again before the visibility timeout; the sweeper sends it.
            swept: list[int] = []

            def swept_and_read() -> bool:
                with override_settings(CELERY_TASK_DEFAULT_QUEUE=first.queue):
                    if broker_backlog() == 0:  # the sweeper leaves a busy queue alone
                        swept.append(_sweep_inbound_mail(practice, later=timedelta(minutes=10)))
                return rows(InboundMailStatus.QUEUED) == 0

            h.wait_for(
                swept_and_read,
                timeout=180,
                every=2,
                why=f"every message read ({waiting} were waiting when the worker died)",
            )
        print(f"{waiting} waiting when the worker died; the sweeper sent {sum(swept)} again")
    finally:
        first.stop()
        if second is not None:
            second.stop()

    with schema_context(practice.schema_name):
        mail = Counter(InboundMail.objects.values_list("message_id", flat=True))
        assert mail == Counter(set(ids))  # one row per Message-ID, no more, no fewer
        assert set(InboundMail.objects.values_list("status", flat=True)) == {"done"}
        assert set(InboundMail.objects.values_list("attempts", flat=True)) == {1}
        captured = Counter(
            CapturedInteraction.objects.values_list("person_email", flat=True)
        )  # each message is to its own person: one captured exchange per Message-ID
    assert captured == Counter({f"person{n}@company{n % 50}.test": 1 for n in range(BATCH)})
