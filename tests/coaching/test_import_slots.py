"""A practice runs at most IMPORTS_MAX_CONCURRENT_PER_PRACTICE imports at once; the others stay
queued (the sweeper sends them again) and run once a slot is free. A run whose heartbeat went
silent no longer holds its slot."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from coaching.choices import ImportKind, ImportStatus
from coaching.models import ImportJob
from coaching.services.imports import import_run, import_start, imports_to_queue

CSV = b"name,email\nAnn Archer,ann@example.com\n"


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    from coaching import tasks

    monkeypatch.setattr(tasks.import_run_task, "delay", lambda job_id: None)


def _queued(search: Any, coach: Any) -> ImportJob:
    return import_start(
        client=search, actor=coach, kind=ImportKind.CONTACTS_CSV, payload=CSV, filename="c.csv"
    )


def _running(job: ImportJob, *, heartbeat_seconds_ago: int = 0) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.RUNNING,
        started_at=timezone.now(),
        updated_at=timezone.now() - timedelta(seconds=heartbeat_seconds_ago),
    )


def test_a_practice_runs_at_most_its_share_of_imports_at_once(
    search: Any, coach: Any, settings: Any
) -> None:
    settings.IMPORTS_MAX_CONCURRENT_PER_PRACTICE = 2
    first, second, third = (_queued(search, coach) for _ in range(3))
    _running(first)
    _running(second)

    waiting = import_run(job_id=third.pk)
    assert waiting.status == ImportStatus.QUEUED
    assert waiting.attempts == 0  # waiting for a slot costs no attempt

    later = timezone.now() + timedelta(seconds=settings.JOBS_REQUEUE_AFTER_SECONDS + 1)
    assert third.pk in imports_to_queue(now=later, waited=timedelta(seconds=120))

    ImportJob.objects.filter(pk=first.pk).update(status=ImportStatus.SUCCEEDED)
    done = import_run(job_id=third.pk)
    assert done.status == ImportStatus.SUCCEEDED


def test_a_run_gone_silent_does_not_hold_a_slot(search: Any, coach: Any, settings: Any) -> None:
    settings.IMPORTS_MAX_CONCURRENT_PER_PRACTICE = 1
    stuck, waiting = _queued(search, coach), _queued(search, coach)
    _running(stuck, heartbeat_seconds_ago=settings.JOBS_LEASE_SECONDS + 5)
    assert import_run(job_id=waiting.pk).status == ImportStatus.SUCCEEDED
