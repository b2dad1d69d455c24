"""The beat job: one sweep per live practice, sent from inside that practice's schema; exports
whose task was lost or whose worker died are sent again; one failing step does not stop the
others. (The broker itself is replaced by a list: what is under test is what gets sent where.)"""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from coaching.lifecycle import exports, sweep, tasks
from coaching.lifecycle.exports import export_request
from coaching.lifecycle.models import ExportJob


def test_beat_sends_one_sweep_per_practice_from_inside_its_schema(
    practice, other_practice, monkeypatch
):
    sent: list[str] = []
    monkeypatch.setattr(
        tasks, "enqueue", lambda task, *args: sent.append(connection.schema_name) or True
    )

    queued = tasks.sweep_task()

    assert {practice.schema_name, other_practice.schema_name} <= set(sent)
    assert queued == len(sent)
    assert "public" not in sent


def test_lost_and_abandoned_exports_are_sent_again(world, coach, monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(exports, "enqueue", lambda task, pk: sent.append(pk) or True)
    now = timezone.now()
    fresh = export_request(actor=coach, client=world.search)
    lost = ExportJob.objects.create(kind="practice", requested_by=coach)
    dead = ExportJob.objects.create(kind="client", client=world.search, status="running")
    ExportJob.objects.filter(pk=lost.pk).update(updated_at=now - timedelta(minutes=3))
    ExportJob.objects.filter(pk=dead.pk).update(updated_at=now - timedelta(minutes=20))

    assert exports.exports_to_queue(now=now) == sorted([lost.pk, dead.pk])
    assert sent == sorted([lost.pk, dead.pk])
    assert fresh.pk not in sent
    # Stamped: the lost one is not sent again until REQUEUE_AFTER has passed once more.
    assert exports.exports_to_queue(now=now + timedelta(seconds=30)) == [dead.pk]


def test_a_failing_step_is_logged_and_the_others_still_run(world, coach, monkeypatch, caplog):
    def broken(**_: object) -> list[int]:
        raise RuntimeError("retention is broken")

    monkeypatch.setattr(sweep, "retention_apply", broken)
    from coaching.lifecycle.deletion import client_deletion_schedule

    request = client_deletion_schedule(client=world.search, actor=coach)

    result = sweep.practice_sweep(now=request.due_at + timedelta(minutes=1))

    assert result.failed == ["retention"]
    assert result.clients_deleted == [request.pk]
    assert "retention failed" in caplog.text
