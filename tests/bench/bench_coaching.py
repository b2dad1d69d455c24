"""Benchmarks for the coaching app; not part of the default run (pytest ignores tests/bench).

Run explicitly:
    .venv/bin/pytest tests/bench/bench_coaching.py -s -p no:cacheprovider -o addopts=""

- a 50,000-row LinkedIn Connections.csv import (target: under 30 s), and a re-import of the same
  file, which merges every row (the duplicate path);
- the 250,000-interaction, 500-client benchmark practice (target: under two minutes).
"""

import time

import pytest

from coaching.choices import ImportKind, ImportStatus
from coaching.demo import generate_benchmark
from coaching.models import Contact, Interaction
from coaching.services import client_create
from coaching.services.imports import import_run, import_start

ROWS = 50_000


def _linkedin_file(rows: int) -> bytes:
    lines = [
        "Notes:",
        '"When exporting your connection data, some email addresses may be missing."',
        "",
        "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
    ]
    for i in range(rows):
        email = f"person{i}@example.com" if i % 3 else ""
        lines.append(
            f"Person,Number {i},https://www.linkedin.com/in/person-{i},{email},"
            f'"Company {i % 997}, Inc.",Engineer {i % 13},{(i % 28) + 1:02d} Mar 2024'
        )
    return ("\n".join(lines) + "\n").encode()


@pytest.fixture
def search(client_user, coach):
    from datetime import date

    return client_create(
        actor=coach, user=client_user, coach=coach, search_started_on=date(2024, 1, 1)
    )


def test_import_50k_linkedin_rows(search, coach, monkeypatch):
    from coaching import tasks

    monkeypatch.setattr(tasks.import_run_task, "delay", lambda job_id: None)
    payload = _linkedin_file(ROWS)
    for label in ("first import", "re-import (all merged)"):
        job = import_start(
            client=search, actor=coach, kind=ImportKind.LINKEDIN_CONNECTIONS, payload=payload
        )
        started = time.perf_counter()
        job = import_run(job_id=job.pk)
        seconds = time.perf_counter() - started
        size = f"{len(payload) / 1e6:.1f} MB"
        print(f"\n{label}: {ROWS:,} rows ({size}) in {seconds:.1f} s; {job.summary}")
        assert job.status == ImportStatus.SUCCEEDED, job.errors[:5]
        assert seconds < 30
    assert Contact.objects.filter(client=search).count() == ROWS


def test_generate_benchmark_practice(practice):
    result = generate_benchmark()
    print(
        f"\nbenchmark practice: {result.clients} clients, {result.contacts:,} contacts, "
        f"{result.interactions:,} interactions in {result.seconds:.1f} s"
    )
    assert Interaction.objects.count() == 250_000
    assert result.seconds < 120
