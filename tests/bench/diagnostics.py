"""How fast the diagnostics reports are on real PostgreSQL.

1. One client with 5,000 interactions: the client report (load + diagnose + report) against raw
   SQL that merely reads that client's rows from every table, in the same run. Goal: at most 3x
   the raw read, and at most 10 queries.
2. The benchmark practice (500 clients, 250,000 interactions, from `coaching.demo`): every report
   recomputed (the practice report and all 500 client reports). Goal: at most 15 s.

    .venv/bin/python -m tests.bench.diagnostics [--runs 15] [--clients 500] [--interactions 250000]
"""

import argparse
import os
import statistics
import time
from datetime import date

from tests.bench.harness import bench_database, summary, timed

AS_OF = date(2024, 4, 15)
RAW_TABLES = (
    "coaching_client",
    "coaching_presentationcheck",
    "coaching_contact",
    "coaching_interaction",
    "coaching_introduction",
    "coaching_followup",
    "coaching_application",
    "coaching_meeting",
    "coaching_feedback",
    "insights_findingdisposition",
)


def _practice(slug: str):  # type: ignore[no-untyped-def]
    from tenants.provisioning import practice_create

    created = practice_create(
        name=slug.title(),
        slug=slug,
        owner_name="Bench Owner",
        owner_email=f"owner@{slug}.example.com",
        password="a-long-bench-password-42",
    )
    return created.practice, created.owner


def _nobody_landed() -> None:
    """The generator accepts an offer for some clients; a landed search skips the rules, so
    move those back to interviewing: every client then gets the full diagnosis (the worst case)."""
    from coaching.choices import ApplicationStatus
    from coaching.models import Application

    Application.objects.filter(status=ApplicationStatus.ACCEPTED).update(
        status=ApplicationStatus.INTERVIEWING
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--interactions", type=int, default=250_000)
    args = parser.parse_args()

    with bench_database():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from coaching.demo import generate_benchmark
        from coaching.insights.reports import (
            client_report,
            client_reports,
            client_statuses,
            practice_report,
            practice_reports_all,
            report_to_json,
        )
        from coaching.insights.services import weekly_snapshots_backfill, weekly_snapshots_store
        from coaching.models import Client
        from tenants.provisioning import spares_replenish

        spares_replenish(target=2)

        # --- 1. one busy client --------------------------------------------------------------
        practice, owner = _practice("bench-one")
        connection.set_tenant(practice)
        generate_benchmark(
            clients=1, interactions=5000, contacts_per_client=250, coaches=1, seed=1, as_of=AS_OF
        )
        client_id = Client.objects.get().pk
        _nobody_landed()

        def raw_read() -> None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT * FROM coaching_client WHERE id = %s", [client_id])
                cursor.fetchall()
                for table in RAW_TABLES[1:]:
                    cursor.execute(f"SELECT * FROM {table} WHERE client_id = %s", [client_id])
                    cursor.fetchall()

        def report() -> None:
            client_report(actor=owner, client_id=client_id, as_of=AS_OF)

        for _ in range(3):  # warm the connection, caches and imports
            raw_read()
            report()
        raw_samples, report_samples = [], []
        for _ in range(args.runs):  # interleaved, so both see the same machine
            raw_samples.append(timed(raw_read))
            report_samples.append(timed(report))
        with CaptureQueriesContext(connection) as queries:
            built = client_report(actor=owner, client_id=client_id, as_of=AS_OF)
        json_samples = [timed(lambda: report_to_json(report=built)) for _ in range(args.runs)]
        raw, rep = statistics.median(raw_samples), statistics.median(report_samples)
        print("One client, 5,000 interactions")
        print(f"  raw SQL read of its rows ({len(RAW_TABLES)} tables): {summary(raw_samples)}")
        print(f"  client report (load + diagnose + report): {summary(report_samples)}")
        print(
            f"  ratio: {rep / raw:.2f}x the raw read (goal <= 3x); queries: {len(queries)} (<= 10)"
        )
        print(f"  JSON encoding of that report, on top: {summary(json_samples)}")
        print(f"  findings: {len(built['findings'])}, status: {built['status']['status']}")

        # --- 2. the benchmark practice -------------------------------------------------------
        connection.set_schema_to_public()
        practice, owner = _practice("bench-practice")
        connection.set_tenant(practice)
        started = time.perf_counter()
        generate_benchmark(
            clients=args.clients, interactions=args.interactions, seed=2, as_of=AS_OF
        )
        _nobody_landed()
        print(
            f"\nBenchmark practice: {args.clients} clients, {args.interactions:,} interactions "
            f"(generated in {time.perf_counter() - started:.1f} s)"
        )
        print(f"  load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        results: dict[str, float] = {}
        results["every report in one pass (practice_reports_all)"] = timed(
            lambda: practice_reports_all(actor=owner, as_of=AS_OF)
        )
        results["practice report alone"] = timed(lambda: practice_report(actor=owner, as_of=AS_OF))
        results[f"all {args.clients} client reports alone (client_reports)"] = timed(
            lambda: client_reports(actor=owner, as_of=AS_OF)
        )
        results["dashboard statuses"] = timed(lambda: client_statuses(actor=owner, as_of=AS_OF))
        results["nightly job: store this week's snapshots"] = timed(
            lambda: weekly_snapshots_store(as_of=AS_OF)
        )
        results["backfill 5 past weeks of snapshots"] = timed(
            lambda: weekly_snapshots_backfill(as_of=AS_OF, weeks=5)
        )
        results["practice report with stored snapshots"] = timed(
            lambda: practice_report(actor=owner, as_of=AS_OF)
        )
        for name, seconds in results.items():
            print(f"  {name}: {seconds:.2f} s")
        print(f"  load average after: {os.getloadavg()[0]:.1f}")
        print("  goal: every report recomputed <= 15 s (no snapshots stored: the comparison days")
        print("  are computed too, three diagnoses per client)")


if __name__ == "__main__":
    main()
