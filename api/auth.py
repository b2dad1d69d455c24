"""Who is calling: an API key (`Authorization: Api-Key <key>`) or the web app's session.

Keys live in the practice's own schema, so a key of practice A is unknown on B's host (401).
A key acts as the member chosen when it was created; a deactivated member's keys stop working.
Keys are read through `api.remembered_keys`, which keeps them between requests.
"""

from datetime import datetime, timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import User
from api.remembered_keys import key_by_prefix
from audit.context import note_api_key
from integrations.models import ApiKey
from tenants.context import active_schema

KEYWORD = "Api-Key"
# `last_used_at` is written at most this often per key and web process, so reads stay write-free.
LAST_USED_RESOLUTION = timedelta(minutes=1)
_last_written: dict[tuple[str, str], datetime] = {}


def _record_use(api_key: ApiKey, *, now: datetime) -> None:
    """Write `last_used_at` at most once per LAST_USED_RESOLUTION per key and process."""
    seen = (active_schema(), api_key.pk)
    last = _last_written.get(seen)
    if last is not None and now - last < LAST_USED_RESOLUTION:
        return
    _last_written[seen] = now
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiKey] | None:
        scheme, _, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != KEYWORD.lower():
            return None
        key = key.strip()
        prefix, dot, _ = key.partition(".")
        # Prefixes are letters and digits: anything else (a NUL, say) is no key, unlooked-up.
        wellformed = prefix.isascii() and prefix.isalnum() and bool(dot)
        api_key = key_by_prefix(prefix=prefix) if wellformed else None
        if (
            api_key is None
            or not api_key.is_valid(key)
            or api_key.has_expired
            or not api_key.acts_as.is_active
        ):
            raise exceptions.AuthenticationFailed(
                "Invalid, expired or revoked API key for this practice.", code="invalid_api_key"
            )
        _record_use(api_key, now=timezone.now())
        note_api_key(prefix=api_key.prefix)
        return api_key.acts_as, api_key

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class SessionAuthentication(authentication.SessionAuthentication):
    """The web app's session; DRF enforces CSRF on unsafe methods for it."""
