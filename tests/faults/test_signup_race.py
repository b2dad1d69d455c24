"""Signups racing each other and the spare-schema refill never make a half-built practice.

Twenty signups start at the same moment, in threads with their own database connections, while
two refills top the pool up at the same time (as two worker processes would). Among the spares
is one left half-migrated by an earlier crash. Every practice must come out live with every
table of the tenant apps, the half-made spare must never be handed out, two signups for one
address must end in one practice and one "already taken", and the refills must not overshoot.

The rows are committed (threads cannot share the test's transaction); everything made here is
dropped afterwards.
"""

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_tenants.utils import schema_context

from accounts.models import Role, User
from tenants.models import Domain, Practice
from tenants.provisioning import practice_create, schema_missing_tables, spares_replenish

SIGNUPS = 20
POOL = 3


def test_this_module_runs_on_a_test_database(db: None) -> None:
    """Also what makes pytest-django create the test database when this file runs alone."""
    assert str(connection.settings_dict["NAME"]).startswith("test_")


@pytest.fixture
def committed(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[list[str]]:
    """Autocommit on the test database; yields a list to which the test adds the slugs it made,
    and drops those practices (schemas and all) afterwards."""
    made: list[str] = []
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert str(connection.settings_dict["NAME"]).startswith("test_")
        try:
            yield made
        finally:
            connection.set_schema_to_public()
            for practice in Practice.objects.filter(slug__in=made):
                practice.delete(force_drop=True)
            for spare in Practice.objects.spares():
                if schema_missing_tables(schema_name=spare.schema_name):
                    spare.delete(force_drop=True)


def _half_made_spare() -> Practice:
    """What an interrupted migration used to leave: a claimable spare row whose schema has
    only its first tables."""
    spare = Practice.objects.create(schema_name="spare_halfmade", is_spare=True)
    with connection.cursor() as cursor:
        cursor.execute('CREATE SCHEMA "spare_halfmade"')
        cursor.execute('CREATE TABLE "spare_halfmade"."django_migrations" (id serial)')
    return spare


def _in_thread(work: Callable[[], Any], results: dict[str, Any], name: str) -> threading.Thread:
    def run() -> None:
        try:
            results[name] = work()
        except BaseException as exc:
            results[name] = exc
        finally:
            connection.close()

    return threading.Thread(target=run, name=name)


def _signup(slug: str, start: threading.Barrier) -> Callable[[], Practice]:
    def work() -> Practice:
        start.wait()
        return practice_create(
            name=f"Race {slug}",
            slug=slug,
            owner_name="Rae Racer",
            owner_email=f"owner@{slug}.example.com",
            password="a-long-racing-password-7",
        ).practice

    return work


def _refill(start: threading.Barrier) -> Callable[[], int]:
    def work() -> int:
        start.wait()
        made = 0
        for _ in range(3):  # a refill after each of several signups
            made += spares_replenish(target=POOL)
        return made

    return work


def test_concurrent_signups_while_spares_refill_all_get_complete_practices(
    committed: list[str],
) -> None:
    spares_replenish(target=POOL)
    half_made = _half_made_spare()
    slugs = [f"race{n:02d}" for n in range(SIGNUPS)]
    committed.extend([*slugs, "twins"])
    start = threading.Barrier(SIGNUPS + 2 + 2)
    results: dict[str, Any] = {}
    threads = [_in_thread(_signup(slug, start), results, slug) for slug in slugs]
    threads += [_in_thread(_signup("twins", start), results, f"twins-{n}") for n in (1, 2)]
    threads += [_in_thread(_refill(start), results, f"refill-{n}") for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=240)
    assert not [t.name for t in threads if t.is_alive()], "a signup or refill hung"

    failures = {k: v for k, v in results.items() if isinstance(v, BaseException)}
    twins = [failures.pop(name, None) for name in ("twins-1", "twins-2")]
    assert not failures, failures
    [lost] = [t for t in twins if t is not None]  # one twin won, the other was told
    assert isinstance(lost, ValidationError)
    assert "already taken" in str(lost.message_dict["slug"])

    practices = Practice.objects.filter(slug__in=[*slugs, "twins"])
    assert practices.count() == SIGNUPS + 1
    for practice in practices:
        assert not practice.is_spare
        assert practice.schema_name == f"p_{practice.slug}"
        assert schema_missing_tables(schema_name=practice.schema_name) == set(), practice.slug
        assert Domain.objects.filter(tenant=practice, is_primary=True).count() == 1
        with schema_context(practice.schema_name):
            owners = User.objects.filter(role=Role.OWNER)
            assert list(owners.values_list("email", flat=True)) == [
                f"owner@{practice.slug}.example.com"
            ]

    assert not Practice.objects.filter(pk=half_made.pk).exists()  # dropped, never handed out
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_namespace WHERE nspname = 'spare_halfmade'")
        assert cursor.fetchone() is None
    spares = list(Practice.objects.spares())
    assert len(spares) <= POOL + 1  # the refills never overshoot (+1: the seeded leftovers)
    for spare in spares:
        assert schema_missing_tables(schema_name=spare.schema_name) == set()
