"""Settings for the API benchmark's server: the test settings on the run's throw-away database,
production-like where it matters for speed (no static-file finders or autorefresh per request),
with the bare comparison view mounted beside the API."""

import os

from config.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["WARMPATH_BENCH_DB"]  # noqa: F405
ROOT_URLCONF = "tests.bench.api_urls"
WHITENOISE_AUTOREFRESH = False
WHITENOISE_USE_FINDERS = False
STATIC_ROOT = BASE_DIR / "staticfiles"  # noqa: F405
CELERY_BROKER_URL = "memory://"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
