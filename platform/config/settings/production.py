"""Production: every secret from the environment, HTTPS, real PostgreSQL and Redis."""

from django.core.exceptions import ImproperlyConfigured

from config import env
from config.settings.base import *  # noqa: F403
from config.settings.base import SECRET_KEY, SECRET_KEY_FALLBACKS

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

PUBLIC_SCHEME = "https"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_SSL_REDIRECT = env.boolean("SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.integer("SECURE_HSTS_SECONDS", default=3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
EMAIL_BACKEND = env.string("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
