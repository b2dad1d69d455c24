"""An introduction: record one (asked for, made, or both), date each step as it happens, close it
or drop it with a reason."""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from coaching.models import Client, Introduction
from coaching.services import (
    introduction_abandon,
    introduction_close,
    introduction_create,
    introduction_record_contact,
    introduction_record_hiring_authority,
    introduction_record_made,
    introduction_record_outcome,
    introduction_record_thanks,
)
from coaching.workspace import applications_of, contacts_of
from frontend import pages
from frontend.record_forms import (
    INTRODUCTION_STEPS,
    IntroductionEndForm,
    IntroductionForm,
    IntroductionStepForm,
)
from frontend.views.records.common import client_url, done, form_page, posted, zone_of, zoned

STEP_SERVICES: dict[str, Callable[..., Introduction]] = {
    "made": introduction_record_made,
    "contacted": introduction_record_contact,
    "thanked": introduction_record_thanks,
    "outcome_reported": introduction_record_outcome,
    "reached_hiring_authority": introduction_record_hiring_authority,
}
STEP_FIELDS = {
    "made": "made_at",
    "contacted": "first_contact_at",
    "thanked": "thanked_at",
    "outcome_reported": "outcome_reported_at",
    "reached_hiring_authority": "reached_hiring_authority_at",
}


def _url(client: Client, introduction: Introduction) -> str:
    return reverse("introduction_page", args=[client.pk, introduction.pk])


@pages.client_page()
@zoned
def introduction_new(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = IntroductionForm(
        posted(request),
        contacts=contacts_of(actor=actor, client=client),
        applications=applications_of(actor=actor, client=client),
        zone=zone_of(client),
    )
    made: list[Introduction] = []
    if form.is_bound and form.saved_by(
        lambda: made.append(introduction_create(client=client, actor=actor, **form.filled()))
    ):
        return done(request, "Introduction recorded.", _url(client, made[0]))
    return form_page(
        request,
        client=client,
        title="Record an introduction",
        intro="Give when it was asked for, when it was made, or both.",
        form=form,
        submit="Record introduction",
        back=client_url(client, "introductions"),
    )


def _page(
    request: HttpRequest,
    client: Client,
    introduction: Introduction,
    *,
    steps: dict[str, IntroductionStepForm] | None = None,
    end: IntroductionEndForm | None = None,
) -> HttpResponse:
    zone = zone_of(client)
    steps = steps or {}
    rows = []
    for step, label in INTRODUCTION_STEPS.items():
        at = getattr(introduction, STEP_FIELDS[step])
        form = steps.get(step) or (None if at else IntroductionStepForm(step=step, zone=zone))
        rows.append({"step": step, "label": label, "at": at, "form": form})
    context: dict[str, Any] = {
        "nav": "dashboard",
        "client": client,
        "introduction": introduction,
        "rows": rows,
        "end_form": end or IntroductionEndForm(zone=zone),
        "back": client_url(client, "introductions"),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "frontend/records/introduction.html", context, status=status)


@pages.record_page(Introduction)
@zoned
def introduction_page(
    request: HttpRequest, *, actor: User, client: Client, record: Introduction
) -> HttpResponse:
    """Every step with its date, a form for each step still to come, and how it ended."""
    return _page(request, client, record)


@pages.record_page(Introduction)
@require_POST
@zoned
def introduction_step(
    request: HttpRequest, step: str, *, actor: User, client: Client, record: Introduction
) -> HttpResponse:
    if step not in STEP_SERVICES:
        raise Http404("No such step.")
    form = IntroductionStepForm(request.POST, step=step, zone=zone_of(client))
    service = STEP_SERVICES[step]
    aliases = {STEP_FIELDS[step]: "at", "status": "at"}

    def save() -> None:
        service(introduction=record, actor=actor, **form.filled())

    if form.saved(save, aliases):
        return done(request, f"Recorded: {form.label.lower()}.", _url(client, record))
    return _page(request, client, record, steps={step: form})


@pages.record_page(Introduction)
@require_POST
@zoned
def introduction_end(
    request: HttpRequest, *, actor: User, client: Client, record: Introduction
) -> HttpResponse:
    """Closed (it ran its course) or abandoned (with the reason)."""
    form = IntroductionEndForm(request.POST, zone=zone_of(client))

    def save() -> None:
        data = form.filled()
        if data["outcome"] == "closed":
            introduction_close(introduction=record, actor=actor, at=data["at"], note=data["note"])
        else:
            introduction_abandon(
                introduction=record,
                actor=actor,
                at=data["at"],
                reason=data["reason"],
                note=data["note"],
            )

    if form.saved(save, {"ended_at": "at", "status": "outcome"}):
        return done(request, f"The introduction is {record.status}.", _url(client, record))
    return _page(request, client, record, end=form)
