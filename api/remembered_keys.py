"""API keys remembered between requests, so an integration's calls do not each read its key.

A key found in the database is kept in the cache (Redis; the cache's key function puts each
practice's entries under its own schema name) for `KEY_CACHE_SECONDS`. Any change to a key, or
to the member it acts as, replaces the entry with a tombstone that lasts as long, and readers
only ever *add* an entry where there is none: a lookup that read the old row just before a
revocation can therefore never put it back. A tombstoned key is read from the database on each
use until the tombstone expires. Signals are wired in `api.apps`.

With Redis unreachable, lookups read the database (and remember nothing), so the API keeps
answering. A change, though, must not happen without its tombstone — Redis may come back still
holding the old entry — so the tombstone is written *before* the change is saved (`pre_save`,
`pre_delete`) and, if Redis cannot take it, the change is refused with 503
(`TemporarilyUnavailable`) and nothing is saved. A second tombstone after the save is best
effort.
"""

import logging
from typing import Any

from django.core.cache import cache
from django_tenants.utils import get_public_schema_name
from redis.exceptions import RedisError

from config.outage import TemporarilyUnavailable
from integrations.models import ApiKey
from tenants.context import active_schema

logger = logging.getLogger(__name__)

KEY_CACHE_SECONDS = 300
_TOMBSTONE = "changed"


class KeyCacheUnavailable(TemporarilyUnavailable):
    default_detail = (
        "API keys and the people they act as cannot be changed while the cache is unreachable; "
        "nothing was changed. Try again in a minute."
    )


def _name(prefix: str) -> str:
    return f"api-key:{prefix}"


def key_by_prefix(*, prefix: str) -> ApiKey | None:
    """The unrevoked key with this public prefix (unique), with the member it acts as."""
    try:
        remembered = cache.get(_name(prefix))
        reachable = True
    except RedisError:
        logger.warning("key cache unreachable; reading key %s from the database", prefix)
        remembered, reachable = None, False
    if isinstance(remembered, ApiKey):
        return remembered
    try:
        api_key = ApiKey.objects.select_related("acts_as").get(prefix=prefix, revoked=False)
    except ApiKey.DoesNotExist:
        return None
    if remembered is None and reachable:
        _remember(prefix=prefix, api_key=api_key)
    return api_key


def _remember(*, prefix: str, api_key: ApiKey) -> None:
    try:
        cache.add(_name(prefix), api_key, KEY_CACHE_SECONDS)  # never over a tombstone
    except RedisError:
        logger.warning("key cache unreachable; key %s not remembered", prefix)


def forget_key(*, prefix: str) -> None:
    """Tombstone the key's entry. Raises KeyCacheUnavailable when Redis cannot take it."""
    try:
        cache.set(_name(prefix), _TOMBSTONE, KEY_CACHE_SECONDS)
    except RedisError as exc:
        raise KeyCacheUnavailable() from exc


def _forget_quietly(prefix: str) -> None:
    """The second tombstone, after the change: the first one already holds, so a failure here
    is logged, not raised (the change has been saved)."""
    try:
        forget_key(prefix=prefix)
    except KeyCacheUnavailable:
        logger.warning("key cache unreachable after key %s changed (tombstoned before)", prefix)


def _member_key_prefixes(instance: Any, update_fields: frozenset[str] | None) -> list[str]:
    """The keys acting as this member whose entries a change to the member makes stale. (The
    public schema's staff users have no keys, nor a key table; a login only stamps
    `last_login`, which no key depends on.)"""
    if active_schema() == get_public_schema_name() or update_fields == {"last_login"}:
        return []
    if instance.pk is None:
        return []
    return list(ApiKey.objects.filter(acts_as_id=instance.pk).values_list("prefix", flat=True))


def forget_key_before_change(*, instance: ApiKey, **_: Any) -> None:
    """pre_save / pre_delete of a key. A new key cannot have been read before it existed."""
    if not instance._state.adding:
        forget_key(prefix=instance.prefix)


def forget_changed_key(*, instance: ApiKey, created: bool = False, **_: Any) -> None:
    """post_save / post_delete of a key."""
    if not created:
        _forget_quietly(instance.prefix)


def forget_member_keys_before_change(
    *, instance: Any, update_fields: frozenset[str] | None = None, **_: Any
) -> None:
    """pre_save / pre_delete of a member: their role, name or activity is about to change."""
    if instance._state.adding:
        return
    for prefix in _member_key_prefixes(instance, update_fields):
        forget_key(prefix=prefix)


def forget_keys_of_changed_member(
    *, instance: Any, update_fields: frozenset[str] | None = None, **_: Any
) -> None:
    """post_save / post_delete of a member."""
    for prefix in _member_key_prefixes(instance, update_fields):
        _forget_quietly(prefix)
