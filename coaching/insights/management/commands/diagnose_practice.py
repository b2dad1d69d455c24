"""Diagnose every client of one practice (or of all), optionally storing the weekly snapshots.

manage.py diagnose_practice --schema p_demo --as-of 2024-04-15
manage.py diagnose_practice --store                # every live practice, as of its today
manage.py diagnose_practice --schema p_demo --backfill 12
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django_tenants.utils import tenant_context

from coaching.insights.loader import default_as_of, searches_load_all
from coaching.insights.reports import build_practice_report, report_to_json
from coaching.insights.services import weekly_snapshots_backfill, weekly_snapshots_store
from tenants.models import Practice


class Command(BaseCommand):
    help = "Diagnose a practice's clients as of a day; --store keeps the weekly snapshots."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--schema", help="One practice's schema (default: every live one).")
        parser.add_argument("--as-of", type=date.fromisoformat, help="YYYY-MM-DD (default: today).")
        parser.add_argument("--store", action="store_true", help="Store the weekly snapshots.")
        parser.add_argument(
            "--backfill", type=int, default=0, metavar="WEEKS", help="Store N past weeks too."
        )
        parser.add_argument(
            "--json", action="store_true", help="Print the practice report as JSON."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        practices = Practice.objects.live()
        if options["schema"]:
            practices = practices.filter(schema_name=options["schema"])
            if not practices.exists():
                raise CommandError(f"No live practice with schema {options['schema']!r}.")
        for practice in practices.order_by("schema_name"):
            with tenant_context(practice):
                self._one(practice=practice, **options)

    def _one(self, *, practice: Practice, **options: Any) -> None:
        as_of: date = options["as_of"] or default_as_of()
        if options["backfill"]:
            run = weekly_snapshots_backfill(as_of=as_of, weeks=options["backfill"])
            self.stdout.write(f"{practice.schema_name}: backfilled {run.stored} weekly snapshots")
        if options["store"]:
            run = weekly_snapshots_store(as_of=as_of)
            changed = sum(change.status_changed for change in run.changes)
            self.stdout.write(
                f"{practice.schema_name}: stored {run.stored} snapshots as of {as_of} "
                f"({changed} status changes, {run.skipped} weeks already later)"
            )
        report = build_practice_report(searches=searches_load_all(), as_of=as_of)
        if options["json"]:
            self.stdout.write(report_to_json(report=report))
            return
        statuses = Counter(row["status"] for row in report["clients"])
        common = [f"{r['code']} {r['clients']}" for r in report["reasons"] if r["clients"]][:5]
        self.stdout.write(
            f"{practice.schema_name} as of {as_of}: "
            + json.dumps(dict(sorted(statuses.items())))
            + (f"; most common: {', '.join(common)}" if common else "")
        )
