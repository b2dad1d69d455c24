"""A follow-up: schedule one, move it to another day, mark it done (which records the message)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from coaching.models import Client, FollowUp
from coaching.services import follow_up_complete, follow_up_reschedule, follow_up_schedule
from coaching.workspace import contacts_of
from frontend import pages
from frontend.record_forms import FollowUpDoneForm, FollowUpForm, FollowUpRescheduleForm
from frontend.views.records.common import client_url, done, form_page, posted, zone_of, zoned


def _url(client: Client, follow_up: FollowUp) -> str:
    return reverse("follow_up_page", args=[client.pk, follow_up.pk])


@pages.client_page()
@zoned
def follow_up_new(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = FollowUpForm(
        posted(request),
        initial={"contact": request.GET.get("contact")},
        contacts=contacts_of(actor=actor, client=client),
    )
    if form.is_bound and form.saved_by(
        lambda: follow_up_schedule(client=client, actor=actor, **form.filled())
    ):
        return done(request, "Follow-up scheduled.", client_url(client, "follow-ups"))
    return form_page(
        request,
        client=client,
        title="Schedule a follow-up",
        form=form,
        submit="Schedule follow-up",
        back=client_url(client, "follow-ups"),
    )


def _page(
    request: HttpRequest,
    client: Client,
    follow_up: FollowUp,
    *,
    move: FollowUpRescheduleForm | None = None,
    finish: FollowUpDoneForm | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "nav": "dashboard",
        "client": client,
        "follow_up": follow_up,
        "move_form": move
        or FollowUpRescheduleForm(initial={"due_on": follow_up.due_on, "note": follow_up.note}),
        "done_form": finish or FollowUpDoneForm(zone=zone_of(client)),
        "back": client_url(client, "follow-ups"),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "frontend/records/follow_up.html", context, status=status)


@pages.record_page(FollowUp)
@zoned
def follow_up_page(
    request: HttpRequest, *, actor: User, client: Client, record: FollowUp
) -> HttpResponse:
    """The follow-up, and its two changes: another day, or done. POST moves it."""
    if request.method != "POST":
        return _page(request, client, record)
    form = FollowUpRescheduleForm(request.POST)
    if form.saved(lambda: follow_up_reschedule(follow_up=record, actor=actor, **form.filled())):
        return done(request, "Follow-up moved.", _url(client, record))
    return _page(request, client, record, move=form)


@pages.record_page(FollowUp)
@require_POST
@zoned
def follow_up_done(
    request: HttpRequest, *, actor: User, client: Client, record: FollowUp
) -> HttpResponse:
    form = FollowUpDoneForm(request.POST, zone=zone_of(client))
    if form.saved(
        lambda: follow_up_complete(follow_up=record, actor=actor, **form.filled()),
        {"done_at": "at"},
    ):
        return done(request, "Follow-up done; the message is recorded.", _url(client, record))
    return _page(request, client, record, finish=form)
