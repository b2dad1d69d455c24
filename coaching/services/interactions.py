"""Writes to the record of what happened between the client and a contact."""

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.access import ensure_can_write
from coaching.choices import Channel, Direction, InteractionKind
from coaching.events import record_deleted_announce
from coaching.models import Client, Contact, Interaction
from coaching.services.activity import activity_record, apply_changes, field_values, save_changes
from coaching.validation import Errors, unknown_fields

INTERACTION_FIELDS = ("contact", "occurred_at", "channel", "direction", "kind", "replied_at")


def check_interaction(
    errors: Errors,
    *,
    client: Client,
    contact: Contact,
    occurred_at: datetime,
    channel: str,
    direction: str,
    kind: str,
    replied_at: datetime | None,
    now: datetime,
) -> None:
    """Every rule an interaction obeys; shared by the service and the importer."""
    errors.belongs("contact", contact, client)
    errors.not_future("occurred_at", occurred_at, now=now)
    errors.choice("channel", channel, Channel)
    errors.choice("direction", direction, Direction)
    errors.choice("kind", kind, InteractionKind)
    if replied_at is not None:
        if direction != Direction.OUTBOUND:
            errors.add("replied_at", "Only a message the client sent can be replied to.")
        errors.not_future("replied_at", replied_at, now=now)
        if "occurred_at" not in errors:
            errors.not_before("replied_at", replied_at, occurred_at, "the message it answers")


def interaction_add(
    *,
    client: Client,
    actor: User | None,
    contact: Contact,
    occurred_at: datetime,
    channel: str,
    direction: str,
    kind: str,
    replied_at: datetime | None = None,
    note: str = "",
    now: datetime,
    verb: str = "interaction.recorded",
) -> Interaction:
    """Validate and write one interaction; callers have already checked access."""
    errors = Errors()
    check_interaction(
        errors,
        client=client,
        contact=contact,
        occurred_at=occurred_at,
        channel=channel,
        direction=direction,
        kind=kind,
        replied_at=replied_at,
        now=now,
    )
    errors.raise_if_any()
    interaction = Interaction.objects.create(
        client=client,
        contact=contact,
        occurred_at=occurred_at,
        channel=channel,
        direction=direction,
        kind=kind,
        replied_at=replied_at,
        note=note.strip(),
    )
    activity_record(
        client=client,
        actor=actor,
        verb=verb,
        subject=interaction,
        changes=field_values(interaction, INTERACTION_FIELDS),
    )
    return interaction


@transaction.atomic
def interaction_record(
    *,
    client: Client,
    actor: User,
    contact: Contact,
    occurred_at: datetime,
    channel: str,
    direction: str,
    kind: str,
    replied_at: datetime | None = None,
    note: str = "",
    settles: Iterable[str] | None = None,
    now: datetime | None = None,
) -> Interaction:
    """Record a message, and date the step of the referral chain it settles (the first contact
    with an introduction's target, a thank-you, an outcome report): `coaching.services.linking`.
    Where several open items fit and `settles` names none, none is dated."""
    from coaching.services.linking import event_record  # linking builds on this module

    logged = event_record(
        client=client,
        actor=actor,
        contact=contact,
        occurred_at=occurred_at,
        channel=channel,
        direction=direction,
        kind=kind,
        replied_at=replied_at,
        note=note,
        settles=settles,
        now=now,
    )
    return logged.interaction


@transaction.atomic
def interaction_mark_replied(
    *, interaction: Interaction, actor: User, replied_at: datetime, now: datetime | None = None
) -> Interaction:
    """The contact answered an outbound message."""
    now = now or timezone.now()
    ensure_can_write(actor=actor, client=interaction.client)
    errors = Errors()
    if interaction.direction != Direction.OUTBOUND:
        errors.add("replied_at", "Only a message the client sent can be replied to.")
    elif interaction.replied_at is not None:
        errors.add(
            "replied_at", f"The reply was already recorded ({interaction.replied_at:%Y-%m-%d})."
        )
    errors.not_future("replied_at", replied_at, now=now)
    errors.not_before("replied_at", replied_at, interaction.occurred_at, "the message it answers")
    errors.raise_if_any()
    interaction.replied_at = replied_at
    interaction.save(update_fields=["replied_at", "updated_at"])
    activity_record(
        client=interaction.client,
        actor=actor,
        verb="interaction.replied",
        subject=interaction,
        changes={"replied_at": replied_at},
    )
    return interaction


@transaction.atomic
def interaction_remove(*, interaction: Interaction, actor: User) -> None:
    """Take out an interaction logged by mistake. The activity log keeps what it said. A message
    that completed a follow-up stays: it is that follow-up's record."""
    ensure_can_write(actor=actor, client=interaction.client)
    completed = getattr(interaction, "completes_follow_up", None)
    if completed is not None:
        errors = Errors()
        errors.add(
            "interaction",
            f"This message completed the follow-up due {completed.due_on:%Y-%m-%d}; it stays.",
        )
        errors.raise_if_any()
    activity_record(
        client=interaction.client,
        actor=actor,
        verb="interaction.removed",
        subject=interaction,
        changes=field_values(interaction, [*INTERACTION_FIELDS, "note"]),
    )
    interaction_id = interaction.pk
    interaction.delete()
    record_deleted_announce(
        record_type="interaction",
        record_id=interaction_id,
        client_id=interaction.client_id,
        deleted_at=timezone.now(),
    )


@transaction.atomic
def interaction_update(
    *, interaction: Interaction, actor: User, data: dict[str, Any], now: datetime | None = None
) -> Interaction:
    """Correct an interaction (`INTERACTION_FIELDS` and `note`): every rule of a new one holds
    for the result, and only what really changed reaches the timeline."""
    now = now or timezone.now()
    client = interaction.client
    ensure_can_write(actor=actor, client=client)
    errors = unknown_fields(data, (*INTERACTION_FIELDS, "note"))
    errors.raise_if_any()
    merged = {f: data.get(f, getattr(interaction, f)) for f in INTERACTION_FIELDS}
    check_interaction(errors, client=client, now=now, **merged)
    errors.raise_if_any()
    clean = {
        **merged,
        "contact": merged["contact"].pk,  # the timeline and `apply_changes` speak in ids
        "note": str(data.get("note", interaction.note) or "").strip(),
    }
    changed, diff = apply_changes(interaction, clean)
    save_changes(interaction, changed)
    if diff:
        activity_record(
            client=client,
            actor=actor,
            verb="interaction.updated",
            subject=interaction,
            changes=diff,
        )
    return interaction
