"""Server time of the practice report with the practice-wide view (cohort benchmarks, ask
fatigue) on the demo practice (`coaching.demo.practice`: a dozen stories), and of one client
page's share of it (benchmarks and cautions).

    .venv/bin/python -m tests.bench.practice_view [--runs 15]

Reports the median over runs of: GET /report/ as the owner with every cache cold (summaries and
cohort table), with the cohort table cached, without the practice view at all (the baseline),
and the cohort table computed alone; and the `client_practice_view` read.
"""

import argparse
import statistics
import time
from collections.abc import Callable

from tests.bench.harness import bench_database


def _median_ms(runs: int, before: Callable[[], None], run: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        before()
        start = time.perf_counter()
        run()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    with bench_database():
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client as Http
        from django.test.utils import CaptureQueriesContext
        from django_tenants.utils import tenant_context

        from coaching.demo.practice import demo_practice_ensure
        from coaching.insights.client_practice import client_practice_view
        from coaching.insights.cohorts import cohort_table
        from coaching.insights.loader import default_as_of
        from coaching.models import Client
        from tenants.provisioning import practice_host

        people, _ = demo_practice_ensure()
        http = Http(HTTP_HOST=practice_host(slug=people.practice.slug))
        with tenant_context(people.practice):
            http.force_login(people.owner)
            clients = Client.objects.count()
            client = Client.objects.order_by("pk").first()
            assert client is not None
            as_of = default_as_of()

            def page() -> None:
                assert http.get("/report/").status_code == 200

            page()  # warm-up: templates, the host lookup
            with CaptureQueriesContext(connection) as q:
                cache.clear()
                page()
            cold_queries = len(q)
            cold = _median_ms(args.runs, cache.clear, page)
            warm = _median_ms(args.runs, lambda: None, page)
            from unittest import mock

            with mock.patch(
                "coaching.insights.reports.add_practice_view", lambda report, **_: report
            ):
                bare = _median_ms(args.runs, cache.clear, page)
            table = _median_ms(args.runs, cache.clear, lambda: cohort_table(as_of=as_of))
            with CaptureQueriesContext(connection) as q:
                client_practice_view(actor=people.owner, client=client, as_of=as_of)
            view_queries = len(q)
            view = _median_ms(
                args.runs,
                lambda: None,
                lambda: client_practice_view(actor=people.owner, client=client, as_of=as_of),
            )
        print(f"demo practice: {clients} clients, median of {args.runs} runs")
        print(f"GET /report/ (owner), every cache cold: {cold:.1f} ms, {cold_queries} queries")
        print(f"GET /report/ (owner), caches warm:      {warm:.1f} ms")
        print(f"GET /report/ without the practice view: {bare:.1f} ms (the same run's baseline)")
        print(f"cohort table alone, computed:           {table:.1f} ms")
        print(f"client page's practice view (cached):   {view:.1f} ms, {view_queries} queries")


if __name__ == "__main__":
    main()
