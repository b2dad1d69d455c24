"""Writes to the follow-ups a client owes their contacts."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.access import ensure_can_write
from coaching.choices import Channel, Direction, InteractionKind
from coaching.models import Client, Contact, FollowUp
from coaching.services.activity import (
    activity_record,
    apply_changes,
    field_values,
    save_changes,
)
from coaching.services.interactions import interaction_add
from coaching.services.removal import record_remove
from coaching.validation import Errors


@transaction.atomic
def follow_up_schedule(
    *,
    client: Client,
    actor: User,
    contact: Contact,
    due_on: date,
    channel: str = Channel.EMAIL,
    note: str = "",
) -> FollowUp:
    """A follow-up due on a day in the client's zone (a past day is allowed: catching up)."""
    ensure_can_write(actor=actor, client=client)
    errors = Errors()
    errors.belongs("contact", contact, client)
    errors.choice("channel", channel, Channel)
    errors.day("due_on", due_on)
    errors.raise_if_any()
    follow_up = FollowUp.objects.create(
        client=client, contact=contact, due_on=due_on, channel=channel, note=note.strip()
    )
    activity_record(
        client=client,
        actor=actor,
        verb="follow_up.scheduled",
        subject=follow_up,
        changes=field_values(follow_up, ["contact", "due_on", "channel"]),
    )
    return follow_up


@transaction.atomic
def follow_up_reschedule(
    *, follow_up: FollowUp, actor: User, due_on: date, note: str | None = None
) -> FollowUp:
    """Move a follow-up that is not done yet to another day (the client's zone); the old day
    stays in the activity log. `note`, when given, replaces the note."""
    client = follow_up.client
    ensure_can_write(actor=actor, client=client)
    errors = Errors()
    if follow_up.done_at is not None:
        errors.add("due_on", f"This follow-up was already done ({follow_up.done_at:%Y-%m-%d}).")
    errors.day("due_on", due_on)
    errors.raise_if_any()
    changed, diff = apply_changes(
        follow_up, {"due_on": due_on} | ({} if note is None else {"note": note.strip()})
    )
    save_changes(follow_up, changed)
    if changed:
        activity_record(
            client=client,
            actor=actor,
            verb="follow_up.rescheduled",
            subject=follow_up,
            changes=diff,
        )
    return follow_up


@transaction.atomic
def follow_up_complete(
    *,
    follow_up: FollowUp,
    actor: User,
    at: datetime,
    note: str = "",
    now: datetime | None = None,
) -> FollowUp:
    """Mark it done and record the follow-up message itself, so nobody types it twice."""
    now = now or timezone.now()
    client = follow_up.client
    ensure_can_write(actor=actor, client=client)
    errors = Errors()
    if follow_up.done_at is not None:
        errors.add("done_at", f"This follow-up was already done ({follow_up.done_at:%Y-%m-%d}).")
    errors.not_future("done_at", at, now=now)
    errors.raise_if_any()
    follow_up.interaction = interaction_add(
        client=client,
        actor=actor,
        contact=follow_up.contact,
        occurred_at=at,
        channel=follow_up.channel,
        direction=Direction.OUTBOUND,
        kind=InteractionKind.FOLLOW_UP,
        note=note,
        now=now,
    )
    follow_up.done_at = at
    follow_up.save(update_fields=["done_at", "interaction", "updated_at"])
    activity_record(
        client=client,
        actor=actor,
        verb="follow_up.done",
        subject=follow_up,
        changes={"done_at": at},
    )
    return follow_up


@transaction.atomic
def follow_up_remove(*, follow_up: FollowUp, actor: User) -> None:
    """Take out a follow-up scheduled by mistake. One already done keeps its message (an
    interaction of its own); the timeline keeps what the follow-up said."""
    record_remove(
        record=follow_up,
        client=follow_up.client,
        actor=actor,
        record_type="follow_up",
        fields=["contact", "due_on", "channel", "done_at", "note"],
        coach_only=True,
    )
