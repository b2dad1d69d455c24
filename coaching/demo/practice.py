"""The demo practice a new user logs into: `manage.py seed_demo` (idempotent: running it again
changes nothing)."""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import Role, User
from coaching.demo.seed import seed_demo
from tenants.models import Practice
from tenants.provisioning import practice_create

DEMO_SLUG = "demo"
OWNER = ("owner@demo.warmpath.test", "demo-owner-password", "Olive Owner")
COACH = ("coach@demo.warmpath.test", "demo-coach-password", "Cam Coach")
CLIENT = ("client@demo.warmpath.test", "demo-client-password", "Casey Client")


@dataclass(frozen=True, slots=True)
class DemoPeople:
    practice: Practice
    owner: User
    coach: User
    client: User


def demo_practice_ensure() -> tuple[DemoPeople, bool]:
    """The demo practice and its three logins; True when this call created the practice."""
    practice = Practice.objects.filter(slug=DEMO_SLUG).first()
    created = practice is None
    if practice is None:
        practice = practice_create(
            name="Demo Coaching Studio",
            slug=DEMO_SLUG,
            owner_name=OWNER[2],
            owner_email=OWNER[0],
            password=OWNER[1],
        ).practice
    with tenant_context(practice), transaction.atomic():
        owner, coach, client = (
            _user_ensure(email=email, password=password, name=name, role=role)
            for (email, password, name), role in (
                (OWNER, Role.OWNER),
                (COACH, Role.COACH),
                (CLIENT, Role.CLIENT),
            )
        )
        # The searches: a dozen stories, each showing the reasons it was written for.
        seed_demo(as_of=timezone.localdate(), coach=coach, portal_client=client)
    return DemoPeople(practice, owner, coach, client), created


def _user_ensure(*, email: str, password: str, name: str, role: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, password, name=name, role=role)
    return user
