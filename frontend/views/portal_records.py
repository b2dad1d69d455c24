"""The client keeps her own records in the portal, from a phone: follow-ups (schedule, move,
mark done), applications (record one, change its stage) and her contacts (edit; removal is the
lifecycle's confirmation page, `frontend.views.data.contact_delete_page`, which keeps the
timeline's entries).

Every page is `frontend.pages.portal_page` or `portal_record`: the client's own search only,
another's record is a 404. Writes go through `coaching.services`; a refused write re-renders
the page with the message next to the field (status 400) and changes nothing.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from coaching.insights.client_page import records
from coaching.models import Application, Client, Contact, FollowUp
from coaching.selectors import contact_freshness, follow_ups_due
from coaching.services import (
    application_create,
    application_update,
    contact_update,
    follow_up_complete,
    follow_up_reschedule,
    follow_up_schedule,
)
from frontend import pages
from frontend.portal_forms import (
    ApplicationForm,
    ApplicationStageForm,
    ContactEditForm,
    FollowUpForm,
    FollowUpMoveForm,
    contact_label,
)

# Where a follow-up's buttons send the client back to (the page they pressed them on).
BACK = {"today": "practice_home", "follow_ups": "portal_follow_ups"}
# The days ahead the follow-ups page lists (everything open, practically).
HORIZON_DAYS = 3650


def _back(request: HttpRequest) -> str:
    return reverse(BACK.get(request.POST.get("back", ""), "portal_follow_ups"))


def _done(request: HttpRequest, message: str, to: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(to)


# --- follow-ups ---------------------------------------------------------------------------------


def _contacts(actor: User, client: Client) -> list[Contact]:
    return sorted(
        (row.contact for row in contact_freshness(actor=actor, client_id=client.pk)),
        key=lambda c: (c.name.casefold(), c.company.casefold(), c.pk),
    )


def _follow_ups_page(
    request: HttpRequest,
    actor: User,
    client: Client,
    *,
    form: FollowUpForm | None = None,
    move: tuple[int, FollowUpMoveForm] | None = None,
) -> HttpResponse:
    due = follow_ups_due(
        actor=actor, client_id=client.pk, now=timezone.now(), horizon_days=HORIZON_DAYS
    )
    rows = [
        {
            "due": d,
            "move_form": move[1]
            if move and move[0] == d.follow_up.pk
            else FollowUpMoveForm(prefix=f"f{d.follow_up.pk}"),
        }
        for d in (*due.overdue, *due.due_today, *due.upcoming)
    ]
    contacts = _contacts(actor, client)
    form = form or FollowUpForm(contacts=contacts, zone=client.time_zone)
    bad = bool(form.errors or (move and move[1].errors))
    context = {
        "nav": "follow_ups",
        "client": client,
        "rows": rows,
        "form": form,
        "has_contacts": bool(contacts),
    }
    return render(request, "frontend/portal/follow_ups.html", context, status=400 if bad else 200)


@pages.portal_page
def follow_ups(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """Every open follow-up, the soonest first, and a form to schedule one."""
    if request.method != "POST":
        return _follow_ups_page(request, actor, client)
    contacts = _contacts(actor, client)
    form = FollowUpForm(request.POST, contacts=contacts, zone=client.time_zone)
    chosen = {c.pk: c for c in contacts}
    saved: list[FollowUp] = []

    def save() -> None:
        data = form.cleaned_data
        saved.append(
            follow_up_schedule(
                client=client,
                actor=actor,
                contact=chosen[data["contact"]],
                due_on=data["due_on"],
                channel=data["channel"],
                note=data["note"],
            )
        )

    if form.saved_by(save):
        follow_up = saved[0]
        day = f"{follow_up.due_on:%a} {follow_up.due_on.day} {follow_up.due_on:%b}"
        return _done(
            request,
            f"Follow-up with {contact_label(follow_up.contact)} on {day}.",
            reverse("portal_follow_ups"),
        )
    return _follow_ups_page(request, actor, client, form=form)


@pages.portal_record(FollowUp)
@require_POST
def follow_up_move(
    request: HttpRequest, *, actor: User, client: Client, record: FollowUp
) -> HttpResponse:
    """Move a follow-up to another day; a refused day is shown next to that follow-up's date."""
    form = FollowUpMoveForm(request.POST, prefix=f"f{record.pk}")
    if form.saved_by(
        lambda: follow_up_reschedule(
            follow_up=record, actor=actor, due_on=form.cleaned_data["due_on"]
        )
    ):
        day = f"{record.due_on:%a} {record.due_on.day} {record.due_on:%b}"
        message = f"Follow-up with {record.contact.name} moved to {day}."
        return _done(request, message, _back(request))
    return _follow_ups_page(request, actor, client, move=(record.pk, form))


@pages.portal_record(FollowUp)
@require_POST
def follow_up_done(
    request: HttpRequest, *, actor: User, client: Client, record: FollowUp
) -> HttpResponse:
    """Mark it done now: the follow-up message is recorded with it (`follow_up_complete`)."""
    try:
        follow_up_complete(follow_up=record, actor=actor, at=timezone.now())
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, f"Follow-up with {record.contact.name}: {problem}")
        return HttpResponseRedirect(_back(request))
    return _done(request, f"Follow-up with {record.contact.name} done.", _back(request))


# --- applications -------------------------------------------------------------------------------


def _applications_page(
    request: HttpRequest,
    actor: User,
    client: Client,
    *,
    form: ApplicationForm | None = None,
    stage: tuple[int, ApplicationStageForm] | None = None,
) -> HttpResponse:
    rows = [
        {
            "application": application,
            "stage_form": stage[1]
            if stage and stage[0] == application.pk
            else ApplicationStageForm(
                prefix=f"a{application.pk}", initial={"status": application.status}
            ),
        }
        for application in cast(
            list[Application], records(actor=actor, client=client)["applications"]
        )
    ]
    form = form or ApplicationForm(zone=client.time_zone)
    bad = bool(form.errors or (stage and stage[1].errors))
    context = {"nav": "applications", "client": client, "rows": rows, "form": form}
    return render(request, "frontend/portal/applications.html", context, status=400 if bad else 200)


@pages.portal_page
def applications(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """The jobs the client applied to, each with its stage, and a form to record one."""
    if request.method != "POST":
        return _applications_page(request, actor, client)
    form = ApplicationForm(request.POST, zone=client.time_zone)
    if form.saved_by(lambda: application_create(client=client, actor=actor, **form.cleaned_data)):
        data = form.cleaned_data
        message = f"{data['role']} at {data['company']} added to your applications."
        return _done(request, message, reverse("portal_applications"))
    return _applications_page(request, actor, client, form=form)


@pages.portal_record(Application)
@require_POST
def application_stage(
    request: HttpRequest, *, actor: User, client: Client, record: Application
) -> HttpResponse:
    """Move an application to another stage (interviewing, an offer, no answer…)."""
    form = ApplicationStageForm(request.POST, prefix=f"a{record.pk}")
    if form.saved_by(
        lambda: application_update(
            application=record, actor=actor, data={"status": form.cleaned_data["status"]}
        )
    ):
        message = f"{record.role} at {record.company}: {record.get_status_display().lower()}."
        return _done(request, message, reverse("portal_applications") + f"#application-{record.pk}")
    return _applications_page(request, actor, client, stage=(record.pk, form))


# --- contacts -----------------------------------------------------------------------------------


@pages.portal_record(Contact)
def contact_edit(
    request: HttpRequest, *, actor: User, client: Client, record: Contact
) -> HttpResponse:
    """Change a contact's details; the history with them stays. Removing them is one link away
    (the confirmation says what goes and that the timeline keeps its entries)."""
    form = ContactEditForm.of(record, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.saved_by(
        lambda: contact_update(contact=record, actor=actor, data=dict(form.cleaned_data))
    ):
        return _done(request, f"{record.name} saved.", reverse("portal_contacts"))
    context: dict[str, Any] = {
        "nav": "contacts",
        "client": client,
        "contact": record,
        "form": form,
        "remove_url": reverse("contact_delete", args=[client.pk, record.pk]),
    }
    return render(
        request, "frontend/portal/contact_edit.html", context, status=400 if form.errors else 200
    )
