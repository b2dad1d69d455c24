"""The test suite: real PostgreSQL and Redis (embedded unless DATABASE_URL / REDIS_URL are set)."""

import os
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from config.settings.base import *  # noqa: F403

DEBUG = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Webhooks to loopback are refused here as in production, whatever the environment says; a test
# that delivers to a receiver on 127.0.0.1 turns this on for itself (tests/api/test_webhooks.py).
WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
# Fast hashing keeps the suite quick; production uses argon2 (see base.py).
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Many tests sign practices up and accept invitations from one address; the rate-limit tests
# set the production limits for themselves.
SIGNUP_RATE_LIMIT = "10000/m"
INVITATION_RATE_LIMIT = "10000/m"
ACCOUNT_RATE_LIMITS = False  # allauth's own limits (sign-in, resets); tests/accounts sets them
# Signup in tests claims spares created by the fixtures; no background replenishing.
SPARE_SCHEMA_POOL_SIZE = 0
# Static files come straight from the apps' folders; no collectstatic needed to run the suite.
STATIC_ROOT = None
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# A test database per process: parallel workers, and two runs on one machine, never share one.
DATABASES["default"]["TEST"] = {"NAME": f"test_warmpath_{os.getpid()}"}  # noqa: F405


def _redis_database(url: str, number: int) -> str:
    """`url` pointing at Redis database `number` (`?db=` on a Unix socket, the path on TCP)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":  # urlunsplit would drop the empty host's "//"
        query = urlencode({**dict(parse_qsl(parts.query)), "db": str(number)})
        return f"unix://{parts.path}?{query}"
    return urlunsplit(parts._replace(path=f"/{number}"))


# Each pytest-xdist worker caches in its own Redis database, so one worker's `cache.clear()` (a
# FLUSHDB) never empties another's cache in the middle of a test. A run without xdist picks one
# by its process id. None caches in database 0, the broker's: a FLUSHDB there would empty the
# queues of every real worker test (and benchmark) running at the time, losing their tasks.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
if _WORKER.startswith("gw") and _WORKER[2:].isdigit():
    _CACHE_DATABASE = 1 + int(_WORKER[2:]) % 15
else:
    _CACHE_DATABASE = 1 + os.getpid() % 15
CACHES["default"]["LOCATION"] = _redis_database(REDIS_URL, _CACHE_DATABASE)  # noqa: F405
