"""Session notes are the coaching side's only; action items are shared with the client, who
ticks them done; scope holds for both (coaching.notes)."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from coaching.access import NotFound
from coaching.models import Client
from coaching.notes.selectors import action_items_of, session_note_get, session_notes_page
from coaching.notes.services import (
    action_item_add,
    action_item_set_done,
    session_note_add,
    session_note_update,
)

pytestmark = pytest.mark.django_db


def test_notes_are_dated_searchable_and_the_latest_session_first(search: Client, coach: User):
    session_note_add(client=search, actor=coach, held_on=date(2024, 3, 1), body="Talked salary")
    session_note_add(client=search, actor=coach, held_on=date(2024, 3, 8), body="Mock interview")
    page = session_notes_page(actor=coach, client=search)
    assert [n.body for n in page] == ["Mock interview", "Talked salary"]
    assert [n.body for n in session_notes_page(actor=coach, client=search, query="SALARY")] == [
        "Talked salary"
    ]


def test_a_note_needs_a_day_and_words(search: Client, coach: User):
    with pytest.raises(ValidationError) as problem:
        session_note_add(client=search, actor=coach, held_on=None, body="  ")  # type: ignore[arg-type]
    assert set(problem.value.message_dict) == {"held_on", "body"}


def test_a_client_never_reads_or_writes_notes_even_their_own(
    search: Client, coach: User, client_user: User
):
    note = session_note_add(client=search, actor=coach, held_on=date(2024, 3, 1), body="Private")
    assert list(session_notes_page(actor=client_user, client=search)) == []
    with pytest.raises(NotFound):
        session_note_get(actor=client_user, client=search, pk=note.pk)
    with pytest.raises(PermissionDenied):
        session_note_add(client=search, actor=client_user, held_on=date(2024, 3, 2), body="x")
    with pytest.raises(PermissionDenied):
        session_note_update(note=note, actor=client_user, held_on=date(2024, 3, 2), body="x")


def test_another_coach_and_the_owner(search: Client, coach: User, other_coach: User, owner: User):
    note = session_note_add(client=search, actor=coach, held_on=date(2024, 3, 1), body="Mine")
    assert list(session_notes_page(actor=other_coach, client=search)) == []
    with pytest.raises(NotFound):
        session_note_get(actor=other_coach, client=search, pk=note.pk)
    with pytest.raises(NotFound):
        session_note_add(client=search, actor=other_coach, held_on=date(2024, 3, 1), body="x")
    assert [n.pk for n in session_notes_page(actor=owner, client=search)] == [note.pk]


def test_action_items_open_first_and_the_client_ticks_them(
    search: Client, coach: User, client_user: User
):
    late = action_item_add(client=search, actor=coach, text="Call Ann", due_on=date(2024, 4, 2))
    soon = action_item_add(client=search, actor=coach, text="Send CV", due_on=date(2024, 4, 1))
    assert action_items_of(actor=client_user, client=search, open_only=True) == [soon, late]
    action_item_set_done(item=soon, actor=client_user, done=True)
    assert action_items_of(actor=client_user, client=search, open_only=True) == [late]
    seen_by_coach = action_items_of(actor=coach, client=search)
    assert [(i.text, i.done_by) for i in seen_by_coach] == [
        ("Call Ann", None),
        ("Send CV", client_user),
    ]
    with pytest.raises(PermissionDenied):
        action_item_add(client=search, actor=client_user, text="Mine")


def test_action_items_of_another_search_are_out_of_reach(
    search: Client, other_search: Client, coach: User, other_client_user: User
):
    item = action_item_add(client=search, actor=coach, text="Call Ann")
    assert action_items_of(actor=other_client_user, client=search) == []
    with pytest.raises(NotFound):
        action_item_set_done(item=item, actor=other_client_user, done=True)
