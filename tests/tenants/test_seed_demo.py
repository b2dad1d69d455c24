from django.core.management import call_command
from django_tenants.utils import schema_context

from accounts.models import Role, User
from coaching.models import Client, Interaction
from tenants.models import Practice


def _census() -> tuple[int, int, int, list[tuple[str, str]]]:
    with schema_context("p_demo"):
        return (
            User.objects.count(),
            Client.objects.count(),
            Interaction.objects.count(),
            sorted(
                User.objects.filter(role__in=[Role.COACH, Role.CLIENT]).values_list("email", "role")
            )[:3],
        )


def test_seed_demo_creates_the_demo_practice_with_logins_and_searches(
    db: None, seeded: object
) -> None:
    call_command("seed_demo")

    practice = Practice.objects.get(slug="demo")
    assert practice.domains.get().domain == "demo.localhost"
    with schema_context(practice.schema_name):
        coach = User.objects.get(email="coach@demo.warmpath.test")
        assert coach.check_password("demo-coach-password")
        client = User.objects.get(email="client@demo.warmpath.test")
        assert client.check_password("demo-client-password")
        assert Client.objects.filter(user=client, coach=coach).exists()
        assert Client.objects.count() >= 10
        assert Interaction.objects.exists()


def test_seed_demo_twice_changes_nothing(db: None, seeded: object) -> None:
    call_command("seed_demo")
    first = _census()

    call_command("seed_demo")

    assert _census() == first
    assert Practice.objects.filter(slug="demo").count() == 1
