"""Who is calling: an API key (`Authorization: Api-Key <key>`) or the web app's session.

Keys live in the practice's own schema, so a key of practice A is unknown on B's host (401).
A key acts as the member chosen when it was created; a deactivated member's keys stop working.
"""

from datetime import timedelta

from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from accounts.models import User
from api.models import ApiKey

KEYWORD = "Api-Key"
# `last_used_at` is written at most this often per key, so reads stay write-free.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _live_key(prefix: str) -> ApiKey | None:
    """The unrevoked key with this public prefix (unique), with the member it acts as."""
    try:
        return ApiKey.objects.select_related("acts_as").get(prefix=prefix, revoked=False)
    except ApiKey.DoesNotExist:
        return None


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[User, ApiKey] | None:
        scheme, _, key = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme.lower() != KEYWORD.lower():
            return None
        key = key.strip()
        prefix, dot, _ = key.partition(".")
        api_key = _live_key(prefix) if prefix and dot else None
        if (
            api_key is None
            or not api_key.is_valid(key)
            or api_key.has_expired
            or not api_key.acts_as.is_active
        ):
            raise exceptions.AuthenticationFailed(
                "Invalid, expired or revoked API key for this practice.", code="invalid_api_key"
            )
        now = timezone.now()
        if api_key.last_used_at is None or now - api_key.last_used_at > LAST_USED_RESOLUTION:
            ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
        return api_key.acts_as, api_key

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class SessionAuthentication(authentication.SessionAuthentication):
    """The web app's session; DRF enforces CSRF on unsafe methods for it."""
