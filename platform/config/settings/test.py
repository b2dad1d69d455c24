"""The test suite: real PostgreSQL and Redis (embedded unless DATABASE_URL / REDIS_URL are set)."""

import os

from config.settings.base import *  # noqa: F403

DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Fast hashing keeps the suite quick; production uses argon2 (see base.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Signup in tests claims spares created by the fixtures; no background replenishing.
SPARE_SCHEMA_POOL_SIZE = 0
# Static files come straight from the apps' folders; no collectstatic needed to run the suite.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A test database per process: parallel workers, and two runs on one machine, never share one.
DATABASES["default"]["TEST"] = {"NAME": f"test_warmpath_{os.getpid()}"}  # noqa: F405
