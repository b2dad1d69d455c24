"""Reads of session notes (the coach's and the owner's only) and action items."""

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from accounts.models import COACHING_ROLES, User
from coaching.access import NotFound, client_queryset_for, record_get_for
from coaching.models import Client
from coaching.notes.models import ActionItem, SessionNote

NOTES_PER_PAGE = 20


def _coaches_client(*, actor: User, client: Client) -> QuerySet[Client]:
    """`client` if the actor coaches them (their coach, or the owner); else nothing. Notes are
    private to the coaching side: a client never reads them, even their own."""
    if actor.role not in COACHING_ROLES:
        return Client.objects.none()
    return client_queryset_for(actor=actor).filter(pk=client.pk)


def session_notes_page(*, actor: User, client: Client, query: str = "", page: Any = 1) -> Page:
    """The client's session notes, the latest session first, those containing `query` if given;
    `NOTES_PER_PAGE` a page. Two queries (count, page)."""
    notes = SessionNote.objects.filter(
        client__in=_coaches_client(actor=actor, client=client)
    ).select_related("author")
    query = query.strip()
    if query:
        notes = notes.filter(body__icontains=query)
    return Paginator(notes.order_by("-held_on", "-pk"), NOTES_PER_PAGE).get_page(page)


def session_note_get(*, actor: User, client: Client, pk: Any) -> SessionNote:
    if actor.role not in COACHING_ROLES:
        raise NotFound("No such note.")
    return record_get_for(SessionNote.objects.filter(client=client), actor=actor, pk=pk)


def action_items_of(*, actor: User, client: Client, open_only: bool = False) -> list[ActionItem]:
    """The client's action items, open ones first (by due day), then the done, latest first.
    Anyone who may see the search reads them: the client too. One query."""
    items = ActionItem.objects.filter(
        client__in=client_queryset_for(actor=actor).filter(pk=client.pk)
    ).select_related("done_by")
    if open_only:
        items = items.filter(done_at__isnull=True)
    rows = list(items)
    open_items = sorted((i for i in rows if i.done_at is None), key=_open_order)
    done = sorted((i for i in rows if i.done_at is not None), key=_done_order)
    return open_items + done


def _open_order(item: ActionItem) -> tuple[bool, Any, int]:
    return (item.due_on is None, item.due_on, item.pk)


def _done_order(item: ActionItem) -> tuple[float, int]:
    assert item.done_at is not None
    return (-item.done_at.timestamp(), -item.pk)


def action_item_get(*, actor: User, client: Client, pk: Any) -> ActionItem:
    """One of `client`'s action items, or `NotFound` (missing and out of scope look the same)."""
    return record_get_for(ActionItem.objects.filter(client=client), actor=actor, pk=pk)
