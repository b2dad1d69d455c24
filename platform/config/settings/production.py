"""Production: every secret from the environment, real PostgreSQL and Redis, HTTPS unless the
environment says otherwise (a local `docker compose` run is plain HTTP on localhost), hashed
static files, JSON logs, metrics and optional error tracking (docs/operations.md)."""

import os

# Links, trusted origins and the content policy (all built in base) default to HTTPS here; a
# local compose run sets PUBLIC_SCHEME=http. Set before base reads it.
os.environ.setdefault("PUBLIC_SCHEME", "https")

from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

from config import env
from config.errors import init_sentry
from config.logging import logging_config
from config.settings.base import *  # noqa: F403
from config.settings.base import (
    EMAIL_FILE_PATH,
    MIDDLEWARE,
    PUBLIC_SCHEME,
    SECRET_KEY,
    SECRET_KEY_FALLBACKS,
)

DEBUG = False
if SECRET_KEY.startswith("dev-only") or len(SECRET_KEY) < 32:
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production")
# A fallback still verifies signatures: a known or short one would let anyone forge a session.
if any(key.startswith("dev-only") or len(key) < 32 for key in SECRET_KEY_FALLBACKS):
    raise ImproperlyConfigured(
        "SECRET_KEY_FALLBACKS may only hold former production keys (32+ random characters)"
    )
if not env.string("DATABASE_URL") or not env.string("REDIS_URL"):
    raise ImproperlyConfigured(
        "DATABASE_URL and REDIS_URL must point at real servers in production"
    )

HTTPS = PUBLIC_SCHEME == "https"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
# The probes (/healthz, /readyz) answer before this redirect, on any host, over plain HTTP.
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", default=HTTPS)
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", default=3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# Only with the file backend (a local compose run, scripts/prodlike): where the messages go.
EMAIL_FILE_PATH = env.string("EMAIL_FILE_PATH", EMAIL_FILE_PATH)

# Queues by latency class (docs/operations.md, "Background work"): `interactive` (the default)
# for what someone is waiting for — imports, webhook deliveries, emails, signup's spare
# schemas, Stripe events, the outbox sweeper — and `scheduled` for the periodic jobs, so a busy
# night of reports never delays an import. Workers pick queues with WORKER_QUEUES (all by
# default). Development and the tests keep one queue (base settings).
CELERY_TASK_DEFAULT_QUEUE = env.string("CELERY_QUEUE", "interactive")
CELERY_SCHEDULED_QUEUE = env.string("CELERY_SCHEDULED_QUEUE", "scheduled")
SCHEDULED_TASKS = (
    "notifications.dispatch",
    "notifications.practice_job",
    "api.idempotency_purge",
    "lifecycle.sweep",
    "lifecycle.practice_sweep",
)
CELERY_TASK_QUEUES = (Queue(CELERY_TASK_DEFAULT_QUEUE), Queue(CELERY_SCHEDULED_QUEUE))
CELERY_TASK_ROUTES = {task: {"queue": CELERY_SCHEDULED_QUEUE} for task in SCHEDULED_TASKS}

# Email and job retries wait up to 10 minutes in the broker (notifications/tasks.py); a task
# held longer than the visibility timeout would be handed to a second worker.
if CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] < 2400:  # noqa: F405
    raise ImproperlyConfigured("CELERY_VISIBILITY_TIMEOUT must be at least 2400 seconds")

# Static files carry a hash of their content in the name (app.3f2a9c.css) and are served
# compressed, forever cacheable; the image runs collectstatic at build time, so a template that
# names a missing file fails the build, not a page.
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Observability (docs/operations.md, "Logs, metrics, errors"): JSON logs naming the request,
# practice, role and task; request and task metrics on the internal METRICS_PORT; Sentry when
# SENTRY_DSN is set. Importing config.observability connects its Celery and model signals.
LOGGING = logging_config(
    fmt=env.string("LOG_FORMAT", "json"), level=env.string("LOG_LEVEL", "INFO").upper()
)
MIDDLEWARE = ["config.observability.RequestObservabilityMiddleware", *MIDDLEWARE]
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# /readyz also requires this release's migrations and reports whether a worker is alive.
READINESS_DEPLOYMENT_CHECKS = True
import config.observability  # noqa: E402, F401

init_sentry()
