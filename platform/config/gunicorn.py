"""gunicorn's settings for the web role (`gunicorn --config python:config.gunicorn`), each read
from the environment (docs/operations.md, "Settings").

Sync workers, about two per core (docs/performance.md explains why not gthread); a worker that
has served `max_requests` requests is replaced, so a slow leak never grows without bound. The
worker heartbeat lives in /dev/shm, not on the (possibly read-only, possibly slow) disk.
"""

from pathlib import Path
from typing import Any

from config import env
from config.logging import logging_config

bind = f"{env.string('WEB_HOST', '0.0.0.0')}:{env.integer('PORT', default=8000)}"
workers = env.integer("WEB_CONCURRENCY", default=4)
worker_class = "sync"
timeout = env.integer("WEB_TIMEOUT", default=30)
graceful_timeout = env.integer("WEB_GRACEFUL_TIMEOUT", default=25)
keepalive = 5
max_requests = env.integer("WEB_MAX_REQUESTS", default=2000)
max_requests_jitter = max_requests // 10
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None
# Each request is logged once, as JSON, by config.logging.RequestLogMiddleware (with its request
# id, practice and role); gunicorn's own access log would only repeat it without them.
accesslog = None
errorlog = "-"
loglevel = env.string("LOG_LEVEL", "INFO").lower()
# gunicorn's own messages (workers started, timeouts) as JSON lines like every other process's.
logconfig_dict = logging_config(
    fmt=env.string("LOG_FORMAT", "json"), level=env.string("LOG_LEVEL", "INFO").upper()
)
forwarded_allow_ips = env.string("FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "warmpath-web"


def when_ready(server: Any) -> None:
    """Serve /metrics for all workers from the master (config.metrics)."""
    from config.metrics import start_exporter

    start_exporter(role="web")


def post_fork(server: Any, worker: Any) -> None:
    """Tracing starts in each worker, after the fork (config/tracing.py)."""
    from config.tracing import init_tracing

    init_tracing()


def child_exit(server: Any, worker: Any) -> None:
    """A worker that exited no longer counts in the live gauges."""
    from config.metrics import mark_process_dead

    mark_process_dead(worker.pid)
