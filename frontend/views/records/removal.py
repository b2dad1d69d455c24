"""Removing a record logged by mistake: a page that says what goes, then the service.

One page per kind of record, built by `remove_page`: the record is found by
`frontend.pages.record_page` (404 outside the coach's scope) and removed by its kind's service
(`coaching.services.removal`: the timeline keeps it, integrations hear of it)."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.timezone import localtime

from accounts.models import User
from coaching.models import Application, Client, Feedback, FollowUp, Introduction, Meeting
from coaching.services.applications import application_remove
from coaching.services.feedback import feedback_remove
from coaching.services.follow_ups import follow_up_remove
from coaching.services.introductions import introduction_remove
from coaching.services.meetings import meeting_remove
from frontend import pages
from frontend.views.records.common import client_url, done, zoned


def remove_page(
    model: type[Model],
    *,
    what: str,
    anchor: str,
    describe: Callable[[Any], str],
    remove: Callable[[Any, User], None],
) -> Callable[..., HttpResponse]:
    """GET: what will go, and a button; POST: remove it and go back to the client's page."""

    @pages.record_page(model)
    @zoned
    def page(request: HttpRequest, *, actor: User, client: Client, record: Any) -> HttpResponse:
        back = client_url(client, anchor)
        described = describe(record)
        if request.method == "POST":
            try:
                remove(record, actor)
            except ValidationError as exc:
                for problem in exc.messages:
                    messages.error(request, problem)
                return HttpResponseRedirect(back)
            return done(request, f"Removed {described}. The timeline keeps what it said.", back)
        context = {
            "nav": "dashboard",
            "client": client,
            "what": what,
            "described": described[0].upper() + described[1:],
            "back": back,
        }
        return render(request, "frontend/records/remove.html", context)

    return page


application_remove_page = remove_page(
    Application,
    what="this application",
    anchor="applications",
    describe=lambda a: f"the application for {a.role} at {a.company}",
    remove=lambda a, actor: application_remove(application=a, actor=actor),
)
follow_up_remove_page = remove_page(
    FollowUp,
    what="this follow-up",
    anchor="follow-ups",
    describe=lambda f: f"the follow-up with {f.contact.name} due {f.due_on:%b} {f.due_on.day}",
    remove=lambda f, actor: follow_up_remove(follow_up=f, actor=actor),
)
introduction_remove_page = remove_page(
    Introduction,
    what="this introduction",
    anchor="introductions",
    describe=lambda i: f"the introduction by {i.introducer.name} to {i.target.name}",
    remove=lambda i, actor: introduction_remove(introduction=i, actor=actor),
)
meeting_remove_page = remove_page(
    Meeting,
    what="this meeting",
    anchor="meetings",
    describe=lambda m: (
        f"the {m.get_purpose_display().lower()} meeting with {m.contact.name} "
        f"on {localtime(m.scheduled_for):%b %d, %H:%M}"
    ),
    remove=lambda m, actor: meeting_remove(meeting=m, actor=actor),
)
feedback_remove_page = remove_page(
    Feedback,
    what="this feedback",
    anchor="meetings",
    describe=lambda f: (
        f"the feedback of {f.received_on:%b} {f.received_on.day} ({f.get_about_display().lower()})"
    ),
    remove=lambda f, actor: feedback_remove(feedback=f, actor=actor),
)
