"""Settings of the real web server and worker the fault tests start: the test settings, on the
test run's own database (`WARMPATH_TEST_DB_NAME`) unless `DATABASE_URL` names another server.
`REDIS_URL`, `CELERY_QUEUE` and the JOBS_* timings come from the environment (base settings)."""

import os

from config.settings.test import *  # noqa: F403

if "WARMPATH_TEST_DB_NAME" in os.environ:
    DATABASES["default"]["NAME"] = os.environ["WARMPATH_TEST_DB_NAME"]  # noqa: F405
LOGGING["root"]["level"] = "INFO"  # noqa: F405
