"""The client's portal: today's to-dos, logging outreach in three fields, their contacts,
introductions and meetings, and the report when the coach shares it. Works on a phone.

A client only ever sees their own search: `frontend.pages.portal_page` finds it with the acting
user (coaches have no portal: 404), and `portal_record` looks every record up inside it, so
other ids are a 404.
"""

from datetime import datetime, time, timedelta
from time import time as time_now
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import User
from coaching.choices import Channel, Direction, InteractionKind, MeetingStatus
from coaching.contact_match import contact_suggestions, contacts_matching
from coaching.diagnostics.obligations import Owed
from coaching.insights.client_page import (
    introduction_views,
    outreach_this_week,
    owed,
    search_diagnosis,
)
from coaching.insights.reports import report_readable
from coaching.insights.selectors import client_thresholds
from coaching.models import Client, Contact, Interaction, Introduction, Meeting
from coaching.search import freshness_page
from coaching.selectors import (
    client_record,
    contact_named,
    contact_names,
    follow_ups_due,
    introductions_waiting_on_client,
    meetings_of,
    unanswered_message_to,
)
from coaching.services import (
    contact_create,
    interaction_mark_replied,
    introduction_create,
    introduction_record_contact,
    introduction_record_outcome,
    introduction_record_thanks,
    meeting_record_outcome,
    meeting_record_preparation,
    meeting_record_thanks,
    meeting_schedule,
)
from coaching.services.linking import (
    UNDO_SECONDS,
    Logged,
    Receipt,
    event_record,
    event_settle,
    event_undo,
    receipt_of,
    receipt_read,
    receipt_sign,
)
from coaching.timezones import local_date
from frontend import pages
from frontend.forms import (
    LOGGED,
    ContactForm,
    ImportForm,
    IntroductionForm,
    MeetingForm,
    PreparationForm,
    QuickLogForm,
)
from frontend.links import finding_views

KIND_FOR = {
    "outreach": InteractionKind.OUTREACH,
    "conversation": InteractionKind.CONVERSATION,
    "follow_up": InteractionKind.FOLLOW_UP,
    "ask": InteractionKind.INTRODUCTION_REQUEST,
    "thank_you": InteractionKind.THANK_YOU,
    "outcome": InteractionKind.OUTCOME_REPORT,
}


def _contact_named(actor: User, client: Client, name: str, field: str) -> Contact:
    """The contact with this name (any case), or a new one: nobody types a contact twice."""
    name = " ".join(name.split())
    existing = contact_named(actor=actor, client_id=client.pk, name=name)
    if existing is not None:
        return existing
    try:
        return contact_create(client=client, actor=actor, name=name)
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) from exc


def today_context(
    actor: User,
    client: Client,
    *,
    log_form: QuickLogForm | None = None,
    logged: dict[str, Any] | None = None,
    ask: dict[str, Any] | None = None,
    undo_error: str = "",
) -> dict[str, Any]:
    now = timezone.now()
    return {
        "nav": "today",
        "client": client,
        "waiting": introductions_waiting_on_client(actor=actor, client_id=client.pk, now=now),
        "follow_ups": follow_ups_due(actor=actor, client_id=client.pk, now=now),
        "owed": owed(actor=actor, client=client, now=now),
        "outreach_week": outreach_this_week(actor=actor, client=client, now=now),
        "log_form": log_form or QuickLogForm(zone=client.time_zone),
        "logged": logged,
        "ask": ask,
        "undo_error": undo_error,
        "contact_suggestions": contact_suggestions(actor=actor, client_id=client.pk),
    }


@pages.portal_page
def today(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    return render(request, "frontend/portal/today.html", today_context(actor, client))


class _Ask(Exception):
    """The name needs the person's answer before anything is written."""

    def __init__(self, *, name: str, namesakes: list[Contact], near: list[Contact]) -> None:
        super().__init__(name)
        self.question = {"name": name, "namesakes": namesakes, "near": near}


def _log_contact(actor: User, client: Client, data: dict[str, Any]) -> tuple[Contact, bool]:
    """The contact the client means, and whether it is new: the one they picked, the one
    with this name, or a new one; asks when several share the name or some are close."""
    if data.get("contact"):
        picked = client_record(actor=actor, client=client, model=Contact, pk=data["contact"])
        return picked, False
    name = " ".join(data["who"].split())
    matches = contacts_matching(actor=actor, client_id=client.pk, name=name)
    if len(matches.exact) == 1:
        return matches.exact[0], False
    if matches.exact:
        raise _Ask(name=name, namesakes=matches.exact, near=[])
    if matches.near and not data.get("new_contact"):
        raise _Ask(name=name, namesakes=[], near=matches.near)
    try:
        return contact_create(client=client, actor=actor, name=name), True
    except ValidationError as exc:
        raise ValidationError({"who": exc.messages}) from exc


def _occurred_at(data: dict[str, Any], client: Client, now: datetime) -> datetime:
    """Now for today; noon of the day in the client's zone otherwise (capped at now). A day
    ahead stays ahead: the service refuses it next to the field."""
    if data["when"] == "today":
        return now
    today = local_date(at=now, tz=client.time_zone)
    day = today - timedelta(days=1) if data["when"] == "yesterday" else data["on"]
    moment = datetime.combine(day, time(12), tzinfo=ZoneInfo(client.time_zone))
    return min(moment, now) if day <= today else moment


def _log(actor: User, client: Client, form: QuickLogForm) -> dict[str, Any]:
    """Record what the client typed; returns the confirmation (what to say, the receipt for
    Undo, and the open items to pick from when several fit)."""
    data = form.cleaned_data
    now = timezone.now()
    logged_at = time_now()
    contact, is_new = _log_contact(actor, client, data)
    at = _occurred_at(data, client, now)
    new_contact = contact if is_new else None
    if data["what"] == "reply":
        unanswered = unanswered_message_to(actor=actor, contact=contact)
        if unanswered is not None and unanswered.occurred_at <= at:
            interaction_mark_replied(interaction=unanswered, actor=actor, replied_at=at, now=now)
            receipt = receipt_of(
                client=client, logged=None, logged_at=logged_at, replied=unanswered,
                new_contact=new_contact,
            )  # fmt: skip
            return _confirmation(f"Noted: {contact.name} replied.", receipt, None)
        direction, kind, said = Direction.INBOUND, InteractionKind.OUTREACH, "got in touch"
    else:
        direction, kind = Direction.OUTBOUND, KIND_FOR[data["what"]]
        said = LOGGED[data["what"]].format(name=contact.name)
    logged = event_record(
        client=client,
        actor=actor,
        contact=contact,
        occurred_at=at,
        channel=data["channel"],
        direction=direction,
        kind=kind,
        now=now,
    )
    receipt = receipt_of(client=client, logged=logged, logged_at=logged_at, new_contact=new_contact)
    text = (
        f"Noted: {contact.name} {said}." if direction == Direction.INBOUND else (f"Logged: {said}.")
    )
    if is_new:
        text += f" {contact.name} is new in your contacts."
    return _confirmation(text, receipt, logged)


def _confirmation(text: str, receipt: Receipt, logged: Logged | None) -> dict[str, Any]:
    return {
        "said": text,
        "token": receipt_sign(receipt),
        "settled": logged.settled if logged else [],
        "choices": logged.choices if logged else [],
        "undo_seconds": UNDO_SECONDS,
    }


def _today(
    request: HttpRequest, actor: User, client: Client, *, status: int = 200, **context: Any
) -> HttpResponse:
    template = "today_body" if request.htmx else "today"  # type: ignore[attr-defined]
    return render(
        request,
        f"frontend/portal/{template}.html",
        today_context(actor, client, **context),
        status=status,
    )


@pages.portal_page
@require_POST
def log(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """The quick log. A refused log changes nothing and says why next to the field (400); a
    name that needs an answer asks it (200, nothing written yet)."""
    form = QuickLogForm(request.POST, zone=client.time_zone)
    if form.is_valid():
        try:
            with transaction.atomic():
                confirmation = _log(actor, client, form)
        except _Ask as ask:
            return _today(request, actor, client, log_form=form, ask=ask.question)
        except ValidationError as exc:
            form.apply_service_errors(
                exc, aliases={"contact": "who", "name": "who", "occurred_at": "on"}
            )
        else:
            return _today(request, actor, client, logged=confirmation)
    return _today(request, actor, client, log_form=form, status=400)


@pages.portal_page
@require_POST
def log_undo(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """Undo a quick log within a minute of it (checked here, on the server)."""
    receipt = receipt_read(token=request.POST.get("receipt", ""), client=client)
    try:
        changed = event_undo(client=client, actor=actor, receipt=receipt)
    except ValidationError as exc:
        return _today(request, actor, client, status=400, undo_error=" ".join(exc.messages))
    said = "Undone: that log is gone." if changed else "That log was already undone."
    return _today(request, actor, client, logged={"said": said, "undone": True})


@pages.portal_page
@require_POST
def log_settle(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """The client picked what a logged message was for (one tap in the confirmation)."""
    receipt = receipt_read(token=request.POST.get("receipt", ""), client=client)
    if receipt.interaction_id is None:
        raise Http404
    interaction = client_record(
        actor=actor, client=client, model=Interaction, pk=receipt.interaction_id
    )
    picked = request.POST.getlist("settles")
    keys = [] if picked == ["none"] else picked
    try:
        logged = event_settle(client=client, actor=actor, interaction=interaction, settles=keys)
    except ValidationError as exc:
        return _today(request, actor, client, status=400, undo_error=" ".join(exc.messages))
    said = "Noted." if logged.settled else "Noted: it stays a message of its own."
    return _today(
        request,
        actor,
        client,
        logged=_confirmation(said, receipt_of(client=client, logged=logged, logged_at=0,
                                              before=receipt), logged),
    )  # fmt: skip


def _done(request: HttpRequest, message: str, to: str = "practice_home") -> HttpResponse:
    messages.success(request, message)
    return HttpResponseRedirect(reverse(to))


def _problem(request: HttpRequest, exc: ValidationError, to: str) -> HttpResponse:
    for problem in exc.messages:
        messages.error(request, problem)
    return HttpResponseRedirect(reverse(to))


@pages.portal_record(Introduction)
@require_POST
def introduction_contacted(
    request: HttpRequest, *, actor: User, client: Client, record: Introduction
) -> HttpResponse:
    intro = record
    channel = request.POST.get("channel", Channel.EMAIL)
    try:
        introduction_record_contact(
            introduction=intro, at=timezone.now(), actor=actor, channel=channel
        )
    except ValidationError as exc:
        return _problem(request, exc, "practice_home")
    return _done(request, f"Noted: you reached out to {intro.target.name}.")


@pages.portal_page
@require_POST
def owed_done(
    request: HttpRequest, what: str, pk: int, *, actor: User, client: Client
) -> HttpResponse:
    """A thank-you (after a meeting or an introduction) or an outcome report, sent just now
    (`what`: an `obligations.Owed` value)."""
    now = timezone.now()
    try:
        if what == Owed.MEETING_THANKS:
            meeting = client_record(actor=actor, client=client, model=Meeting, pk=pk)
            meeting_record_thanks(meeting=meeting, actor=actor, at=now)
        elif what in (Owed.INTRODUCER_THANKS, Owed.OUTCOME):
            intro = client_record(actor=actor, client=client, model=Introduction, pk=pk)
            record = (
                introduction_record_thanks if what != Owed.OUTCOME else introduction_record_outcome
            )
            record(introduction=intro, actor=actor, at=now)
        else:
            raise Http404
    except ValidationError as exc:
        return _problem(request, exc, "practice_home")
    return _done(request, "Noted. Thank you for closing the loop.")


@pages.portal_page
def contacts(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = contact_create(client=client, actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            return _done(request, f"{contact.name} added to your contacts.", "portal_contacts")
    query = request.GET.get("q", "").strip()[:200]
    page = freshness_page(actor=actor, client=client, query=query, page=request.GET.get("page"))
    context = {
        "nav": "contacts",
        "client": client,
        "query": query,
        "page": page,
        "freshness": page.object_list,
        "form": form,
        "import_form": ImportForm(),
    }
    return render(
        request,
        "frontend/portal/contacts.html",
        context,
        status=400 if form.errors else 200,
    )


def _day_start(day: Any, tz: str) -> datetime:
    """Noon on a calendar day in the client's zone, capped at now (a time of day rarely
    matters for an introduction; noon keeps the day the same in any zone)."""
    moment = datetime.combine(day, time(12), tzinfo=ZoneInfo(tz))
    return min(moment, timezone.now())


@pages.portal_page
def introductions(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = IntroductionForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                introducer = _contact_named(actor, client, data["introducer"], "introducer")
                target = _contact_named(actor, client, data["target"], "target")
                at = _day_start(data["on"], client.time_zone)
                intro = introduction_create(
                    client=client,
                    actor=actor,
                    introducer=introducer,
                    target=target,
                    kind=data["kind"],
                    made_at=at if data["stage"] == "made" else None,
                    requested_at=at if data["stage"] == "requested" else None,
                )
        except ValidationError as exc:
            form.apply_service_errors(exc, aliases={"made_at": "on", "requested_at": "on"})
        else:
            in_force = client_thresholds(actor=actor, client_id=client.pk)["in_force"]
            days = in_force["intro_warning_days"]["value"]
            return _done(
                request,
                f"Introduction to {intro.target.name} recorded. Reach out within "
                f"{days} day{'' if days == 1 else 's'}.",
                "portal_introductions",
            )
    context = {
        "nav": "introductions",
        "client": client,
        "introductions": introduction_views(actor=actor, client=client, now=timezone.now()),
        "form": form,
        "contact_names": contact_names(actor=actor, client_id=client.pk),
    }
    return render(
        request,
        "frontend/portal/introductions.html",
        context,
        status=400 if form.errors else 200,
    )


@pages.portal_page
def meetings(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = _meeting_form(request.POST or None, client)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                contact = _contact_named(actor, client, data["contact"], "contact")
                meeting_schedule(
                    client=client,
                    actor=actor,
                    contact=contact,
                    scheduled_for=data["scheduled_for"],
                    purpose=data["purpose"],
                )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            return _done(request, "Meeting added. Prepare for it below.", "portal_meetings")
    return _meetings_page(request, actor, client, form=form)


def _meeting_form(data: Any, client: Client) -> MeetingForm:
    """The time is typed in the client's own zone (the page runs in it: `frontend.zones`)."""
    form = MeetingForm(data)
    form.fields["scheduled_for"].help_text = f"In your time zone ({client.time_zone})."
    return form


def _meetings_page(
    request: HttpRequest,
    actor: User,
    client: Client,
    *,
    form: MeetingForm | None = None,
    prep: tuple[int, PreparationForm] | None = None,
) -> HttpResponse:
    now = timezone.now()
    rows = []
    for meeting in meetings_of(actor=actor, client_id=client.pk):
        if prep is not None and prep[0] == meeting.pk:
            prep_form = prep[1]
        else:
            prep_form = PreparationForm(
                prefix=f"m{meeting.pk}",
                initial={
                    "company_research": meeting.prep_company_research,
                    "questions": meeting.prep_questions,
                    "goal": meeting.prep_goal,
                },
            )
        rows.append(
            {
                "meeting": meeting,
                "prep_form": prep_form,
                "upcoming": meeting.scheduled_for > now,
                "can_record": meeting.status == MeetingStatus.SCHEDULED
                and meeting.scheduled_for <= now,
            }
        )
    bad = bool((form and form.errors) or (prep and prep[1].errors))
    context = {
        "nav": "meetings",
        "client": client,
        "rows": rows,
        "form": form or _meeting_form(None, client),
        "contact_names": contact_names(actor=actor, client_id=client.pk),
    }
    return render(request, "frontend/portal/meetings.html", context, status=400 if bad else 200)


@pages.portal_record(Meeting)
@require_POST
def meeting_prepare(
    request: HttpRequest, *, actor: User, client: Client, record: Meeting
) -> HttpResponse:
    meeting = record
    form = PreparationForm(request.POST, prefix=f"m{meeting.pk}")
    if form.is_valid():
        try:
            meeting_record_preparation(meeting=meeting, actor=actor, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_errors(exc, aliases={"prepared_at": "goal"})
        else:
            return _done(request, "Preparation saved.", "portal_meetings")
    return _meetings_page(request, actor, client, prep=(meeting.pk, form))


@pages.portal_record(Meeting)
@require_POST
def meeting_outcome(
    request: HttpRequest, *, actor: User, client: Client, record: Meeting
) -> HttpResponse:
    meeting = record
    try:
        meeting_record_outcome(meeting=meeting, actor=actor, status=request.POST.get("status", ""))
    except ValidationError as exc:
        return _problem(request, exc, "portal_meetings")
    return _done(request, "Meeting updated.", "portal_meetings")


@pages.portal_page
def report(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    context: dict[str, Any] = {"nav": "portal_report", "client": client}
    if report_readable(actor=actor, client=client):
        diagnosis, _ = search_diagnosis(actor=actor, client=client)
        context["pdf_url"] = reverse("client_report_pdf", args=[client.pk])
        context["diagnosis"] = diagnosis
        context["findings"] = [
            f
            for f in finding_views(diagnosis=diagnosis)
            if f.finding.disposition is None or f.finding.disposition.state != "not_applicable"
        ]
    return render(request, "frontend/portal/report.html", context)


@pages.portal_page
def import_page(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    return render(
        request,
        "frontend/portal/import.html",
        {"form": ImportForm(), "nav": "contacts", "client": client},
    )
