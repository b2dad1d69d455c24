"""The activity timeline: every service writes one event in the same transaction as its change."""

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from accounts.models import User
from coaching.models import ActivityEvent, Client


def json_safe(value: Any) -> Any:
    """Dates, decimals and UUIDs as the API would show them, so the JSON column accepts them."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def field_values(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    return json_safe({f: _value(instance, f) for f in fields})


def _attname(instance: models.Model, field: str) -> str:
    """A foreign key is read and logged by its id (`coach_id`), not the related object."""
    return instance._meta.get_field(field).attname  # type: ignore[union-attr]


def _value(instance: models.Model, field: str) -> Any:
    return getattr(instance, _attname(instance, field))


def activity_record(
    *,
    client: Client,
    actor: User | None,
    verb: str,
    subject: models.Model,
    changes: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> ActivityEvent:
    return ActivityEvent.objects.create(
        client=client,
        actor=actor,
        verb=verb,
        subject_type=subject._meta.model_name or "",
        subject_id=subject.pk,
        at=at or timezone.now(),
        changes=json_safe(changes or {}),
    )


def apply_changes(
    instance: models.Model, data: dict[str, Any]
) -> tuple[list[str], dict[str, list[Any]]]:
    """Set `data` on `instance`; return the fields that really changed and their [old, new]."""
    changed: list[str] = []
    diff: dict[str, list[Any]] = {}
    for field, new in data.items():
        old = _value(instance, field)
        if old != new:
            setattr(instance, _attname(instance, field), new)
            changed.append(field)
            diff[field] = json_safe([old, new])
    return changed, diff


def save_changes(instance: models.Model, changed: list[str]) -> None:
    """Save only what changed; `updated_at` is listed because auto_now only runs when named."""
    if changed:
        instance.save(update_fields=[*changed, "updated_at"])
