"""A client's profile, status (landing with the offer taken), coach and archive."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.models import User
from accounts.selectors import coaches_active
from coaching.models import Client
from coaching.services import client_reassign, client_update
from coaching.services.archive import client_archive, client_restore
from coaching.services.landing import client_status_with_offer
from coaching.workspace import offers_of
from frontend import pages
from frontend.record_forms import ClientProfileForm, ClientStatusForm, ReassignForm
from frontend.views.records.common import client_url, done, zoned


def _page(
    request: HttpRequest,
    actor: User,
    client: Client,
    *,
    profile: ClientProfileForm | None = None,
    status: ClientStatusForm | None = None,
    reassign: ReassignForm | None = None,
) -> HttpResponse:
    refused = request.method == "POST"
    context = {
        "nav": "dashboard",
        "client": client,
        "back": client_url(client),
        "profile_form": profile or ClientProfileForm(initial=ClientProfileForm.initial_for(client)),
        "status_form": status
        or ClientStatusForm(
            initial={"status": client.status, "landed_on": client.landed_on},
            offers=offers_of(actor=actor, client=client),
        ),
        "reassign_form": (
            reassign or ReassignForm(initial={"coach": client.coach_id}, coaches=coaches_active())
            if actor.is_owner
            else None
        ),
    }
    return render(
        request, "frontend/records/client_edit.html", context, status=400 if refused else 200
    )


@pages.client_page()
@zoned
def client_edit(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """The page, and its first form: who the client is and what they target."""
    if request.method != "POST":
        return _page(request, actor, client)
    form = ClientProfileForm(request.POST)
    if form.saved_by(lambda: client_update(client=client, actor=actor, data=form.filled())):
        return done(request, "Profile saved.", client_url(client))
    return _page(request, actor, client, profile=form)


@pages.client_page()
@require_POST
@zoned
def client_status(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """Active, paused, or landed (with the day, and the offer when it was one of theirs)."""
    form = ClientStatusForm(request.POST, offers=offers_of(actor=actor, client=client))
    if form.saved_by(lambda: client_status_with_offer(client=client, actor=actor, **form.filled())):
        return done(request, f"Status: {client.get_status_display().lower()}.", client_url(client))
    return _page(request, actor, client, status=form)


@pages.client_page()
@require_POST
def client_reassign_page(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """Only the owner moves a client to another coach."""
    if not actor.is_owner:
        raise Http404("Only the owner reassigns a client.")
    form = ReassignForm(request.POST, coaches=coaches_active())
    if form.saved_by(
        lambda: client_reassign(client=client, actor=actor, coach=form.cleaned_data["coach"])
    ):
        return done(request, f"{client.coach} now coaches this client.", client_url(client))
    return _page(request, actor, client, reassign=form)


@pages.client_page()
@require_POST
def client_archive_page(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """Archive a search that is over or abandoned (`action=archive`), or restore it."""
    restoring = request.POST.get("action") == "restore"
    try:
        if restoring:
            client_restore(client=client, actor=actor)
        else:
            client_archive(client=client, actor=actor)
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
        return HttpResponseRedirect(reverse("client_edit", args=[client.pk]))
    if restoring:
        said = f"Restored, still {client.get_status_display().lower()}: set the status to resume."
    else:
        said = "Archived. The records stay; the client reads them but changes nothing."
    return done(request, said, client_url(client))
