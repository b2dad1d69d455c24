"""Settings shared by every environment. Each value a deployment may change is read from the
environment; `docs/operations.md` and `.env.example` list them all."""

from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

from config import env
from embedded import redis as embedded_redis
from embedded.paths import data_dir

BASE_DIR = Path(__file__).resolve().parents[3]
DATA_DIR = data_dir()

SECRET_KEY = env.string("SECRET_KEY", "dev-only-insecure-key-change-me")
# Old keys still accepted (never used to sign) while a rotation settles: comma-separated, newest
# first. Sessions, password-reset and invitation links made with them keep working until the key
# is dropped from this list (docs/operations.md, "Rotating SECRET_KEY").
SECRET_KEY_FALLBACKS = env.csv_list("SECRET_KEY_FALLBACKS")
DEBUG = env.boolean("DEBUG", default=False)

# Practices live at <slug>.<BASE_DOMAIN>; the bare BASE_DOMAIN serves the public site.
BASE_DOMAIN = env.string("BASE_DOMAIN", "localhost")
PUBLIC_PORT = env.string("PUBLIC_PORT", "8000")
PUBLIC_SCHEME = env.string("PUBLIC_SCHEME", "http")
ALLOWED_HOSTS = [BASE_DOMAIN, f".{BASE_DOMAIN}", *env.csv_list("EXTRA_ALLOWED_HOSTS")]
CSRF_TRUSTED_ORIGINS = [
    f"{PUBLIC_SCHEME}://*.{BASE_DOMAIN}" + (f":{PUBLIC_PORT}" if PUBLIC_PORT else ""),
    f"{PUBLIC_SCHEME}://{BASE_DOMAIN}" + (f":{PUBLIC_PORT}" if PUBLIC_PORT else ""),
]
RESERVED_SLUGS = frozenset(
    {
        "www", "api", "admin", "public", "static", "media", "app", "mail", "smtp", "ftp",
        "help", "support", "status", "billing", "docs", "blog", "assets", "cdn", "auth",
        "login", "signup", "dashboard", "demo-template", "warmpath",
    }
)  # fmt: skip

SHARED_APPS = [
    "django_tenants",
    "tenants",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "django.contrib.postgres",  # trigram lookups (pg_trgm: tenants/migrations/0004_pg_trgm.py)
    "accounts",
    "frontend",
    "django_htmx",
    "billing",
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "accounts",
    "audit",
    "coaching",
    "coaching.insights",
    "coaching.lifecycle",
    "coaching.capture",
    "coaching.notes",  # session notes and action items
    "rest_framework",
    "rest_framework_api_key",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "integrations",  # API keys and webhooks: the `api` app's tables, shared by every face
    "api",
    "notifications",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "tenants.Practice"
TENANT_DOMAIN_MODEL = "tenants.Domain"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
ROOT_URLCONF = "config.urls_tenant"
DEFAULT_NOT_FOUND_TENANT_VIEW = "frontend.views.public.no_such_practice"
# Issue `SET search_path` only when a connection's path changes (tenants/db_backend). Never put
# a transaction-mode pooler in front: a query could run with another client's path, in another
# practice's schema (docs/operations.md, "PgBouncer"); session mode is safe.
TENANT_LIMIT_SET_CALLS = env.boolean("TENANT_LIMIT_SET_CALLS", default=True)
# How long a web process trusts its copy of a host's practice (tenants/middleware.py); 0: never.
PRACTICE_LOOKUP_CACHE_SECONDS = env.integer("PRACTICE_LOOKUP_CACHE_SECONDS", default=10)

MIDDLEWARE = [
    "config.health.HealthMiddleware",  # /healthz, /readyz: before routing, any host
    "tenants.middleware.PracticeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "audit.middleware.AuditOriginMiddleware",
    "accounts.middleware.PracticeMfaMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "frontend.zones.ViewerZoneMiddleware",  # times shown and typed in the viewer's zone
    "billing.middleware.ReadOnlyWhenLapsedMiddleware",
    "config.outage.OutageMiddleware",  # Redis or PostgreSQL unreachable: 503, Retry-After
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "frontend.context_processors.product",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"


def _database() -> dict[str, object]:
    url = env.string("DATABASE_URL")
    if url:
        config: dict[str, object] = dict(
            dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        )
        config["ENGINE"] = "tenants.db_backend"
        return config
    # The embedded default: the backend starts pgserver on first connection.
    return {
        "ENGINE": "embedded.backend",
        "NAME": "warmpath",
        "USER": "postgres",
        "HOST": "",
        "CONN_MAX_AGE": 60,
        # A kept connection is checked before its first use in each request, so the first
        # request after a PostgreSQL restart reconnects instead of failing.
        "CONN_HEALTH_CHECKS": True,
    }


DATABASES = {"default": _database()}
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.string("REDIS_URL") or embedded_redis.url()
USES_EMBEDDED_REDIS = not env.string("REDIS_URL")

CACHES = {
    "default": {
        "BACKEND": "config.redis_cache.RedisCache",
        "LOCATION": REDIS_URL,
        # Redis unreachable must not hang a request: callers fall back (docs/operations.md).
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/accounts/login/"
ACCOUNT_ADAPTER = "accounts.adapters.PracticeAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_PASSWORD_RESET_TOKEN_GENERATOR = (
    "accounts.password_reset.PracticePasswordResetTokenGenerator"
)
INVITATION_MAX_AGE_DAYS = 7
# Owners who sign up confirm their address (accounts/verification.py); the key is random and
# stored in the practice's schema, so a link from one practice means nothing on another.
ACCOUNT_EMAIL_CONFIRMATION_HMAC = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
# Rate limits (django-ratelimit, per address, in the cache): practice signups on the public site
# and invitation acceptances. allauth limits sign-in, failed sign-ins and password resets itself
# (ACCOUNT_RATE_LIMITS: its defaults). With the cache unreachable, limits fail open (logged).
SIGNUP_RATE_LIMIT = env.string("SIGNUP_RATE_LIMIT", default="5/h")
INVITATION_RATE_LIMIT = env.string("INVITATION_RATE_LIMIT", default="10/m")
RATELIMIT_FAIL_OPEN = True
# Two-step sign-in (allauth.mfa): an authenticator app (TOTP) with recovery codes. An owner can
# require it for everyone in the practice (accounts/middleware.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Warmpath"
MFA_RECOVERY_CODE_COUNT = 10
MFA_TOTP_TOLERANCE = 1  # a code from the step before or after is accepted: phones drift

SESSION_COOKIE_NAME = "warmpath_session"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "warmpath_csrf"

# Content-Security-Policy (django-csp): scripts and <style> come from our own origin or carry the
# request's nonce (`nonce="{{ request.csp_nonce }}"`); no inline event handlers, `javascript:`
# links or style attributes, no plugins, never framed. Forms may post (and be redirected) to our
# own hosts, since the public site hands a new practice over to its host, and to Stripe's checkout
# and billing portal, where billing sends the owner. tests/e2e/test_csp.py visits every main page
# in Chromium and fails on any violation.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],  # data: for the two-step sign-in QR code and Swagger's icons
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [
            SELF,
            *CSRF_TRUSTED_ORIGINS,
            "https://checkout.stripe.com",
            "https://billing.stripe.com",
        ],
    },
}

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT: Path | None = BASE_DIR / "staticfiles"
STATICFILES_DIRS: list[Path] = []
MEDIA_ROOT = Path(env.string("MEDIA_ROOT") or DATA_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = str(DATA_DIR / "mail")
EMAIL_HOST = env.string("EMAIL_HOST", "localhost")
EMAIL_PORT = env.integer("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.string("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env.string("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env.boolean("EMAIL_USE_TLS", default=False)
DEFAULT_FROM_EMAIL = env.string("DEFAULT_FROM_EMAIL", "Warmpath <no-reply@warmpath.localhost>")

# How many pre-migrated spare schemas signup can claim instantly (see tenants/provisioning.py).
SPARE_SCHEMA_POOL_SIZE = env.integer("SPARE_SCHEMA_POOL_SIZE", default=3)

# Migrating practices' schemas in parallel (`manage.py migrate_practices`, the `migrate` role;
# also django-tenants' `migrate_schemas --executor=multiprocessing`): processes, each holding one
# database connection while it runs (keep under what the database allows), and how many schemas
# each process takes per hand-out.
TENANT_MULTIPROCESSING_MAX_PROCESSES = env.integer(
    "TENANT_MULTIPROCESSING_MAX_PROCESSES", default=2
)
TENANT_MULTIPROCESSING_CHUNKS = env.integer("TENANT_MULTIPROCESSING_CHUNKS", default=2)

CELERY_BROKER_URL = embedded_redis.celery_url(REDIS_URL)
CELERY_RESULT_BACKEND = None
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(DATA_DIR / "celerybeat-schedule")

STRIPE_SECRET_KEY = env.string("STRIPE_SECRET_KEY")
STRIPE_WEBHOOK_SECRET = env.string("STRIPE_WEBHOOK_SECRET")
STRIPE_API_BASE = env.string("STRIPE_API_BASE")
# Stripe Price ids (per-seat, recurring) of the two plans; a plan without one is not offered.
STRIPE_PRICE_SOLO = env.string("STRIPE_PRICE_SOLO")
STRIPE_PRICE_TEAM = env.string("STRIPE_PRICE_TEAM")
# Days a past-due subscription keeps the practice writable while Stripe retries the card.
BILLING_PAST_DUE_GRACE_DAYS = env.integer("BILLING_PAST_DUE_GRACE_DAYS", default=7)
# Active clients a practice may have during its free trial.
BILLING_TRIAL_SEATS = env.integer("BILLING_TRIAL_SEATS", default=10)
# The free trial's length, and what a seat costs a month on each plan, in the currency's smallest
# unit: the pricing page shows these, and checkout refuses a Stripe Price that charges otherwise
# (billing.plans), so the page and the invoice always say the same.
BILLING_TRIAL_DAYS = env.integer("BILLING_TRIAL_DAYS", default=14)
BILLING_CURRENCY = env.string("BILLING_CURRENCY", "usd")
BILLING_SEAT_PRICE_SOLO = env.integer("BILLING_SEAT_PRICE_SOLO", default=2900)
BILLING_SEAT_PRICE_TEAM = env.integer("BILLING_SEAT_PRICE_TEAM", default=3900)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.string("LOG_LEVEL", "INFO")},
    # The embedded PostgreSQL narrates every start and stop at INFO; keep only its problems.
    "loggers": {"pgserver": {"level": "WARNING"}},
}

# The REST API at /api/v1/ on each practice's host (api/, docs/api.md). Throttle counters live in
# the cache, whose keys carry the practice's schema, so one practice never spends another's quota.
API_RATE_PER_USER = env.string("API_RATE_PER_USER", "1200/minute")
# Webhook deliveries to private or loopback addresses are refused (no probing of our own network)
# unless this is on; dev.py turns it on so a receiver on localhost works. Off by default, not tied
# to DEBUG, so no environment switches it on by accident (integrations/webhooks/egress.py).
WEBHOOKS_ALLOW_PRIVATE_NETWORKS = env.boolean("WEBHOOKS_ALLOW_PRIVATE_NETWORKS", default=False)
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.auth.ApiKeyAuthentication",  # first, so a missing credential answers 401
        "api.auth.SessionAuthentication",  # the web app's session, CSRF enforced
    ],
    "DEFAULT_PERMISSION_CLASSES": ["api.permissions.IsPracticeMember", "api.permissions.KeyScope"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerUserThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": API_RATE_PER_USER},
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "api.filters.FilterBackend",  # django-filter's, skipped when no filter is asked for
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "EXCEPTION_HANDLER": "config.outage.api_exception_handler",  # api.errors' + 503s
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Warmpath API",
    "DESCRIPTION": "Version 1 of the Warmpath REST API, served on each practice's own host. "
    "See docs/api.md for authentication, scope, errors, pagination and webhooks.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "ClientStatusEnum": "coaching.choices.ClientStatus",
        "IntroductionStatusEnum": "coaching.choices.IntroductionStatus",
        "ApplicationStatusEnum": "coaching.choices.ApplicationStatus",
        "MeetingStatusEnum": "coaching.choices.MeetingStatus",
        "MeetingOutcomeEnum": "api.serializers.MEETING_OUTCOMES",
        "ImportStatusEnum": "coaching.choices.ImportStatus",
        "DeliveryStatusEnum": "integrations.models.DeliveryStatus",
        "InvitationStatusEnum": "api.practice.INVITATION_STATUSES",
        "ApplicationSourceEnum": "coaching.choices.ApplicationSource",
        "FeedbackSourceEnum": "coaching.choices.FeedbackSource",
        "InteractionKindEnum": "coaching.choices.InteractionKind",
        "IntroductionKindEnum": "coaching.choices.IntroductionKind",
        "ImportKindEnum": "coaching.choices.ImportKind",
        "RoleEnum": "accounts.models.Role",
        "InvitedRoleEnum": "api.practice.INVITED_ROLES",
        "VerdictEnum": "coaching.choices.Verdict",
        "AbandonReasonEnum": "coaching.choices.AbandonReason",
        "ChecklistStateEnum": "coaching.choices.ChecklistState",
        "DispositionStateEnum": "coaching.diagnostics.findings.DispositionState",
        "ExportKindEnum": "coaching.lifecycle.models.ExportKind",
        "ExportStatusEnum": "coaching.lifecycle.models.ExportStatus",
        "DeletionKindEnum": "coaching.lifecycle.models.DeletionKind",
        "DeletionStatusEnum": "coaching.lifecycle.models.DeletionStatus",
        "DeletedRecordTypeEnum": "api.lifecycle.RECORD_TYPE_CHOICES",
    },
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "PREPROCESSING_HOOKS": ["api.schema.only_api_endpoints"],
}

# Background jobs (platform/notifications, docs/operations.md): beat fires one dispatcher every
# hour on the hour; it queues each practice's jobs at the practice's local times, spread out.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    # Every ten minutes the dispatcher queues the jobs whose place in the hour's spread falls
    # in the next ten minutes, each with a countdown under ten minutes (notifications/tasks.py).
    "notifications-dispatch": {
        "task": "notifications.dispatch",
        "schedule": crontab(minute="*/10"),  # it reads each practice's local time
        "options": {"expires": 540},  # a dispatch held up past its window is skipped
    },
    # Idempotency-Key records older than their 24 hours, in every practice (api/idempotency.py).
    "api-idempotency-purge": {
        "task": "api.idempotency_purge",
        "schedule": crontab(minute=30),
        "options": {"expires": 3000},
    },
    # Exports, deletions whose grace period is over, retention, in every practice
    # (coaching/lifecycle/sweep.py).
    "lifecycle-sweep": {"task": "lifecycle.sweep", "schedule": 300.0, "options": {"expires": 290}},
}
# Seconds an unacknowledged task waits before Redis hands it to another worker (a worker killed
# mid-task). A task held for a countdown is unacknowledged all that time, so no countdown may
# come near it: every countdown stays under CELERY_MAX_COUNTDOWN_SECONDS (a quarter of the
# timeout, 10 minutes at most); longer waits are due times in the database that beat's
# sweeper or the ten-minute dispatcher turn into tasks when they come (docs/operations.md).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.integer("CELERY_VISIBILITY_TIMEOUT", default=3600)
}
CELERY_MAX_COUNTDOWN_SECONDS = min(600, CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] // 4)
# Imports of one practice that run at once; more wait, queued, for a free slot (the run that
# frees it sends the next one), so one practice's pile of uploads never fills every worker. Keep
# it below the worker processes serving imports (WORKER_CONCURRENCY x pods): with 2 processes,
# a cap of 2 let one practice's two big files hold both while a small one waited behind them.
IMPORTS_MAX_CONCURRENT_PER_PRACTICE = env.integer("IMPORTS_MAX_CONCURRENT_PER_PRACTICE", default=1)
CELERY_TASK_DEFAULT_QUEUE = env.string("CELERY_QUEUE", "celery")
# Seconds before a failed email's first retry; later retries wait up to twice as long each.
NOTIFICATIONS_RETRY_BACKOFF = env.integer("NOTIFICATIONS_RETRY_BACKOFF", default=30)
# The worker keeps trying to reach Redis, at start and after losing it, however long it takes.
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_MAX_RETRIES = None

# Every job is a database row first, sent to the broker once it commits (docs/operations.md,
# "Jobs always end"). Every minute the sweeper sends again what still waits after
# JOBS_REQUEUE_AFTER_SECONDS (the broker was down, or lost it) and takes over runs that have
# shown no sign of life for JOBS_LEASE_SECONDS (their worker died).
JOBS_REQUEUE_AFTER_SECONDS = env.integer("JOBS_REQUEUE_AFTER_SECONDS", default=120)
JOBS_LEASE_SECONDS = env.integer("JOBS_LEASE_SECONDS", default=600)

# Inbound mail (docs/capture.md, docs/operations.md "Inbound mail"): each client's address is
# log+<token>@<practice slug>.INBOUND_MAIL_DOMAIN, received by the SMTP server scripts/run starts
# (INBOUND_SMTP_HOST:INBOUND_SMTP_PORT) or posted by a provider to /inbound/mail/ on the public
# host, signed with INBOUND_MAIL_WEBHOOK_SECRET (unset: the endpoint refuses everything).
INBOUND_MAIL_DOMAIN = env.string("INBOUND_MAIL_DOMAIN", f"inbound.{BASE_DOMAIN}")
INBOUND_SMTP_HOST = env.string("INBOUND_SMTP_HOST", "127.0.0.1")
INBOUND_SMTP_PORT = env.integer("INBOUND_SMTP_PORT", default=8025)
INBOUND_MAIL_MAX_BYTES = env.integer("INBOUND_MAIL_MAX_BYTES", default=10 * 1024 * 1024)
INBOUND_MAIL_WEBHOOK_SECRET = env.string("INBOUND_MAIL_WEBHOOK_SECRET")
CELERY_BEAT_SCHEDULE["jobs-sweep"] = {
    "task": "notifications.sweep",
    "schedule": 60.0,
    "options": {"expires": 55},
}
