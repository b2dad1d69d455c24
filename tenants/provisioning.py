"""Creating practices fast, and never half-made.

Running every migration for a new schema takes most of a second and grows with each migration, so
signup never does it when it can help it. A small pool of spare practices is kept migrated in
advance; signup claims one inside a single transaction: it renames the spare's schema after the
practice's slug (`ALTER SCHEMA … RENAME`), names the row, adds the domain and the owner.
PostgreSQL DDL is transactional, so a failure at any step rolls every step back and leaves
nothing behind.

Concurrency rules (signups race each other and the background refill):

- A spare's row, its schema and every migration commit in one transaction (`spare_create`), so
  no other connection can see — let alone claim — a spare whose migration has not finished.
- A claim locks its spare with `SELECT … FOR UPDATE SKIP LOCKED`: two signups never get the same
  one, and neither waits for the other. The claimed spare's tables are checked against the
  tenant apps' models in the claim's transaction (`schema_missing_tables`); one that is short
  (a leftover of a crashed or older provisioning) is dropped, never handed out.
- With the pool empty, signup migrates a fresh schema *inside its own transaction* and claims it
  there (the slow path, about a second and a half): it was never in the pool, so nobody else
  can take it.
- Refills take a transaction-scoped advisory lock and recount, so concurrent refills do not
  overshoot the pool.
"""

import contextlib
import functools
import logging
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, ProgrammingError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context

from accounts.models import Role, User
from config.celery_app import enqueue
from tenants import spare_recipe
from tenants.models import Domain, Practice

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9-]{1,38}[a-z0-9]$")
SPARE_PREFIX = "spare_"
logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class NewPractice:
    practice: Practice
    owner: User


def schema_name_for(*, slug: str) -> str:
    return "p_" + slug.replace("-", "_")


def practice_host(*, slug: str) -> str:
    return f"{slug}.{settings.BASE_DOMAIN}"


def practice_url(*, slug: str) -> str:
    port = f":{settings.PUBLIC_PORT}" if settings.PUBLIC_PORT else ""
    return f"{settings.PUBLIC_SCHEME}://{practice_host(slug=slug)}{port}"


def slug_problem(*, slug: str) -> str | None:
    """Why a slug cannot be used, or None when it is free."""
    if not SLUG_PATTERN.match(slug) or "--" in slug:
        return (
            "Use 3 to 40 lowercase letters, digits and single hyphens, "
            "starting with a letter and not ending with a hyphen."
        )
    if slug in settings.RESERVED_SLUGS:
        return f"“{slug}” is reserved. Choose another address."
    if (
        Practice.objects.filter(slug=slug).exists()
        or Domain.objects.filter(domain=practice_host(slug=slug)).exists()
    ):
        return f"“{slug}” is already taken. Choose another address."
    return None


# A transaction-scoped advisory lock key for refilling the pool (one refill at a time).
_REFILL_LOCK = 0x5741524D  # "WARM"


def _new_spare() -> Practice:
    """Create and migrate a spare inside the caller's transaction (row, schema and migrations
    commit or roll back together). Leaves the connection on the public schema."""
    try:
        spare = Practice.objects.create(
            schema_name=SPARE_PREFIX + secrets.token_hex(6), is_spare=True
        )
        # The process's first spare is migrated and its SQL recorded; the next ones replay that
        # SQL (a tenth of the time), checked, falling back to migrating (spare_recipe.py).
        if not spare_recipe.replay(schema_name=spare.schema_name):
            # In a transaction django-tenants neither commits nor closes the connection.
            spare_recipe.record(
                schema_name=spare.schema_name,
                migrate=lambda: spare.create_schema(check_if_exists=True, verbosity=0),
            )
    finally:
        connection.set_schema_to_public()  # type: ignore[attr-defined]
    return spare


def spare_create() -> Practice:
    """Migrate one spare schema (the slow part, done ahead of time). It becomes claimable when
    its transaction commits, that is only once every migration has run."""
    with transaction.atomic():
        return _new_spare()


@functools.cache
def tenant_tables() -> frozenset[str]:
    """Every table a complete practice schema has: what the tenant apps' migrations make
    (their many-to-many tables included). Read from the migration files once per process."""
    from django.db.migrations.loader import MigrationLoader

    labels = {c.label for c in apps.get_app_configs() if c.name in settings.TENANT_APPS}
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    return frozenset(
        model._meta.db_table
        for model in state.apps.get_models(include_auto_created=True)
        if model._meta.app_label in labels and model._meta.managed and not model._meta.proxy
    )


def schema_missing_tables(*, schema_name: str) -> set[str]:
    """The tenant tables `schema_name` lacks (empty: complete). Each is looked up by name
    (`to_regclass`, the catalog's name index): listing the schema's tables through `pg_tables`
    would scan every relation of every practice, a cost that grows with each signup."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t FROM unnest(%s::text[]) AS t "
            "WHERE to_regclass(format('%%I.%%I', %s::text, t)) IS NULL",
            [sorted(tenant_tables()), schema_name],
        )
        return {row[0] for row in cursor.fetchall()}


def _request_replenish() -> None:
    """Ask the worker to top the pool up; signup has succeeded whether or not the broker answers
    (the sweeper asks again while the pool is short)."""
    from tenants.tasks import replenish_spares

    enqueue(replenish_spares)


def spares_replenish(*, target: int | None = None) -> int:
    """Top the pool up to `target` (default: SPARE_SCHEMA_POOL_SIZE). Returns how many were made.
    Each spare is made in its own transaction holding the refill lock, after counting again, so
    refills running at the same time never make more than asked for."""
    wanted = settings.SPARE_SCHEMA_POOL_SIZE if target is None else target
    made = 0
    while True:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_REFILL_LOCK])
            if Practice.objects.spares().count() >= wanted:
                return made
            _new_spare()
        made += 1


def _validate_signup(
    *, name: str, slug: str, owner_name: str, owner_email: str, password: str
) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = ["Give your practice a name."]
    problem = slug_problem(slug=slug)
    if problem:
        errors["slug"] = [problem]
    if not owner_name.strip():
        errors["owner_name"] = ["Tell us your name."]
    try:
        validate_email(owner_email)
    except ValidationError:
        errors["owner_email"] = ["Enter a valid email address."]
    try:
        validate_password(password, user=User(email=owner_email, name=owner_name))
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    return errors


def practice_create(
    *,
    name: str,
    slug: str,
    owner_name: str,
    owner_email: str,
    password: str,
    time_zone: str = "America/New_York",
) -> NewPractice:
    """Sign up a practice and its owner. Raises ValidationError naming each bad field."""
    slug = slug.strip().lower()
    owner_email = owner_email.strip().lower()
    errors = _validate_signup(
        name=name, slug=slug, owner_name=owner_name, owner_email=owner_email, password=password
    )
    if errors:
        raise ValidationError(errors)
    owner = User(email=owner_email, name=owner_name.strip(), role=Role.OWNER)
    owner.set_password(password)  # hashed before the transaction: argon2 is deliberately slow
    claimed = practice_claim_spare(name=name.strip(), slug=slug, owner=owner, time_zone=time_zone)
    if claimed is None:  # the pool is empty: migrate a schema of our own (the slow path)
        claimed = _practice_from_fresh_schema(
            name=name.strip(), slug=slug, owner=owner, time_zone=time_zone
        )
    return claimed


def practice_claim_spare(
    *, name: str, slug: str, owner: User, time_zone: str
) -> NewPractice | None:
    """Turn one spare into the named practice, atomically. None when the pool is empty."""
    with _slug_taken_as_error(slug=slug), transaction.atomic():
        spare = _lock_complete_spare()
        if spare is None:
            return None
        return _make_practice(spare, name=name, slug=slug, owner=owner, time_zone=time_zone)


def _practice_from_fresh_schema(
    *, name: str, slug: str, owner: User, time_zone: str
) -> NewPractice:
    """Migrate a new schema and make it the practice in the same transaction: nobody else ever
    sees it as a spare."""
    with _slug_taken_as_error(slug=slug), transaction.atomic():
        spare = _new_spare()
        return _make_practice(spare, name=name, slug=slug, owner=owner, time_zone=time_zone)


def _lock_complete_spare() -> Practice | None:
    """Lock the oldest spare nobody else is claiming (`FOR UPDATE SKIP LOCKED`) whose schema has
    every table. A short one is dropped on the spot (logged) and the next one tried."""
    while True:
        spare = Practice.objects.spares().select_for_update(skip_locked=True).order_by("pk").first()
        if spare is None:
            return None
        missing = schema_missing_tables(schema_name=spare.schema_name)
        if not missing:
            return spare
        logger.error(
            "spare %s lacks %s of its %s tables (%s…); dropping it",
            spare.schema_name,
            len(missing),
            len(tenant_tables()),
            ", ".join(sorted(missing)[:3]),
        )
        spare.delete(force_drop=True)


def _make_practice(
    spare: Practice, *, name: str, slug: str, owner: User, time_zone: str
) -> NewPractice:
    """Inside the caller's transaction: rename the locked spare's schema after the slug, name
    the row, add the domain and the owner; ask for a refill once it all commits."""
    schema_name = schema_name_for(slug=slug)
    with connection.cursor() as cursor:
        cursor.execute(f'ALTER SCHEMA "{spare.schema_name}" RENAME TO "{schema_name}"')
    spare.schema_name = schema_name
    spare.name = name
    spare.slug = slug
    spare.is_spare = False
    spare.owner_email = owner.email
    spare.time_zone = time_zone
    spare.created_at = timezone.now()  # the spare was migrated earlier; the practice is new
    spare.save()
    Domain.objects.create(domain=practice_host(slug=slug), tenant=spare, is_primary=True)
    with tenant_context(spare):
        owner.save()
    if settings.SPARE_SCHEMA_POOL_SIZE:
        transaction.on_commit(_request_replenish)
    return NewPractice(practice=spare, owner=owner)


@contextlib.contextmanager
def _slug_taken_as_error(*, slug: str) -> Iterator[None]:
    """Two signups racing for one slug: the loser's row, domain or schema name collides (a
    unique violation, or "schema already exists" once the winner committed)."""
    try:
        yield
    except (IntegrityError, ProgrammingError) as exc:
        if isinstance(exc, ProgrammingError) and not _duplicate_schema(exc):
            raise
        raise ValidationError(
            {"slug": [f"“{slug}” is already taken. Choose another address."]}
        ) from exc


def _duplicate_schema(exc: ProgrammingError) -> bool:
    return getattr(exc.__cause__, "sqlstate", None) == "42P06"
