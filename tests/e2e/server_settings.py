"""Settings of the real server the browser tests drive: the test settings, on the test run's own
database, with mail written to files the tests read (a browser test cannot see locmem)."""

import os

from config.settings.test import *  # noqa: F403

DATABASES["default"]["NAME"] = os.environ["E2E_DATABASE_NAME"]  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["E2E_MAIL_DIR"]
