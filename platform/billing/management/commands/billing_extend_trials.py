"""Give every practice without a live subscription at least N more days of trial, e.g. when
turning billing on for a deployment whose practices signed up long ago."""

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from billing.services import trial_extend
from tenants.models import Practice


class Command(BaseCommand):
    help = "Extend the free trial of practices that have no live subscription."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=14, help="days from now (default 14)")
        parser.add_argument("--slug", help="only this practice")

    def handle(self, *args: Any, **options: Any) -> None:
        practices = Practice.objects.live()
        if options["slug"]:
            practices = practices.filter(slug=options["slug"])
        extended = sum(
            trial_extend(practice=practice, at_least=timedelta(days=options["days"]))
            for practice in practices
        )
        self.stdout.write(
            f"{extended} practice trials extended to at least {options['days']} days."
        )
