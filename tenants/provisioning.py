"""Creating practices fast.

Running every migration for a new schema takes most of a second and grows with each migration, so
signup never does it. Instead a small pool of spare practices is kept migrated in advance; signup
claims one inside a single transaction: it renames the spare's schema after the practice's slug
(`ALTER SCHEMA … RENAME`), names the row, adds the domain and the owner. PostgreSQL DDL is
transactional, so a failure at any step rolls every step back and leaves nothing behind. When the
pool is empty, signup migrates a fresh spare first (the slow path) and claims that.
"""

import logging
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django_tenants.utils import tenant_context
from kombu.exceptions import OperationalError

from accounts.models import Role, User
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


def spare_create() -> Practice:
    """Migrate one spare schema (the slow part, done ahead of time)."""
    spare = Practice.objects.create(schema_name=SPARE_PREFIX + secrets.token_hex(6), is_spare=True)
    spare.create_schema(check_if_exists=True, verbosity=0)
    return spare


def _request_replenish() -> None:
    """Ask the worker to top the pool up; signup has succeeded whether or not the broker answers."""
    from tenants.tasks import replenish_spares

    try:
        replenish_spares.delay()
    except OperationalError:
        logger.warning("could not queue spare-schema replenishing; the next signup will migrate")


def spares_replenish(*, target: int | None = None) -> int:
    """Top the pool up to `target` (default: SPARE_SCHEMA_POOL_SIZE). Returns how many were made."""
    wanted = settings.SPARE_SCHEMA_POOL_SIZE if target is None else target
    made = 0
    while Practice.objects.spares().count() < wanted:
        spare_create()
        made += 1
    return made


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
    for _attempt in range(3):
        claimed = practice_claim_spare(
            name=name.strip(), slug=slug, owner=owner, time_zone=time_zone
        )
        if claimed is not None:
            return claimed
        spare_create()
    raise RuntimeError("could not provision a practice schema")


def practice_claim_spare(
    *, name: str, slug: str, owner: User, time_zone: str
) -> NewPractice | None:
    """Turn one spare into the named practice, atomically. None when the pool is empty."""
    try:
        with transaction.atomic():
            spare = (
                Practice.objects.spares().select_for_update(skip_locked=True).order_by("pk").first()
            )
            if spare is None:
                return None
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
    except IntegrityError as exc:
        raise ValidationError(
            {"slug": [f"“{slug}” is already taken. Choose another address."]}
        ) from exc
