""" "Your data" pages: exporting a search or the practice, deleting a contact, a client or the
practice (with the grace period and Undo), and the retention rule. Thin: every rule is in
`coaching.lifecycle`; every page goes through its selectors, so what is not yours is a 404."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.gates import acting_user, owner_required
from accounts.models import User
from coaching.lifecycle.deletion import (
    GRACE_DAYS,
    client_deletion_schedule,
    contact_delete,
    day,
    deletion_request_cancel,
    practice_deletion_schedule,
)
from coaching.lifecycle.exports import (
    DownloadRefused,
    export_download_name,
    export_downloaded,
    export_for_download,
    export_request,
)
from coaching.lifecycle.links import EXPORT_LINK_HOURS, export_link_token
from coaching.lifecycle.models import DeletionKind, ExportJob, ExportStatus
from coaching.lifecycle.retention import MAX_MONTHS, retention_set
from coaching.lifecycle.selectors import (
    client_deletion_scheduled,
    clients_scheduled_for_deletion,
    contact_deletion_counts,
    deletion_request_get,
    export_get,
    exports_of_client,
    practice_deletion_scheduled,
    practice_exports,
    retention_months,
)
from coaching.lifecycle.storage import private_storage
from coaching.models import Client, Contact
from frontend import pages
from frontend.forms import Form
from tenants.context import request_practice


class RetentionForm(Form):
    landed_months = forms.IntegerField(
        label="Delete landed searches this many months after they landed",
        required=False,
        min_value=1,
        max_value=MAX_MONTHS,
        help_text="Leave empty to keep landed searches. Each one is first scheduled for "
        f"deletion, with {GRACE_DAYS} days to undo it.",
    )


class PracticeDeletionForm(Form):
    confirm_name = forms.CharField(label="Type the practice's name to confirm", max_length=200)


def _zone(request: HttpRequest) -> str:
    return request_practice(request).time_zone


def _export_rows(jobs: list[ExportJob]) -> list[dict[str, Any]]:
    return [{"job": job, **_export_view(job)} for job in jobs]


def _export_view(job: ExportJob) -> dict[str, Any]:
    url = None
    if job.status == ExportStatus.READY:
        url = (
            reverse("export_download", args=[job.pk])
            + f"?token={export_link_token(export_id=job.pk)}"
        )
    return {"download_url": url, "finished": job.finished}


# ---- a client's search ------------------------------------------------------------------------


@pages.client_page()
def client_data(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """The "Your data" section of a client's page (htmx loads it into the page; without
    JavaScript it is a page of its own)."""
    context = {
        "nav": "dashboard",
        "client": client,
        "scheduled": client_deletion_scheduled(client=client),
        "exports": _export_rows(exports_of_client(actor=actor, client_id=client.pk)),
        "grace_days": GRACE_DAYS,
        "zone": ZoneInfo(_zone(request)),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "frontend/data/client_section.html", context)
    return render(request, "frontend/data/client.html", context)


@pages.client_page(staff=False)
@require_POST
def client_export(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """Anyone who may see the search (the client, their coach, the owner) may export it."""
    job = export_request(actor=actor, client=client)
    return HttpResponseRedirect(reverse("export_page", args=[job.pk]))


@pages.client_page()
def client_delete(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """Confirm, then schedule the deletion of the client's search and account."""
    back = reverse("client_page", args=[client.pk]) + "#your-data"
    if client_deletion_scheduled(client=client) is not None:
        return HttpResponseRedirect(back)
    if request.method == "POST":
        try:
            request_ = client_deletion_schedule(client=client, actor=actor)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(_messages(exc)))
        else:
            messages.success(
                request,
                f"{_name(client)}'s search will be deleted on {day(request_.due_at)}. "
                "Until then you can undo it here; they cannot sign in meanwhile.",
            )
        return HttpResponseRedirect(back)
    context = {"nav": "dashboard", "client": client, "grace_days": GRACE_DAYS}
    return render(request, "frontend/data/client_delete.html", context)


@login_required
@require_POST
def deletion_undo(request: HttpRequest, request_id: int) -> HttpResponse:
    """Undo a scheduled deletion (a client's: their coach or the owner; the practice's: the
    owner), then go back where it was shown."""
    actor = acting_user(request)
    deletion = deletion_request_get(actor=actor, request_id=request_id)
    try:
        deletion_request_cancel(request=deletion, actor=actor)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(_messages(exc)))
    else:
        messages.success(request, "Undone: nothing will be deleted.")
    if deletion.kind == DeletionKind.CLIENT and request.POST.get("back") != "settings":
        return HttpResponseRedirect(
            reverse("client_page", args=[deletion.record_id]) + "#your-data"
        )
    return HttpResponseRedirect(reverse("practice_data"))


@pages.record_page(Contact, staff=False, kwarg="contact_id")
def contact_delete_page(
    request: HttpRequest, *, actor: User, client: Client, record: Contact
) -> HttpResponse:
    """Confirm, then delete a contact with everything only about them."""
    contact = record
    if request.method == "POST":
        contact_delete(contact=contact, actor=actor)
        messages.success(
            request,
            "The contact is deleted, with their interactions, meetings, follow-ups and "
            "introductions. The timeline keeps its entries, as “a deleted contact”.",
        )
        if actor.is_coaching_staff:
            return HttpResponseRedirect(reverse("client_page", args=[client.pk]) + "?tab=contacts")
        return HttpResponseRedirect(reverse("portal_contacts"))
    context = {
        "nav": "dashboard" if actor.is_coaching_staff else "contacts",
        "client": client,
        "contact": contact,
        "counts": contact_deletion_counts(contact=contact),
        "back": reverse("contact_page", args=[client.pk, contact.pk])
        if actor.is_coaching_staff
        else reverse("portal_contacts"),
    }
    return render(request, "frontend/data/contact_delete.html", context)


# ---- exports ----------------------------------------------------------------------------------


@login_required
def export_page(request: HttpRequest, export_id: int) -> HttpResponse:
    """An export's progress; htmx polls the fragment until it is ready (or failed)."""
    actor = acting_user(request)
    job = export_get(actor=actor, export_id=export_id)
    context = {
        "nav": "settings" if job.client_id is None else "dashboard",
        "row": {"job": job, **_export_view(job)},
        "link_hours": EXPORT_LINK_HOURS,
        "zone": ZoneInfo(_zone(request)),
    }
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "frontend/data/export_progress.html", context)
    return render(request, "frontend/data/export.html", context)


@login_required
def export_download(request: HttpRequest, export_id: int) -> HttpResponse | FileResponse:
    """The zip, for someone signed in who may see it, with a valid link."""
    actor = acting_user(request)
    try:
        job = export_for_download(
            actor=actor, export_id=export_id, token=request.GET.get("token", "")
        )
    except DownloadRefused as exc:
        context = {"message": exc.message, "export_url": reverse("export_page", args=[export_id])}
        return render(request, "frontend/data/download_refused.html", context, status=404)
    response = FileResponse(
        private_storage().open(job.file_name, "rb"),
        as_attachment=True,
        filename=export_download_name(job),
        content_type="application/zip",
    )
    export_downloaded(actor=actor, job=job)
    return response


# ---- the client's portal ----------------------------------------------------------------------


@pages.portal_page
def portal_data(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """A client's own data: export their search; deletion is asked of their coach."""
    context = {
        "nav": "data",
        "client": client,
        "exports": _export_rows(exports_of_client(actor=actor, client_id=client.pk)),
        "zone": ZoneInfo(_zone(request)),
    }
    return render(request, "frontend/data/portal.html", context)


# ---- the practice (owner) ---------------------------------------------------------------------


@owner_required
def practice_data(request: HttpRequest) -> HttpResponse:
    owner = acting_user(request)
    practice = request_practice(request)
    retention_form = RetentionForm(
        request.POST if request.POST.get("action") == "retention" else None,
        initial={"landed_months": retention_months()},
    )
    deletion_form = PracticeDeletionForm(
        request.POST if request.POST.get("action") == "delete_practice" else None
    )
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "retention" and retention_form.saved_by(
            lambda: retention_set(
                actor=owner, landed_months=retention_form.cleaned_data["landed_months"]
            )
        ):
            messages.success(request, "Retention saved.")
            return HttpResponseRedirect(reverse("practice_data") + "#retention")
        if action == "delete_practice" and deletion_form.saved_by(
            lambda: practice_deletion_schedule(
                actor=owner, confirm_name=deletion_form.cleaned_data["confirm_name"]
            )
        ):
            messages.success(request, "The practice is scheduled for deletion.")
            return HttpResponseRedirect(reverse("practice_data") + "#delete")
        if action == "export":
            job = export_request(actor=owner)
            return HttpResponseRedirect(reverse("export_page", args=[job.pk]))
        if action not in ("retention", "delete_practice"):
            raise Http404
    context = {
        "nav": "settings",
        "practice": practice,
        "exports": _export_rows(practice_exports(actor=owner)),
        "retention_form": retention_form,
        "deletion_form": deletion_form,
        "practice_scheduled": practice_deletion_scheduled(),
        "clients_scheduled": clients_scheduled_for_deletion(actor=owner),
        "grace_days": GRACE_DAYS,
        "zone": ZoneInfo(practice.time_zone),
    }
    status = 400 if retention_form.errors or deletion_form.errors else 200
    return render(request, "frontend/data/practice.html", context, status=status)


def _name(client: Client) -> str:
    return client.user.name or client.user.email


def _messages(exc: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(exc, ValidationError):
        return list(exc.messages)
    return [str(exc)]
