"""The coach's own records of a client: private session notes (dated, searchable) and the
action items agreed with the client, which the client ticks off on their Today."""

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from coaching.models import Client
from coaching.notes.models import ACTION_MAX_LENGTH, NOTE_MAX_LENGTH, ActionItem
from coaching.notes.selectors import action_items_of, session_note_get, session_notes_page
from coaching.notes.services import (
    action_item_add,
    action_item_remove,
    action_item_set_done,
    session_note_add,
    session_note_remove,
    session_note_update,
)
from coaching.timezones import local_date
from frontend import pages
from frontend.forms import DATE, Form

MAX_QUERY = 200


class SessionNoteForm(Form):
    held_on = forms.DateField(label="Session day", widget=DATE)
    body = forms.CharField(
        label="Note (private: the client never sees it)",
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


class ActionItemForm(Form):
    text = forms.CharField(label="What the client agreed to do", max_length=ACTION_MAX_LENGTH)
    due_on = forms.DateField(label="By (optional)", required=False, widget=DATE)


def _today(client: Client) -> date:
    return local_date(at=timezone.now(), tz=client.time_zone)


def _notes_url(client: Client, anchor: str = "") -> str:
    return reverse("client_notes", args=[client.pk]) + anchor


@pages.client_page()
def client_notes(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """Notes (newest session first, searchable, 20 a page) and action items, with the forms
    to add both. A POST adds one; a refused one comes back with its errors next to the fields."""
    note_form = SessionNoteForm(prefix="note", initial={"held_on": _today(client)})
    item_form = ActionItemForm(prefix="item")
    status = 200
    if request.method == "POST":
        if request.POST.get("add") == "note":
            note_form = SessionNoteForm(request.POST, prefix="note")
            if note_form.saved_by(
                lambda: session_note_add(client=client, actor=actor, **note_form.cleaned_data)
            ):
                messages.success(request, "Note saved.")
                return HttpResponseRedirect(_notes_url(client, "#notes"))
        else:
            item_form = ActionItemForm(request.POST, prefix="item")
            if item_form.saved_by(
                lambda: action_item_add(client=client, actor=actor, **item_form.cleaned_data)
            ):
                messages.success(request, "Action item added; the client sees it on their Today.")
                return HttpResponseRedirect(_notes_url(client, "#actions"))
        status = 400
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    page = session_notes_page(actor=actor, client=client, query=query, page=request.GET.get("page"))
    context = {
        "nav": "dashboard",
        "client": client,
        "note_form": note_form,
        "item_form": item_form,
        "query": query,
        "page": page,
        "items": action_items_of(actor=actor, client=client),
    }
    return render(request, "frontend/notes/client_notes.html", context, status=status)


@pages.client_page()
def session_note_edit(
    request: HttpRequest, *, actor: User, client: Client, pk: int
) -> HttpResponse:
    note = session_note_get(actor=actor, client=client, pk=pk)
    form = SessionNoteForm(
        request.POST or None, initial={"held_on": note.held_on, "body": note.body}
    )
    if request.method == "POST":
        if request.POST.get("remove"):
            session_note_remove(note=note, actor=actor)
            messages.success(request, "Note deleted.")
            return HttpResponseRedirect(_notes_url(client, "#notes"))
        if form.saved_by(lambda: session_note_update(note=note, actor=actor, **form.cleaned_data)):
            messages.success(request, "Note saved.")
            return HttpResponseRedirect(_notes_url(client, f"#note-{note.pk}"))
    return render(
        request,
        "frontend/notes/note_edit.html",
        {"nav": "dashboard", "client": client, "note": note, "form": form},
        status=400 if form.errors else 200,
    )


@pages.record_page(ActionItem)
@require_POST
def action_item_change(
    request: HttpRequest, *, actor: User, client: Client, record: ActionItem
) -> HttpResponse:
    """The coach's buttons on an action item: done, open again, remove."""
    action = request.POST.get("action", "")
    if action == "remove":
        action_item_remove(item=record, actor=actor)
        messages.success(request, f"Removed “{record.text}”.")
    else:
        action_item_set_done(item=record, actor=actor, done=action == "done")
        messages.success(request, f"“{record.text}” is {'done' if record.done_at else 'open'}.")
    return HttpResponseRedirect(_notes_url(client, "#actions"))


@pages.portal_record(ActionItem)
@require_POST
def portal_action_done(
    request: HttpRequest, *, actor: User, client: Client, record: ActionItem
) -> HttpResponse:
    """The client ticks an action item done on their Today (or opens it again)."""
    done = request.POST.get("done", "1") != "0"
    action_item_set_done(item=record, actor=actor, done=done)
    messages.success(request, f"“{record.text}” {'done. Well done!' if done else 'is open again.'}")
    return HttpResponseRedirect(reverse("practice_home") + "#actions")
