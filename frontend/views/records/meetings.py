"""A meeting: schedule one (linked to the introduction or the application it came from), write
down the preparation before it, record how it went (held, no-show, cancelled)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from coaching.choices import MeetingStatus
from coaching.models import Client, Meeting
from coaching.services import meeting_record_outcome, meeting_record_preparation, meeting_schedule
from coaching.workspace import applications_of, contacts_of, introductions_of
from frontend import pages
from frontend.record_forms import MeetingForm, MeetingOutcomeForm, MeetingPreparationForm
from frontend.views.records.common import client_url, done, form_page, posted, zone_of, zoned


def _url(client: Client, meeting: Meeting) -> str:
    return reverse("meeting_page", args=[client.pk, meeting.pk])


@pages.client_page()
@zoned
def meeting_new(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = MeetingForm(
        posted(request),
        initial={"contact": request.GET.get("contact")},
        contacts=contacts_of(actor=actor, client=client),
        applications=applications_of(actor=actor, client=client),
        introductions=introductions_of(actor=actor, client=client),
        zone=zone_of(client),
    )
    made: list[Meeting] = []
    if form.is_bound and form.saved_by(
        lambda: made.append(meeting_schedule(client=client, actor=actor, **form.filled()))
    ):
        return done(request, "Meeting scheduled.", _url(client, made[0]))
    return form_page(
        request,
        client=client,
        title="Schedule a meeting",
        form=form,
        submit="Schedule meeting",
        back=client_url(client, "meetings"),
    )


def _page(
    request: HttpRequest,
    client: Client,
    meeting: Meeting,
    *,
    outcome: MeetingOutcomeForm | None = None,
    preparation: MeetingPreparationForm | None = None,
) -> HttpResponse:
    context: dict[str, Any] = {
        "nav": "dashboard",
        "client": client,
        "meeting": meeting,
        "scheduled": meeting.status == MeetingStatus.SCHEDULED,
        "outcome_form": outcome or MeetingOutcomeForm(zone=zone_of(client)),
        "prep_form": preparation
        or MeetingPreparationForm(
            initial={
                "company_research": meeting.prep_company_research,
                "questions": meeting.prep_questions,
                "goal": meeting.prep_goal,
            }
        ),
        "back": client_url(client, "meetings"),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "frontend/records/meeting.html", context, status=status)


@pages.record_page(Meeting)
@zoned
def meeting_page(
    request: HttpRequest, *, actor: User, client: Client, record: Meeting
) -> HttpResponse:
    return _page(request, client, record)


@pages.record_page(Meeting)
@require_POST
@zoned
def meeting_outcome(
    request: HttpRequest, *, actor: User, client: Client, record: Meeting
) -> HttpResponse:
    form = MeetingOutcomeForm(request.POST, zone=zone_of(client))
    if form.saved(
        lambda: meeting_record_outcome(meeting=record, actor=actor, **form.filled()),
        {"cancelled_at": "at"},
    ):
        return done(
            request, f"Meeting: {record.get_status_display().lower()}.", _url(client, record)
        )
    return _page(request, client, record, outcome=form)


@pages.record_page(Meeting)
@require_POST
@zoned
def meeting_prepare(
    request: HttpRequest, *, actor: User, client: Client, record: Meeting
) -> HttpResponse:
    """Preparation counts when it was written before the meeting; it is dated now."""
    form = MeetingPreparationForm(request.POST)
    if form.saved(lambda: meeting_record_preparation(meeting=record, actor=actor, **form.filled())):
        return done(request, "Preparation saved.", _url(client, record))
    return _page(request, client, record, preparation=form)
