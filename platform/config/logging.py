"""Structured logs: one JSON object per line, each naming the request, the practice, the
person's role and the Celery task it belongs to, whichever apply.

    {"time": "...", "level": "INFO", "logger": "api.views", "message": "...",
     "request_id": "9f1c...", "practice": "acme", "role": "coach",
     "task_id": null, "task": null, "process_role": "web", "version": "1.4.0"}

The fields come from context variables that `config.observability` sets for each request
(`RequestObservabilityMiddleware`) and each task (Celery signals), so any logger anywhere gets
them without passing anything around. LOG_FORMAT=json (production's default) or text (the
development default, one readable line). Every process logs to stderr; the platform (Docker,
Kubernetes) collects it.
"""

import contextvars
import logging
import os
from typing import Any

from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

request_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_id", default=None)
practice: contextvars.ContextVar[str | None] = contextvars.ContextVar("practice", default=None)
user_role: contextvars.ContextVar[str | None] = contextvars.ContextVar("user_role", default=None)
task_id: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_id", default=None)
task_name: contextvars.ContextVar[str | None] = contextvars.ContextVar("task_name", default=None)

CONTEXT_FIELDS = ("request_id", "practice", "role", "task_id", "task")


class ContextFilter(logging.Filter):
    """Copies the current request's and task's context onto every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        record.practice = practice.get()
        record.role = user_role.get()
        record.task_id = task_id.get()
        record.task = task_name.get()
        record.process_role = os.environ.get("WARMPATH_ROLE", "")
        record.version = os.environ.get("WARMPATH_VERSION", "")
        return True


class JsonFormatter(_JsonFormatter):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault(
            "rename_fields", {"asctime": "time", "levelname": "level", "name": "logger"}
        )
        kwargs.setdefault("timestamp", False)
        super().__init__(
            "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(practice)s "
            "%(role)s %(task_id)s %(task)s %(process_role)s %(version)s",
            *args,
            **kwargs,
        )

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        from datetime import UTC, datetime

        return datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")


TEXT_FORMAT = (
    "%(asctime)s %(levelname)s %(name)s [%(practice)s %(role)s %(request_id)s %(task)s] %(message)s"
)


def logging_config(*, fmt: str = "json", level: str = "INFO") -> dict[str, Any]:
    """A `LOGGING` dict (also gunicorn's `logconfig_dict`): every record through the context
    filter to stderr, as JSON or as one line of text."""
    formatter: dict[str, Any] = (
        {"()": "config.logging.JsonFormatter"} if fmt == "json" else {"format": TEXT_FORMAT}
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"context": {"()": "config.logging.ContextFilter"}},
        "formatters": {"default": formatter},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["context"],
            }
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            # The embedded PostgreSQL narrates every start and stop at INFO; keep its problems.
            "pgserver": {"level": "WARNING"},
            # gunicorn's own messages (worker started, timeouts) in the same format.
            "gunicorn.error": {"handlers": ["console"], "level": level, "propagate": False},
            # Requests are logged once by config.observability, with their context.
            "gunicorn.access": {"handlers": [], "propagate": False},
            "django.server": {"handlers": [], "propagate": False},
        },
    }
