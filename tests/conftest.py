"""Shared fixtures: real PostgreSQL (embedded unless DATABASE_URL is set), two practices with
their people, and HTTP clients that talk to a practice's own host.

Each pytest-xdist worker gets its own test database, so workers never share a schema. The two
practices and a couple of spare schemas are created once per worker, committed; each test then
runs inside a transaction that is rolled back, so tests never see each other's rows.
"""

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django_tenants.utils import schema_context

from accounts.models import Role, User
from embedded import postgres
from embedded import redis as embedded_redis
from tenants.host_lookup import forget_hosts
from tenants.models import Practice
from tenants.provisioning import practice_create, practice_host, spares_replenish

PASSWORD = "a-long-test-password-42"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Start (or join) the embedded Redis — cache, rate limits, Celery broker — unless REDIS_URL
    is set, and note whether the embedded PostgreSQL was already up. The last run using Redis
    stops it; a run that started PostgreSQL stops it (with pytest-xdist, the controller starts
    before its workers and finishes after them)."""
    started = session.config.stash.setdefault(_STARTED, {})
    if _is_worker(session):
        return
    if settings.USES_EMBEDDED_REDIS:
        embedded_redis.acquire()
        started["redis"] = True
    if settings.DATABASES["default"]["ENGINE"] == "embedded.backend":
        started["postgres"] = not postgres.is_running()


def pytest_sessionfinish(session: pytest.Session) -> None:
    started = session.config.stash.get(_STARTED, {})
    if started.get("redis"):
        embedded_redis.release()
    if started.get("postgres"):
        postgres.stop()


def _is_worker(session: pytest.Session) -> bool:
    return hasattr(session.config, "workerinput")


_STARTED = pytest.StashKey[dict[str, bool]]()


@pytest.fixture(autouse=True)
def _fresh_host_lookup() -> None:
    """Each web process remembers host → practice; a rolled-back test's practices must not
    outlive it."""
    forget_hosts()


@dataclass(frozen=True)
class SeededPractice:
    practice_id: int
    schema_name: str
    host: str


def _seed_practice(*, slug: str, name: str) -> SeededPractice:
    created = practice_create(
        name=name,
        slug=slug,
        owner_name=f"{name} Owner",
        owner_email=f"owner@{slug}.example.com",
        password=PASSWORD,
    )
    practice = created.practice
    with schema_context(practice.schema_name):
        User.objects.create_user(
            f"coach@{slug}.example.com", PASSWORD, name="Cora Coach", role=Role.COACH
        )
        User.objects.create_user(
            f"coach2@{slug}.example.com", PASSWORD, name="Otto Coach", role=Role.COACH
        )
        User.objects.create_user(
            f"client@{slug}.example.com", PASSWORD, name="Cleo Client", role=Role.CLIENT
        )
        User.objects.create_user(
            f"client2@{slug}.example.com", PASSWORD, name="Carl Client", role=Role.CLIENT
        )
    return SeededPractice(
        practice_id=practice.pk, schema_name=practice.schema_name, host=practice_host(slug=slug)
    )


@pytest.fixture(scope="session")
def seeded(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> dict[str, SeededPractice]:
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        # Never seed the development database: only ever a throw-away test_… one.
        assert connection.settings_dict["NAME"].startswith("test_"), connection.settings_dict
        spares_replenish(target=4)  # two become A and B; two stay for signups
        return {
            "a": _seed_practice(slug="alpha", name="Alpha Coaching"),
            "b": _seed_practice(slug="bravo", name="Bravo Careers"),
        }


def _activate(seed: SeededPractice) -> Practice:
    practice = Practice.objects.get(pk=seed.practice_id)
    connection.set_tenant(practice)
    return practice


@pytest.fixture
def practice(db: None, seeded: dict[str, SeededPractice]) -> Iterator[Practice]:
    """Practice A, its schema active for the test."""
    yield _activate(seeded["a"])
    connection.set_schema_to_public()


@pytest.fixture
def other_practice(db: None, seeded: dict[str, SeededPractice]) -> Practice:
    """Practice B (not activated: use schema_context to look inside it)."""
    return Practice.objects.get(pk=seeded["b"].practice_id)


def _user(email: str) -> User:
    return User.objects.get(email=email)


@pytest.fixture
def owner(practice: Practice) -> User:
    return _user("owner@alpha.example.com")


@pytest.fixture
def coach(practice: Practice) -> User:
    return _user("coach@alpha.example.com")


@pytest.fixture
def other_coach(practice: Practice) -> User:
    return _user("coach2@alpha.example.com")


@pytest.fixture
def client_user(practice: Practice) -> User:
    return _user("client@alpha.example.com")


@pytest.fixture
def other_client_user(practice: Practice) -> User:
    return _user("client2@alpha.example.com")


@pytest.fixture
def http(practice: Practice, seeded: dict[str, SeededPractice]) -> Client:
    """A browser-like client whose requests go to practice A's host."""
    return Client(HTTP_HOST=seeded["a"].host)


@pytest.fixture
def other_http(practice: Practice, seeded: dict[str, SeededPractice]) -> Client:
    """A client whose requests go to practice B's host."""
    return Client(HTTP_HOST=seeded["b"].host)


@pytest.fixture
def public_http(db: None, seeded: dict[str, SeededPractice]) -> Client:
    """A client for the public site on the bare base domain."""
    return Client(HTTP_HOST="localhost")
