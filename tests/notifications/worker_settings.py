"""Settings for the real Celery worker the worker tests start: the test settings, pointed at the
test run's own database, mail folder and queue (all passed in the environment)."""

import os

from config.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["WARMPATH_TEST_DB_NAME"]  # noqa: F405
EMAIL_BACKEND = "tests.notifications.backends.SteeredFileBackend"
EMAIL_FILE_PATH = os.environ["WARMPATH_TEST_MAIL_DIR"]
CELERY_TASK_DEFAULT_QUEUE = os.environ["CELERY_QUEUE"]
NOTIFICATIONS_RETRY_BACKOFF = 1
LOGGING["root"]["level"] = "INFO"  # noqa: F405
