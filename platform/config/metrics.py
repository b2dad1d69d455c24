"""Prometheus metrics, served on the internal port METRICS_PORT (9100 in the image) at /metrics
by every role: never on the public port, never through the Ingress.

| metric | type | labels |
|---|---|---|
| warmpath_http_request_duration_seconds | histogram | method, route (the URL pattern), status |
| warmpath_celery_task_duration_seconds | histogram | task, outcome (success, retry, failure) |
| warmpath_celery_task_failures_total | counter | task, exception |
| warmpath_celery_queue_length | gauge | queue (messages waiting in the broker) |
| warmpath_celery_unacked_messages | gauge | (delivered, not acknowledged: running or waiting) |
| warmpath_imports_total | counter | kind, outcome (succeeded, failed) |
| warmpath_webhook_attempts_total | counter | outcome (succeeded, failed) |
| warmpath_webhook_deliveries_total | counter | outcome (succeeded, failed: every attempt used) |
| warmpath_worker_heartbeat_timestamp_seconds | gauge | (last time a worker said it was alive) |

gunicorn and Celery run several processes; with PROMETHEUS_MULTIPROC_DIR set (the image sets
it; the entrypoint empties it at start) each writes its samples there and the exporter, in the
parent process, adds them up. The practice is deliberately not a label: thousands of practices
would make thousands of series per metric; logs carry it instead.
"""

import logging
import os
import time
from collections.abc import Iterable
from typing import Any

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, start_http_server
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

LATENCY_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
TASK_BUCKETS = (0.05, 0.1, 0.5, 1.0, 5.0, 15.0, 60.0, 300.0, 900.0, 1800.0)

REQUEST_LATENCY = Histogram(
    "warmpath_http_request_duration_seconds",
    "Time to answer a request, by URL pattern and status.",
    ["method", "route", "status"],
    buckets=LATENCY_BUCKETS,
)
TASK_DURATION = Histogram(
    "warmpath_celery_task_duration_seconds",
    "Time a Celery task ran, by task and outcome.",
    ["task", "outcome"],
    buckets=TASK_BUCKETS,
)
TASK_FAILURES = Counter(
    "warmpath_celery_task_failures_total",
    "Celery tasks that raised, by task and exception class.",
    ["task", "exception"],
)
IMPORTS = Counter(
    "warmpath_imports_total", "Imports that ended, by kind and outcome.", ["kind", "outcome"]
)
WEBHOOK_ATTEMPTS = Counter(
    "warmpath_webhook_attempts_total", "Webhook delivery attempts, by outcome.", ["outcome"]
)
WEBHOOK_DELIVERIES = Counter(
    "warmpath_webhook_deliveries_total",
    "Webhook deliveries that ended, by outcome (failed: every attempt used).",
    ["outcome"],
)

HEARTBEAT_KEY = "warmpath:worker:heartbeat"


def _broker_redis() -> Any:
    import redis
    from django.conf import settings

    return redis.Redis.from_url(str(settings.REDIS_URL), socket_connect_timeout=1, socket_timeout=2)


def celery_queues() -> list[str]:
    from django.conf import settings

    names = [str(settings.CELERY_TASK_DEFAULT_QUEUE)]
    for queue in getattr(settings, "CELERY_TASK_QUEUES", None) or []:
        name = getattr(queue, "name", None) or str(queue)
        if name not in names:
            names.append(name)
    return names


class BrokerCollector(Collector):
    """Queue lengths, unacknowledged messages and the workers' heartbeat, read from Redis when
    Prometheus scrapes (the worker and beat exporters register it)."""

    def collect(self) -> Iterable[GaugeMetricFamily]:
        length = GaugeMetricFamily(
            "warmpath_celery_queue_length", "Messages waiting in a Celery queue.", labels=["queue"]
        )
        unacked = GaugeMetricFamily(
            "warmpath_celery_unacked_messages",
            "Messages delivered to a worker and not yet acknowledged.",
        )
        heartbeat = GaugeMetricFamily(
            "warmpath_worker_heartbeat_timestamp_seconds",
            "Unix time a Celery worker last said it was alive.",
        )
        try:
            client = _broker_redis()
            for queue in celery_queues():
                # kombu keeps a queue's priorities in sibling lists: name, name\x06\x163, ...
                total = sum(
                    int(client.llen(key))
                    for key in [queue.encode(), *client.scan_iter(f"{queue}\x06\x16*")]
                )
                length.add_metric([queue], total)
            unacked.add_metric([], int(client.hlen("unacked")))
            seen = client.get(HEARTBEAT_KEY)
            if seen:
                heartbeat.add_metric([], float(seen))
        except Exception:
            logger.warning("metrics: the broker did not answer", exc_info=True)
            return []
        return [length, unacked, heartbeat]


def registry_for(role: str) -> CollectorRegistry:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    else:
        registry = REGISTRY
    if role in ("worker", "beat"):
        registry.register(BrokerCollector())
    return registry


_started: set[str] = set()


def start_exporter(*, role: str) -> None:
    """Serve /metrics on METRICS_PORT from this process (once), if the port is set."""
    port = os.environ.get("METRICS_PORT", "")
    if not port or role in _started:
        return
    _started.add(role)
    start_http_server(
        int(port), addr=os.environ.get("METRICS_ADDR", "0.0.0.0"), registry=registry_for(role)
    )
    logger.info("metrics on :%s/metrics (%s)", port, role)


def mark_process_dead(pid: int) -> None:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)


def worker_seen(*, within: float = 120.0) -> str:
    """ "ok" if a worker recorded its heartbeat in the last `within` seconds, "not seen" if
    none did, "unknown" if Redis does not answer."""
    try:
        seen = _broker_redis().get(HEARTBEAT_KEY)
    except Exception:
        return "unknown"
    return "ok" if seen and time.time() - float(seen) <= within else "not seen"


def worker_heartbeat_loop(interval: float = 30.0) -> None:
    """Run in a daemon thread of each worker's main process: record that a worker is alive
    (/readyz reports it; the dashboard alerts on it)."""
    while True:
        try:
            _broker_redis().set(HEARTBEAT_KEY, str(time.time()), ex=int(interval * 4))
        except Exception:
            logger.warning("metrics: could not record the worker heartbeat", exc_info=True)
        time.sleep(interval)
