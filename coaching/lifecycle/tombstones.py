"""Every deleted record an integration may hold leaves a tombstone for the deletions feed.

Tombstones are written by a `post_delete` receiver, so every way a record goes is covered: a
contact deleted with everything about it, a client's whole search, the interaction a coach
removes as logged by mistake, the cascade under any of them. Each names the record by its API
type and id, the client whose search it was and that client's coach (who may still read the
feed once the client is gone).

Deleting a whole search fires one receiver call per row; `batched` collects them and writes
them with one statement per thousand when the block ends (still in the deletion's
transaction), and knows the coach, so no query is made per row.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models.signals import post_delete
from django.utils import timezone

from coaching.lifecycle.models import DeletedRecord, ExportJob
from coaching.models import (
    Application,
    Client,
    Contact,
    Feedback,
    FollowUp,
    ImportJob,
    Interaction,
    Introduction,
    Meeting,
)

# The models the API serves, by the type name the API and the feed use for them.
RECORD_TYPES: dict[type[models.Model], str] = {
    Client: "client",
    Contact: "contact",
    Interaction: "interaction",
    Introduction: "introduction",
    FollowUp: "follow_up",
    Application: "application",
    Meeting: "meeting",
    Feedback: "feedback",
    ImportJob: "import",
    ExportJob: "export",
}


@dataclass
class _Batch:
    coach_id: int | None
    rows: list[DeletedRecord] = field(default_factory=list)


_batch: ContextVar[_Batch | None] = ContextVar("tombstone_batch", default=None)


@contextmanager
def batched(*, coach_id: int | None) -> Iterator[None]:
    """Collect the tombstones of the deletions in the block (all of one client, coached by
    `coach_id`) and write them together at its end."""
    batch = _Batch(coach_id=coach_id)
    token = _batch.set(batch)
    try:
        yield
    finally:
        _batch.reset(token)
    DeletedRecord.objects.bulk_create(batch.rows, batch_size=1000)


def _client_and_coach(instance: models.Model) -> tuple[int | None, int | None]:
    if isinstance(instance, Client):
        return instance.pk, instance.coach_id
    client_id = getattr(instance, "client_id", None)
    batch = _batch.get()
    if batch is not None:
        return client_id, batch.coach_id
    coach_id = (
        Client.objects.filter(pk=client_id).values_list("coach_id", flat=True).first()
        if client_id is not None
        else None
    )
    return client_id, coach_id


def _record(sender: type[models.Model], instance: models.Model, **_: Any) -> None:
    client_id, coach_id = _client_and_coach(instance)
    row = DeletedRecord(
        record_type=RECORD_TYPES[sender],
        record_id=instance.pk,
        client_id=client_id,
        coach_id=coach_id,
        deleted_at=timezone.now(),
    )
    batch = _batch.get()
    if batch is not None:
        batch.rows.append(row)
    else:
        row.save()


def connect() -> None:
    for model in RECORD_TYPES:
        post_delete.connect(_record, sender=model, dispatch_uid=f"lifecycle.tombstone.{model}")
