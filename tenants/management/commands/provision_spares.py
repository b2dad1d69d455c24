from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tenants.provisioning import spares_replenish


class Command(BaseCommand):
    help = "Migrate spare practice schemas ahead of time so signup is instant."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--count", type=int, default=None, help="pool size to reach")

    def handle(self, *args: Any, **options: Any) -> None:
        made = spares_replenish(target=options["count"])
        self.stdout.write(f"Made {made} spare schema(s).")
