"""`manage.py migrate_practices`: migrate only the practices' schemas that are behind.

One survey finds which schemas lack any of this code's migrations (tenants/migrating.py); only
those run `migrate`, in parallel (TENANT_MULTIPROCESSING_MAX_PROCESSES processes,
TENANT_MULTIPROCESSING_CHUNKS schemas per hand-out), with progress every few seconds. Safe to
run again after an interruption: it picks up the schemas still behind. The shared (public)
schema is `migrate_schemas --shared`'s, run before this.

    manage.py migrate_practices [--processes N] [--chunks N] [--check] [--plan]
"""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.migrating import migrate_behind, survey


class Command(BaseCommand):
    help = (
        "Migrate every practice and spare schema that lacks one of this code's migrations, "
        "skipping the ones up to date (found in one survey query)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--processes",
            type=int,
            default=None,
            help="parallel processes (default: TENANT_MULTIPROCESSING_MAX_PROCESSES)",
        )
        parser.add_argument(
            "--chunks",
            type=int,
            default=None,
            help="schemas per hand-out to a process (default: TENANT_MULTIPROCESSING_CHUNKS)",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="migrate nothing; exit 1 if any practice is behind",
        )
        parser.add_argument(
            "--plan", action="store_true", help="migrate nothing; list the schemas behind"
        )
        parser.add_argument(
            "--progress-every",
            type=float,
            default=5.0,
            help="seconds between progress lines (default 5)",
        )
        parser.add_argument(
            "--noinput",
            "--no-input",
            action="store_false",
            dest="interactive",
            help="accepted for symmetry with migrate_schemas; this command never asks",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verbosity = int(options["verbosity"])
        found = survey()
        total = len(found.up_to_date) + len(found.behind)
        self.stdout.write(
            f"migrate_practices: {total} schemas, {len(found.up_to_date)} up to date, "
            f"{len(found.behind)} behind ({found.expected} migrations; "
            f"survey {found.seconds:.2f} s)"
        )
        for schema in found.missing:
            self.stderr.write(f"migrate_practices: {schema} has a practice row but no schema")
        if options["plan"] or (options["check"] and verbosity >= 2):
            for schema in found.behind:
                self.stdout.write(f"  behind: {schema}")
        if options["check"]:
            if found.behind:
                raise CommandError(f"{len(found.behind)} practice schemas are behind", returncode=1)
            return
        if options["plan"] or not found.behind:
            return
        processes = options["processes"] or settings.TENANT_MULTIPROCESSING_MAX_PROCESSES
        chunks = options["chunks"] or settings.TENANT_MULTIPROCESSING_CHUNKS
        outcome = migrate_behind(
            found.behind,
            processes=max(1, processes),
            chunks=max(1, chunks),
            out=self.stdout,
            verbosity=max(0, verbosity - 1),
            every=options["progress_every"],
        )
        for schema, error in outcome.failed.items():
            self.stderr.write(f"migrate_practices: {schema} failed: {error}")
        if outcome.failed:
            raise CommandError(
                f"{len(outcome.failed)} schemas failed, {len(outcome.migrated)} migrated, "
                f"{len(outcome.not_started)} not started: run again once fixed "
                "(the migrated ones are skipped)"
            )
        self.stdout.write(
            f"migrate_practices: {len(outcome.migrated)} schemas migrated in "
            f"{outcome.seconds:.1f} s with {max(1, processes)} processes"
        )
