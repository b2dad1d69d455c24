"""Settings for the server that schemathesis_run.py starts: the test settings, pointed at the
run's throw-away database, with tasks queued in memory (no worker, no Redis traffic)."""

import os

from config.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["WARMPATH_FUZZ_DB"]  # noqa: F405
CELERY_BROKER_URL = "memory://"
