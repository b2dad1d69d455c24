"""Writes to session notes and action items. Notes are the coach's (the client's coach or the
owner); action items are agreed with the client, who may tick them done."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.access import ensure_can_coach, ensure_can_write
from coaching.models import Client
from coaching.notes.models import ACTION_MAX_LENGTH, NOTE_MAX_LENGTH, ActionItem, SessionNote
from coaching.validation import Errors


def _note_errors(*, held_on: date | None, body: str) -> Errors:
    errors = Errors()
    errors.required("held_on", held_on)
    if held_on is not None:
        errors.day("held_on", held_on)
    errors.required("body", body.strip())
    errors.max_length("body", body, NOTE_MAX_LENGTH)
    return errors


@transaction.atomic
def session_note_add(*, client: Client, actor: User, held_on: date, body: str) -> SessionNote:
    """A private note about a session with `client`, dated in the client's zone."""
    ensure_can_coach(actor=actor, client=client)
    _note_errors(held_on=held_on, body=body).raise_if_any()
    return SessionNote.objects.create(
        client=client, author=actor, held_on=held_on, body=body.strip()
    )


@transaction.atomic
def session_note_update(*, note: SessionNote, actor: User, held_on: date, body: str) -> SessionNote:
    ensure_can_coach(actor=actor, client=note.client)
    _note_errors(held_on=held_on, body=body).raise_if_any()
    note.held_on = held_on
    note.body = body.strip()
    note.save(update_fields=["held_on", "body", "updated_at"])
    return note


@transaction.atomic
def session_note_remove(*, note: SessionNote, actor: User) -> None:
    ensure_can_coach(actor=actor, client=note.client)
    note.delete()


@transaction.atomic
def action_item_add(
    *, client: Client, actor: User, text: str, due_on: date | None = None
) -> ActionItem:
    """Something the client agreed to do; it shows on their Today until done."""
    ensure_can_coach(actor=actor, client=client)
    errors = Errors()
    errors.required("text", text.strip())
    errors.max_length("text", text.strip(), ACTION_MAX_LENGTH)
    if due_on is not None:
        errors.day("due_on", due_on)
    errors.raise_if_any()
    return ActionItem.objects.create(
        client=client, text=text.strip(), due_on=due_on, created_by=actor
    )


@transaction.atomic
def action_item_set_done(
    *, item: ActionItem, actor: User, done: bool, now: datetime | None = None
) -> ActionItem:
    """Tick an action item done (the client or their coach), or open it again."""
    ensure_can_write(actor=actor, client=item.client)
    if done and item.done_at is None:
        item.done_at = now or timezone.now()
        item.done_by = actor
    elif not done and item.done_at is not None:
        item.done_at = None
        item.done_by = None
    else:
        return item
    item.save(update_fields=["done_at", "done_by"])
    return item


@transaction.atomic
def action_item_remove(*, item: ActionItem, actor: User) -> None:
    ensure_can_coach(actor=actor, client=item.client)
    item.delete()
