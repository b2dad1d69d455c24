"""Requests per acting person, counted in fixed windows.

One Redis round trip per request (INCR and EXPIRE in a pipeline), whatever the traffic: DRF's
default throttle keeps every request's timestamp in a list it reads and rewrites on each call,
which grows with the rate. A fixed window lets a client burst up to twice the rate across a
window boundary; that is the price, and it is documented in docs/api.md.

A key counts as the member it acts as. Cache keys go through the cache's key function, which
prefixes the practice's schema, so the same user id in two practices never shares a counter.

With Redis unreachable the throttle fails open: the request is let through and a warning logged
(at most once a minute per process), because refusing every API call during a cache outage would
do more harm than a minute of uncounted traffic.
"""

import logging
import time
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError
from rest_framework.request import Request
from rest_framework.settings import api_settings
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)
WARN_EVERY_SECONDS = 60


class PerUserThrottle(BaseThrottle):
    scope = "user"
    key_prefix = "throttle"  # tests give each run its own

    def __init__(self) -> None:
        self.limit, self.period = self.parse_rate(
            str(api_settings.DEFAULT_THROTTLE_RATES[self.scope])
        )
        self.retry_after: float | None = None

    @staticmethod
    def parse_rate(rate: str) -> tuple[int, int]:
        """`"1200/minute"` → (1200, 60); the unit's first letter counts (s, m, h, d)."""
        count, _, unit = rate.partition("/")
        return int(count), {"s": 1, "m": 60, "h": 3600, "d": 86400}[unit[0]]

    def allow_request(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return True  # nothing reaches a view unauthenticated anyway
        now = time.time()
        window = int(now // self.period)
        try:
            count = self._count(f"{self.key_prefix}:{self.scope}:{user.pk}:{window}")
        except (RedisError, OSError) as exc:  # the counter lives in Redis: fail open
            _warn_open(exc, now=now)
            return True
        if count <= self.limit:
            return True
        self.retry_after = (window + 1) * self.period - now
        return False

    def _count(self, name: str) -> int:
        cache = caches["default"]
        if isinstance(cache, RedisCache):
            key = cache.make_and_validate_key(name)
            client = cache._cache.get_client(key, write=True)
            pipe = client.pipeline()
            pipe.incr(key)
            pipe.expire(key, self.period + 1)
            count, _ = pipe.execute()
            return int(count)
        cache.add(name, 0, timeout=self.period + 1)  # other backends: not atomic, good enough
        return int(cache.incr(name))

    def wait(self) -> float | None:
        return self.retry_after


_last_warning = 0.0


def _warn_open(exc: Exception, *, now: float) -> None:
    global _last_warning
    if now - _last_warning >= WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning("API throttle failing open, its counter is unreachable: %r", exc)
