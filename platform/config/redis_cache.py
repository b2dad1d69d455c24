"""Django's Redis cache, with one Redis client per connection pool instead of one per call.

Django's backend builds a new `redis.Redis` object for every cache operation, and building one
copies redis-py's table of response callbacks. The clients are thread-safe and hold no state of
their own beyond their pool, so one per pool serves the whole process (the pool still hands each
command its own connection)."""

from typing import Any

from django.core.cache.backends import redis as django_redis


class _PooledClient(django_redis.RedisCacheClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        # Private to Django's client (not in its type stubs); pools live as long as this object.
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]
        client = self._clients.get(id(pool))
        if client is None:
            client = self._client(connection_pool=pool)  # type: ignore[attr-defined]
            self._clients[id(pool)] = client
        return client


class RedisCache(django_redis.RedisCache):
    def __init__(self, server: str, params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = _PooledClient
