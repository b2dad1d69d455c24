"""The Redis broker transport, with a fix for kombu 5.7.0's crash when the worker loses Redis.

The bug (kombu 5.7.0, `kombu/transport/redis.py`). When the worker's connection to Redis breaks,
Celery's consumer calls `Connection.collect()` and then `Connection.close()`. `collect()` closes
the channel first, but the channel's `close()` begins by reading the reply of the BRPOP it has in
flight (`Channel.close` → `_brpop_read`), which raises a connection error *before* the channel is
marked closed; `collect()` then detaches the transport from its connection
(`transport.client = None`). `close()` closes the same channel a second time; this time it gets
as far as restoring the worker's unacknowledged messages (any task running, or waiting for its
countdown), which builds a new Redis client from `self.connection.client` — now None — and dies
with `AttributeError: 'NoneType' object has no attribute 'hostname'`. Only connection errors are
ignored on that path, so the AttributeError escapes and the worker stops ("Unrecoverable error").
A late acknowledgement on the old channel takes the same road.

The fix. A channel whose transport has been detached has no broker to talk to: asking it for
connection parameters now raises Redis's own `ConnectionError`, which kombu and Celery already
treat as "the broker is gone; reconnect". The worker then reconnects as it should. The messages
it could not restore stay in Redis's unacked set and are handed out again after
`CELERY_VISIBILITY_TIMEOUT` (every task is idempotent), as after any unclean loss.

`register()` makes this transport the one behind the `redis://`, `rediss://` and
`redis+socket://` URLs (kombu's own alias table); `config.celery_app` calls it before the Celery
app makes any connection. `tests/faults/test_redis_down.py` reproduces the crash with a real
worker and a real Redis that is stopped and started again.
"""

from typing import Any

from kombu import transport as kombu_transports
from kombu.transport import redis as kombu_redis
from redis.exceptions import ConnectionError as RedisConnectionError


class Channel(kombu_redis.Channel):
    def _connparams(self, asynchronous: bool = False) -> Any:
        transport = self.connection
        if transport is None or transport.client is None:
            raise RedisConnectionError("The broker connection of this channel was closed.")
        return super()._connparams(asynchronous=asynchronous)  # type: ignore[misc]


class Transport(kombu_redis.Transport):
    Channel = Channel


TRANSPORT = f"{__name__}:Transport"


def register() -> None:
    """Serve the Redis URL schemes with `Transport` (idempotent)."""
    for scheme in ("redis", "rediss"):
        kombu_transports.TRANSPORT_ALIASES[scheme] = TRANSPORT
        vars(kombu_transports).get("_transport_cache", {}).pop(scheme, None)  # resolved before
