"""The beat job's work in one practice, every few minutes: send exports that wait or whose run
went silent, remove expired export files, apply the retention rule, run the client deletions
whose grace period is over and, when its own is over, drop the practice. Each step stands alone:
one that fails is logged and the others still run (the next sweep tries it again)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone

from coaching.lifecycle.deletion import client_deletions_due, client_purge, practice_deletion_due
from coaching.lifecycle.exports import exports_expire, exports_to_queue
from coaching.lifecycle.practice_drop import practice_drop
from coaching.lifecycle.retention import retention_apply
from tenants.context import active_schema

logger = logging.getLogger(__name__)


@dataclass
class SweepResult:
    exports_queued: list[int] = field(default_factory=list)
    exports_expired: int = 0
    retention_scheduled: list[int] = field(default_factory=list)
    clients_deleted: list[int] = field(default_factory=list)
    practice_dropped: bool = False
    failed: list[str] = field(default_factory=list)


def practice_sweep(*, now: datetime | None = None) -> SweepResult:
    now = now or timezone.now()
    result = SweepResult()
    schema = active_schema()

    def step(name: str, work: Callable[[], None]) -> None:
        try:
            work()
        except Exception:
            logger.exception("lifecycle sweep: %s failed in %s", name, schema)
            result.failed.append(name)

    def queue() -> None:
        result.exports_queued = exports_to_queue(now=now)

    def expire() -> None:
        result.exports_expired = exports_expire(now=now)

    def retain() -> None:
        result.retention_scheduled = retention_apply(now=now)

    def purge() -> None:
        for request_id in client_deletions_due(now=now):
            if client_purge(request_id=request_id, now=now):
                result.clients_deleted.append(request_id)

    def drop() -> None:
        if practice_deletion_due(now=now) is not None:
            result.practice_dropped = practice_drop(schema_name=schema, now=now)

    for name, work in (
        ("exports_to_queue", queue),
        ("exports_expire", expire),
        ("retention", retain),
        ("client_deletions", purge),
        ("practice_deletion", drop),
    ):
        step(name, work)
    return result
