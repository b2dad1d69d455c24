"""Where logs, metrics and error reports learn what they belong to.

- `RequestObservabilityMiddleware` (first in production's MIDDLEWARE): a request id (the
  caller's `X-Request-ID` if it is sane, else a new one, echoed back), then — once the practice
  and the person are known, before the view — the practice's slug and the person's role, for
  every log line of the request; one JSON line per request at the end (method, route, status,
  duration); the latency histogram by URL pattern and status. Probes and /metrics are neither
  logged nor measured.
- Celery signals: each task's id and name for its log lines, its run time and outcome, its
  failures; in each worker's main process the /metrics exporter and the heartbeat thread; in
  beat, the exporter.
- Model signals: imports and webhook deliveries counted by outcome as their rows record it,
  whichever process or path ended them (a task, the sweeper).
- Sentry (`config.errors`), when enabled, gets the practice as a tag.

Connected once, when production settings import this module.
"""

import logging
import re
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

from celery import signals as celery_signals
from django.db.models.signals import post_save
from django.http import HttpRequest, HttpResponse

from config import logging as log_context
from config import metrics

logger = logging.getLogger("warmpath.request")

QUIET_PATHS = frozenset({"/healthz", "/readyz", "/metrics", "/favicon.ico"})
REQUEST_ID_HEADER = "X-Request-ID"
_SANE_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")


def _practice_slug(request: HttpRequest) -> str | None:
    """The practice's slug; None on the public site."""
    tenant = getattr(request, "tenant", None)
    if tenant is None or getattr(tenant, "schema_name", "public") == "public":
        return None
    return str(getattr(tenant, "slug", None) or tenant.schema_name) or None


def _set_sentry_tag(key: str, value: str | None) -> None:
    try:
        import sentry_sdk
    except ImportError:  # pragma: no cover - sentry-sdk is in the runtime set
        return
    if value:
        sentry_sdk.set_tag(key, value)


class RequestObservabilityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info in QUIET_PATHS:
            return self.get_response(request)
        started = time.perf_counter()
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        rid = incoming if _SANE_ID.match(incoming) else uuid.uuid4().hex
        tokens = [
            (log_context.request_id, log_context.request_id.set(rid)),
            (log_context.practice, log_context.practice.set(None)),
            (log_context.user_role, log_context.user_role.set(None)),
        ]
        response: HttpResponse | None = None
        try:
            response = self.get_response(request)
            return response
        finally:
            elapsed = time.perf_counter() - started
            status = response.status_code if response is not None else 500
            match = getattr(request, "resolver_match", None)
            if match is not None:
                route = match.route or match.view_name
            elif request.path_info.startswith("/static/"):
                route = "static"  # WhiteNoise answered before URL routing
            else:
                route = "unmatched"
            metrics.REQUEST_LATENCY.labels(request.method or "", route or "", str(status)).observe(
                elapsed
            )
            if log_context.practice.get() is None:
                log_context.practice.set(_practice_slug(request))
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                status,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "route": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 1),
                },
            )
            if response is not None:
                response[REQUEST_ID_HEADER] = rid
            for var, token in reversed(tokens):
                var.reset(token)

    def process_view(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        """Every middleware has run: the practice is routed and the person known."""
        slug = _practice_slug(request)
        log_context.practice.set(slug)
        _set_sentry_tag("practice", slug)
        user = getattr(request, "user", None)
        role = None
        if user is not None and getattr(user, "is_authenticated", False):
            role = str(getattr(user, "role", "") or "staff")
        log_context.user_role.set(role)
        _set_sentry_tag("role", role)


# --- Celery -----------------------------------------------------------------------------------

_task_started: dict[str, float] = {}


def _current_schema() -> str | None:
    from django.db import connection

    tenant = getattr(connection, "tenant", None)
    slug = getattr(tenant, "slug", None) if tenant is not None else None
    schema = getattr(connection, "schema_name", None)
    return str(slug or schema) if (slug or schema) and schema != "public" else None


@celery_signals.task_prerun.connect
def _task_prerun(task_id: str = "", task: Any = None, **_: Any) -> None:
    log_context.task_id.set(task_id)
    log_context.task_name.set(getattr(task, "name", None))
    slug = _current_schema()
    log_context.practice.set(slug)
    _set_sentry_tag("practice", slug)
    _task_started[task_id] = time.perf_counter()


@celery_signals.task_postrun.connect
def _task_postrun(task_id: str = "", task: Any = None, state: str | None = None, **_: Any) -> None:
    started = _task_started.pop(task_id, None)
    if started is not None:
        outcome = {"SUCCESS": "success", "RETRY": "retry"}.get(state or "", "failure")
        metrics.TASK_DURATION.labels(getattr(task, "name", "?"), outcome).observe(
            time.perf_counter() - started
        )
    log_context.task_id.set(None)
    log_context.task_name.set(None)
    log_context.practice.set(None)


@celery_signals.task_failure.connect
def _task_failure(sender: Any = None, exception: BaseException | None = None, **_: Any) -> None:
    metrics.TASK_FAILURES.labels(
        getattr(sender, "name", "?"), type(exception).__name__ if exception else "?"
    ).inc()


@celery_signals.worker_init.connect
def _worker_init(**_: Any) -> None:
    metrics.start_exporter(role="worker")


@celery_signals.worker_ready.connect
def _worker_ready(**_: Any) -> None:
    threading.Thread(
        target=metrics.worker_heartbeat_loop, name="warmpath-heartbeat", daemon=True
    ).start()


@celery_signals.worker_process_init.connect
def _worker_process_init(**_: Any) -> None:
    from config.tracing import init_tracing

    init_tracing()


@celery_signals.worker_process_shutdown.connect
def _worker_process_shutdown(pid: int | None = None, **_: Any) -> None:
    if pid:
        metrics.mark_process_dead(pid)


@celery_signals.beat_init.connect
def _beat_init(**_: Any) -> None:
    from config.tracing import init_tracing

    metrics.start_exporter(role="beat")
    init_tracing()


@celery_signals.setup_logging.connect
def _setup_logging(**_: Any) -> None:
    """Keep Django's LOGGING (JSON) in workers and beat instead of Celery's own format."""
    import logging.config

    from django.conf import settings

    logging.config.dictConfig(settings.LOGGING)


# --- Outcomes recorded on rows ----------------------------------------------------------------


def _on_save(sender: Any, instance: Any, created: bool, update_fields: Any, **_: Any) -> None:
    label = sender._meta.label
    if label == "coaching.ImportJob":
        fields = set(update_fields or ())
        if {"status", "finished_at"} <= fields and instance.status in ("succeeded", "failed"):
            metrics.IMPORTS.labels(str(instance.kind), str(instance.status)).inc()
    elif label == "api.WebhookDelivery":
        if created:
            return
        if update_fields is None and instance.last_attempt_at is not None:
            # delivery_attempt saves the whole row once per attempt
            outcome = "succeeded" if instance.status == "succeeded" else "failed"
            metrics.WEBHOOK_ATTEMPTS.labels(outcome).inc()
            if instance.status == "succeeded":
                metrics.WEBHOOK_DELIVERIES.labels("succeeded").inc()
        elif update_fields and "status" in update_fields and instance.status == "failed":
            metrics.WEBHOOK_DELIVERIES.labels("failed").inc()


post_save.connect(_on_save, dispatch_uid="warmpath-observability-outcomes")
