from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tenants.provisioning import practice_create, practice_url


class Command(BaseCommand):
    help = "Create a practice with its owner, as the signup page does."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True)
        parser.add_argument("--slug", required=True)
        parser.add_argument("--owner-name", required=True)
        parser.add_argument("--owner-email", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--time-zone", default="America/New_York")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            created = practice_create(
                name=options["name"],
                slug=options["slug"],
                owner_name=options["owner_name"],
                owner_email=options["owner_email"],
                password=options["password"],
                time_zone=options["time_zone"],
            )
        except ValidationError as exc:
            problems = "; ".join(f"{field}: {' '.join(m)}" for field, m in exc.message_dict.items())
            raise CommandError(problems) from exc
        slug = created.practice.slug or ""
        self.stdout.write(f"Created {created.practice.name} at {practice_url(slug=slug)}/")
