"""A ten-year LinkedIn archive (20,000 connections, 50,000 messages, 5,000 invitations) through
the real import job, then the same archive again (which must create nothing).

    .venv/bin/python -m tests.bench.capture_archive [--connections 20000] [--messages 50000]
        [--invitations 5000]

Prints the time of each run, the process's own CPU time and the load average (the machine may be
shared: wall time grows with other work, CPU time much less), and the process's peak memory
(resident set, whole process).
Goals (issue #16): first import ≤ 30 s, memory < 500 MB; re-import ≤ 10 s creating nothing.
"""

import argparse
import os
import resource
import time
from datetime import UTC, date, datetime, timedelta

from tests.bench.harness import bench_database


def cpu_seconds() -> float:
    """User + system CPU of this process (PostgreSQL's work is not in it)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--connections", type=int, default=20_000)
    parser.add_argument("--messages", type=int, default=50_000)
    parser.add_argument("--invitations", type=int, default=5_000)
    args = parser.parse_args()

    from tests.capture.archive_factory import Archive

    ten_years = timedelta(days=3650)
    archive = Archive(
        connections=args.connections,
        messages=args.messages,
        invitations=args.invitations,
        strangers=200,
        recommendations=50,
        origin=datetime(2014, 1, 1, tzinfo=UTC),
        message_spacing=ten_years / max(args.messages, 1),
        invitation_spacing=ten_years / max(args.invitations, 1),
        connection_spacing=timedelta(hours=4),
    )
    payload = archive.zip()
    print(f"archive: {len(payload) / 2**20:.1f} MB zipped", flush=True)

    with bench_database():
        from django.db import connection

        from accounts.models import Role, User
        from coaching import tasks
        from coaching.capture.models import CapturedInteraction
        from coaching.choices import ImportKind, ImportMode
        from coaching.models import Contact
        from coaching.services import client_create
        from coaching.services.imports import import_run, import_start
        from tenants.provisioning import practice_create, spares_replenish

        tasks.import_run_task.delay = lambda *a: None  # type: ignore[method-assign]
        spares_replenish(target=1)
        practice = practice_create(
            name="Bench", slug="bench", owner_name="O", owner_email="o@bench.test",
            password="bench-password-123",
        ).practice  # fmt: skip
        connection.set_tenant(practice)
        coach = User.objects.create_user("c@bench.test", "pw-123456789", name="C", role=Role.COACH)
        user = User.objects.create_user("u@bench.test", "pw-123456789", name="U", role=Role.CLIENT)
        client = client_create(
            actor=coach, user=user, coach=coach, search_started_on=date(2024, 1, 1)
        )
        baseline = peak_mb()

        def run() -> tuple[float, dict[str, int]]:
            cpu = cpu_seconds()
            start = time.perf_counter()
            job = import_start(
                client=client,
                actor=user,
                kind=ImportKind.LINKEDIN_ARCHIVE,
                payload=payload,
                filename="archive.zip",
                mode=ImportMode.GOOD_ROWS,
            )
            job = import_run(job_id=job.pk)
            assert job.status == "succeeded", job.errors[:3]
            took = time.perf_counter() - start
            print(f"  (this process's CPU: {cpu_seconds() - cpu:.1f} s; load {load()})")
            return took, job.summary

        first, summary = run()
        print(f"first import: {first:.1f} s  {summary}", flush=True)
        print(f"peak memory: {peak_mb():.0f} MB (after Django set-up: {baseline:.0f} MB)")
        counts = (Contact.objects.count(), CapturedInteraction.objects.count())
        again, summary = run()
        print(f"same archive again: {again:.1f} s  {summary}", flush=True)
        assert counts == (Contact.objects.count(), CapturedInteraction.objects.count())
        print(f"created on re-import: 0 (contacts {counts[0]}, captured {counts[1]})")
        print(f"peak memory: {peak_mb():.0f} MB")


if __name__ == "__main__":
    main()
