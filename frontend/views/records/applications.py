"""An application: record one, change any field (fit, source, stage, the dates), move it to
another stage from the pipeline board."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from accounts.models import User
from coaching.models import Application, Client
from coaching.services import application_create, application_update
from frontend import pages
from frontend.record_forms import ApplicationForm, ApplicationMoveForm
from frontend.views.records.common import client_url, done, form_page, posted, zoned


@pages.client_page()
@zoned
def application_new(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = ApplicationForm(posted(request), new=True)
    made: list[Application] = []
    if form.is_bound and form.saved_by(
        lambda: made.append(application_create(client=client, actor=actor, **form.filled()))
    ):
        return done(request, f"Recorded {made[0]}.", client_url(client, "applications"))
    return form_page(
        request,
        client=client,
        title="Record an application",
        form=form,
        submit="Record application",
        back=client_url(client, "applications"),
    )


@pages.record_page(Application)
@zoned
def application_edit(
    request: HttpRequest, *, actor: User, client: Client, record: Application
) -> HttpResponse:
    form = ApplicationForm(posted(request), initial=ApplicationForm.initial_for(record))
    if form.is_bound and form.saved_by(
        lambda: application_update(application=record, actor=actor, data=form.filled())
    ):
        return done(request, f"Saved {record}.", client_url(client, "applications"))
    return form_page(
        request,
        client=client,
        title=f"{record.role} at {record.company}",
        form=form,
        submit="Save application",
        back=client_url(client, "applications"),
        remove_url=reverse("application_remove", args=[client.pk, record.pk]),
        template="frontend/records/application_form.html",
    )


def _back_to(request: HttpRequest, client: Client) -> str:
    """The board the move came from, if it is one of ours; else the client's board."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return reverse("client_pipeline", args=[client.pk])


@pages.record_page(Application)
@require_POST
def application_move(
    request: HttpRequest, *, actor: User, client: Client, record: Application
) -> HttpResponse:
    """Another stage. A plain form answers with the board again; the board's script (which asks
    for JSON) gets the result and moves the card itself."""
    form = ApplicationMoveForm(request.POST)
    wants_json = "application/json" in request.headers.get("Accept", "")
    if form.saved_by(
        lambda: application_update(
            application=record, actor=actor, data={"status": form.cleaned_data["status"]}
        )
    ):
        message = f"{record.role} at {record.company}: {record.get_status_display().lower()}."
        if wants_json:
            return JsonResponse({"status": record.status, "message": message})
        return done(request, message, _back_to(request, client))
    problems = [str(m) for errors in form.errors.values() for m in errors]
    if wants_json:
        return JsonResponse({"problems": problems}, status=400)
    for problem in problems:
        messages.error(request, problem)
    return HttpResponseRedirect(_back_to(request, client))
