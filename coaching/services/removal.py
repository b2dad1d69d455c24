"""Removing a record logged by mistake, the same way for every kind.

The record goes; its timeline stays: a `<kind>.removed` event keeps what the record said (the
activity log is the history, so nothing already on it is rewritten). The deletion leaves a
tombstone for the API's deletions feed (`coaching.lifecycle.tombstones`, on `post_delete`) and is
announced as `record.deleted` for the webhooks, in the same transaction.

Applications, follow-ups, introductions, meetings and feedback are removed by the coach or the
owner (`coach_only`): the portal offers the client no removal of them, and the API follows it.

Not for contacts: deleting a person erases what is known of them (`coaching.lifecycle.deletion.
contact_delete`); two copies of one person are merged instead (`contact_merge`).
"""

from collections.abc import Iterable
from datetime import datetime

from django.db import models
from django.utils import timezone

from accounts.models import User
from coaching.access import ensure_can_coach, ensure_can_write
from coaching.events import record_deleted_announce
from coaching.models import Client
from coaching.services.activity import activity_record, field_values


def record_remove(
    *,
    record: models.Model,
    client: Client,
    actor: User,
    record_type: str,
    fields: Iterable[str],
    coach_only: bool = False,
    now: datetime | None = None,
) -> None:
    """Remove `record` (of `client`'s search) after the caller's own checks; `record_type` is the
    API's name for it (`application`, `follow_up`, …). Call inside the caller's transaction."""
    now = now or timezone.now()
    if coach_only:
        ensure_can_coach(actor=actor, client=client)
    else:
        ensure_can_write(actor=actor, client=client)
    record_id = record.pk
    activity_record(
        client=client,
        actor=actor,
        verb=f"{record_type}.removed",
        subject=record,
        changes=field_values(record, fields),
        at=now,
    )
    record.delete()
    record_deleted_announce(
        record_type=record_type, record_id=record_id, client_id=client.pk, deleted_at=now
    )
