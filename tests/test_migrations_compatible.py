"""Every migration added after the baseline must work with the code of the release before it
(django-migration-linter): practices are migrated one after another while the new release
already serves, and old pods serve until new ones are ready (docs/operations.md, "Migrations").

Rejected, for example: a column added NOT NULL without a database default (`db_default`), a
column or table dropped or renamed, an ALTER that rewrites or locks a table. The migrations that
existed when the linter was adopted are listed in BASELINE, each with why it is not linted; a
new migration is never added there, only fixed (split it: add and backfill now, constrain or
drop in a later release). A migration that must break the rule anyway carries
`django_migration_linter.IgnoreMigration()` among its operations, with a comment saying why
the release before still works.
"""

from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django_migration_linter import MigrationLinter

from tenants.models import Practice

# Our own apps only: third-party and Django's migrations are theirs to keep compatible.
OUR_APPS = (
    "tenants",
    "accounts",
    "billing",
    "audit",
    "coaching",
    "insights",
    "lifecycle",
    "api",
    "notifications",
)

INITIAL = "creates its app's tables: no release before it used them"
BASELINE: dict[tuple[str, str], str] = {
    ("tenants", "0001_initial"): INITIAL,
    ("accounts", "0001_initial"): INITIAL,
    ("billing", "0001_initial"): INITIAL,
    ("audit", "0001_initial"): INITIAL,
    ("coaching", "0001_initial"): INITIAL,
    ("insights", "0001_initial"): INITIAL,
    ("lifecycle", "0001_initial"): INITIAL,
    ("api", "0001_initial"): INITIAL,
    ("notifications", "0001_initial"): INITIAL,
    ("tenants", "0002_public_site_row"): "data only: inserts the public site's practice row",
    ("tenants", "0003_practice_mfa_required"): (
        "shipped before the linter; NOT NULL with a Python default (fix such columns with "
        "db_default from now on)"
    ),
    ("accounts", "0002_membersession"): "a new table only",
    ("audit", "0002_append_only"): "a trigger on an append-only table; no column changes",
    ("billing", "0002_stripeevent_status"): (
        "shipped before the linter; NOT NULL with a Python default"
    ),
    ("coaching", "0002_importjob_attempts"): (
        "shipped before the linter; NOT NULL with a Python default"
    ),
    ("api", "0002_alter_webhookendpoint_secret"): "shipped before the linter; field options only",
    ("coaching", "0003_importjob_mode"): (
        "landed just before the linter; NOT NULL `mode` and `dropped` with only Python defaults, "
        "so an import started by the release before fails in a migrated practice until its pods "
        "are replaced: a follow-up should give both a db_default"
    ),
}


class BaselineLinter(MigrationLinter):
    """Skips the baseline by app and name (the linter's own `ignore_name` knows names only) and
    keeps what it finds for the assertion message."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.found: list[str] = []
        self._current = ""

    def should_ignore_migration(  # type: ignore[no-untyped-def]
        self, app_label, migration_name, operations=(), is_initial=False
    ) -> bool:
        self._current = f"{app_label}.{migration_name}"
        if (app_label, migration_name) in BASELINE:
            return True
        return bool(
            super().should_ignore_migration(app_label, migration_name, operations, is_initial)
        )

    def print_errors(self, errors: Any) -> None:
        self.found.extend(f"{self._current}: {error}" for error in errors)
        super().print_errors(errors)


def test_the_linter_is_configured_for_our_apps_only() -> None:
    labels = {key[0] for key in BASELINE}
    assert labels == set(OUR_APPS)
    assert all(reason.strip() for reason in BASELINE.values())
    assert "django_migration_linter" not in settings.INSTALLED_APPS  # a library, not an app


def _lint(*, schema: str, apps: tuple[str, ...]) -> tuple[BaselineLinter, list[str]]:
    """Lint `apps` as `migrate` runs them in `schema`: django-tenants' router turns a tenant
    app's operations into no-ops in the public schema (and a shared app's in a practice's), so
    each app is linted where its tables live."""
    connection.set_schema(schema)  # type: ignore[attr-defined]
    try:
        linter = BaselineLinter(
            str(settings.BASE_DIR),
            include_apps=apps,
            database="default",
            no_cache=True,
            no_output=True,
            analyser_string="postgresql",
        )
        linter.lint_all_migrations()
    finally:
        connection.set_schema_to_public()  # type: ignore[attr-defined]
    return linter, linter.found


def _app_label(name: str) -> str:
    return name.rsplit(".", 1)[-1]


TENANT_LABELS = tuple(a for a in OUR_APPS if a in {_app_label(n) for n in settings.TENANT_APPS})
SHARED_LABELS = tuple(a for a in OUR_APPS if a in {_app_label(n) for n in settings.SHARED_APPS})


def test_every_app_is_linted_where_its_tables_live() -> None:
    assert set(TENANT_LABELS) | set(SHARED_LABELS) == set(OUR_APPS)


def test_practice_migrations_after_the_baseline_suit_the_release_before(
    practice: Practice,
) -> None:
    linter, problems = _lint(schema=practice.schema_name, apps=TENANT_LABELS)
    assert not linter.has_errors, "\n".join(problems)


def test_shared_migrations_after_the_baseline_suit_the_release_before(db: None) -> None:
    linter, problems = _lint(schema="public", apps=SHARED_LABELS)
    assert not linter.has_errors, "\n".join(problems)


def test_the_linter_rejects_a_baseline_migration_when_it_is_not_excused(
    practice: Practice,
) -> None:
    """coaching.0002 adds a NOT NULL column with only a Python default: the release before
    inserts rows without it and fails. Outside the baseline the linter must say so."""
    connection.set_schema(practice.schema_name)  # type: ignore[attr-defined]
    try:
        linter = MigrationLinter(
            str(settings.BASE_DIR),
            include_apps=("coaching",),
            include_name=["0002_importjob_attempts"],
            no_cache=True,
            no_output=True,
            analyser_string="postgresql",
        )
        linter.lint_all_migrations()
    finally:
        connection.set_schema_to_public()  # type: ignore[attr-defined]
    assert linter.nb_total >= 1
    assert linter.has_errors


@pytest.mark.parametrize("key", sorted(BASELINE))
def test_every_baseline_migration_exists(key: tuple[str, str]) -> None:
    from django.db.migrations.loader import MigrationLoader

    assert key in MigrationLoader(None, ignore_no_migrations=True).disk_migrations
