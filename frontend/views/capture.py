"""Capture pages: upload a LinkedIn archive or a calendar file, the client's private inbound
address, and the review of what was captured. Thin: `coaching.capture` does the work."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.gates import acting_user
from accounts.models import Role, User
from coaching.capture.addresses import (
    address_text,
    inbound_address_revoke,
    inbound_address_rotate,
    live_address,
)
from coaching.capture.review import capture_review, pending_summary, pending_threads
from coaching.capture.settings import capture_settings_get, capture_settings_set
from coaching.choices import ImportMode
from coaching.models import Client
from coaching.services.imports import import_start
from frontend import pages
from frontend.capture_forms import CaptureUploadForm, ContentSettingForm
from tenants.context import request_practice


def _page(
    request: HttpRequest, actor: User, client: Client, *, status: int = 200, **extra: Any
) -> HttpResponse:
    is_client = actor.role == Role.CLIENT
    context: dict[str, Any] = {
        "client": client,
        "is_client": is_client,
        "nav": "capture" if is_client else "dashboard",
        "upload_form": CaptureUploadForm(),
        "keeps_content": capture_settings_get().store_message_content,
        "waiting": pending_summary(client=client),
        **extra,
    }
    context.update(_extra_sections(request, actor, client))
    return render(request, "frontend/capture/page.html", context, status=status)


def _extra_sections(request: HttpRequest, actor: User, client: Client) -> dict[str, Any]:
    address = live_address(client=client)
    if actor.role != Role.CLIENT:
        return {"has_address": address is not None}
    threads = pending_threads(actor=actor, client=client)
    practice = request_practice(request)
    text = address_text(address, slug=practice.slug or "") if address else ""
    return {"has_address": address is not None, "address": text, "threads": threads}


@pages.portal_page
@require_POST
def review(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """The client leaves out the threads they ticked and confirms the rest."""
    result = capture_review(client=client, actor=actor, leave_out=request.POST.getlist("leave_out"))
    words = f"{result.confirmed:,} confirmed: they now count."
    if result.left_out:
        words += f" {result.left_out:,} left out: nobody else will see them."
    if result.people_created:
        people = "person" if result.people_created == 1 else "people"
        words += f" {result.people_created:,} new {people} added to your contacts."
    messages.success(request, words)
    return HttpResponseRedirect(reverse("portal_capture"))


@pages.portal_page
@require_POST
def address_rotate(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    inbound_address_rotate(client=client, actor=actor)
    messages.success(request, "Your new address works now; the old one no longer does.")
    return HttpResponseRedirect(reverse("portal_capture") + "#address")


@pages.portal_page
@require_POST
def address_revoke(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    inbound_address_revoke(client=client, actor=actor)
    messages.success(request, "Your address no longer works; mail sent to it is refused.")
    return HttpResponseRedirect(reverse("portal_capture") + "#address")


@pages.portal_page
def portal_capture(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    return _page(request, actor, client)


@pages.client_page(staff=False)
def client_capture(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    return _page(request, actor, client)


@pages.client_page(staff=False)
@require_POST
def capture_upload(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = CaptureUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_start(
                client=client,
                actor=actor,
                kind=form.cleaned_data["kind"],
                payload=upload.read(),
                filename=upload.name or "",
                mode=ImportMode.GOOD_ROWS,
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            return HttpResponseRedirect(reverse("import_progress", args=[job.pk]))
    return _page(request, actor, client, status=400, upload_form=form)


@login_required
def capture_settings(request: HttpRequest) -> HttpResponse:
    """The owner's choice: keep the text of captured messages, or not (the default)."""
    actor = acting_user(request)
    if actor.role != Role.OWNER:
        raise PermissionDenied("Only the practice owner changes this.")
    current = capture_settings_get()
    form = ContentSettingForm(
        request.POST or None, initial={"store_message_content": current.store_message_content}
    )
    if request.method == "POST" and form.is_valid():
        capture_settings_set(
            actor=actor, store_message_content=form.cleaned_data["store_message_content"]
        )
        messages.success(request, "Saved.")
        return HttpResponseRedirect(reverse("capture_settings"))
    return render(request, "frontend/capture/settings.html", {"form": form, "nav": "settings"})
