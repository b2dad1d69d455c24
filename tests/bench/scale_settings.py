"""Settings of the scale benchmark (tests/bench/scale.py): the test settings on the benchmark's
own PostgreSQL (DATABASE_URL, set by the script before Django starts), plus a tenant app whose
second migration is the "one new migration" applied to every practice."""

from config.settings.test import *  # noqa: F403
from config.settings.test import INSTALLED_APPS, TENANT_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.bench.scale_app"]
TENANT_APPS = [*TENANT_APPS, "tests.bench.scale_app"]
SPARE_SCHEMA_POOL_SIZE = 0
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
