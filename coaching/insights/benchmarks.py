"""One client's cohort benchmarks as a reader sees them (the client page, the API): scoped by
`coaching.access` and the report-sharing rule, the cohort itself from `insights.cohorts`."""

from __future__ import annotations

from datetime import date
from typing import Any

from accounts.models import User
from coaching.access import client_get_for
from coaching.insights.cohorts import (
    ClientBenchmarks,
    benchmark_to_dict,
    benchmarks_for,
    cohort_table,
)
from coaching.insights.loader import default_as_of
from coaching.insights.reports import ensure_report_readable


def client_benchmarks(
    *, actor: User, client_id: int, as_of: date | None = None
) -> ClientBenchmarks:
    """`NotFound` outside the actor's scope; `PermissionDenied` for a client whose report is not
    shared. The cohort's figures are medians and quartiles only."""
    client = client_get_for(actor=actor, client_id=client_id)
    ensure_report_readable(actor=actor, client=client)
    table = cohort_table(as_of=as_of or default_as_of())
    return benchmarks_for(table=table, client_id=client.pk)


def client_benchmarks_dict(
    *, actor: User, client_id: int, as_of: date | None = None
) -> dict[str, Any]:
    as_of = as_of or default_as_of()
    benchmarks = client_benchmarks(actor=actor, client_id=client_id, as_of=as_of)
    return {
        "client_id": client_id,
        "as_of": as_of.isoformat(),
        **benchmark_to_dict(benchmarks=benchmarks),
    }
