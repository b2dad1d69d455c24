"""API keys remembered between requests, so an integration's calls do not each read its key.

A key found in the database is kept in the cache (Redis; the cache's key function puts each
practice's entries under its own schema name) for `KEY_CACHE_SECONDS`. Any change to a key, or
to the member it acts as, replaces the entry with a tombstone that lasts as long, and readers
only ever *add* an entry where there is none: a lookup that read the old row just before a
revocation can therefore never put it back. A tombstoned key is read from the database on each
use until the tombstone expires. Signals are wired in `api.apps`.
"""

from typing import Any

from django.core.cache import cache
from django_tenants.utils import get_public_schema_name

from api.models import ApiKey
from tenants.context import active_schema

KEY_CACHE_SECONDS = 300
_TOMBSTONE = "changed"


def _name(prefix: str) -> str:
    return f"api-key:{prefix}"


def key_by_prefix(*, prefix: str) -> ApiKey | None:
    """The unrevoked key with this public prefix (unique), with the member it acts as."""
    remembered = cache.get(_name(prefix))
    if isinstance(remembered, ApiKey):
        return remembered
    try:
        api_key = ApiKey.objects.select_related("acts_as").get(prefix=prefix, revoked=False)
    except ApiKey.DoesNotExist:
        return None
    if remembered is None:
        _remember(prefix=prefix, api_key=api_key)
    return api_key


def _remember(*, prefix: str, api_key: ApiKey) -> None:
    cache.add(_name(prefix), api_key, KEY_CACHE_SECONDS)  # never over a tombstone


def forget_key(*, prefix: str) -> None:
    cache.set(_name(prefix), _TOMBSTONE, KEY_CACHE_SECONDS)


def forget_changed_key(*, instance: ApiKey, created: bool = False, **_: Any) -> None:
    if not created:  # a new key cannot have been read before it existed
        forget_key(prefix=instance.prefix)


def forget_keys_of_changed_member(
    *, instance: Any, update_fields: frozenset[str] | None = None, **_: Any
) -> None:
    """A member's role, name or activity changed: the keys acting as them are read again.
    (The public schema's staff users have no keys, nor a key table; a login only stamps
    `last_login`, which no key depends on.)"""
    if active_schema() == get_public_schema_name() or update_fields == {"last_login"}:
        return
    for prefix in ApiKey.objects.filter(acts_as_id=instance.pk).values_list("prefix", flat=True):
        forget_key(prefix=prefix)
