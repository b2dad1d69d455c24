from typing import Any

from django.core.management.base import BaseCommand

from coaching.demo.practice import demo_practice_ensure
from tenants.provisioning import practice_url


class Command(BaseCommand):
    help = "Create the demo practice with its coach, client and sample searches (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        people, created = demo_practice_ensure()
        verb = "Created" if created else "Kept"
        self.stdout.write(
            f"{verb} the demo practice at {practice_url(slug=people.practice.slug or '')}/"
        )
