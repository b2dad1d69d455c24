"""One client's search as the coach sees it, and the coach's changes to it.

Every client and record is looked up by a `frontend.pages` decorator with the acting user, so a
client outside the coach's scope (or in another practice) is a 404 like a missing one.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from accounts.gates import acting_user
from accounts.models import User
from coaching.choices import ImportStatus
from coaching.insights.pdf import client_report_pdf as client_report_pdf_bytes_for
from coaching.insights.selectors import inherited_thresholds
from coaching.insights.services import (
    client_thresholds_update,
    finding_dispose,
    finding_disposition_withdraw,
    finding_set_hidden,
)
from coaching.insights.weekly_goal import weekly_goal_in_force
from coaching.models import (
    Client,
    Contact,
    Interaction,
)
from coaching.selectors import (
    RECORD_KINDS,
    contact_history,
    evidence_record,
    import_job_get,
)
from coaching.services import (
    client_review_leaving_story,
    client_review_presentation,
    client_set_report_sharing,
    client_update,
    interaction_remove,
)
from coaching.services.imports import import_start
from frontend import pages
from frontend.forms import (
    DispositionForm,
    FindingVisibilityForm,
    GoalForm,
    ImportForm,
    LeavingStoryForm,
    SharingForm,
    ThresholdsForm,
    WithdrawDispositionForm,
    presentation_forms,
)
from frontend.views import client_tabs
from frontend.views.dashboard import as_of_param, practice_today, refuses_bad_as_of


@refuses_bad_as_of
def _page(
    request: HttpRequest,
    actor: User,
    client: Client,
    *,
    status: int = 200,
    tab: str | None = None,
    **forms: Any,
) -> HttpResponse:
    """The client page on one tab (`?tab=`, `client_tabs`); a form that failed re-renders the
    tab it sits on, with its errors (`forms`)."""
    now = timezone.now()
    as_of = as_of_param(request)
    tab = tab or client_tabs.tab_param(request)
    context: dict[str, Any] = {
        "nav": "dashboard",
        "client": client,
        "as_of": as_of,
        "today": practice_today(request),
        "tab": tab,
        "tab_label": client_tabs.TABS[tab],
        "tabs": client_tabs.tab_links(client_id=client.pk, current=tab, as_of=as_of),
        "tab_template": f"frontend/coach/client_tabs/{tab}.html",
        "as_of_keep": [("tab", tab if tab != client_tabs.FINDINGS else "")],
        "as_of_today_query": f"tab={tab}" if tab != client_tabs.FINDINGS else "",
        **client_tabs.tab_context(tab=tab, actor=actor, client=client, as_of=as_of, now=now),
    }
    if tab == client_tabs.SETTINGS:
        context.update(_settings_forms(request, client, forms))
    context.update({k: v for k, v in forms.items() if k != "presentation"})
    return render(request, "frontend/coach/client.html", context, status=status)


def _settings_forms(request: HttpRequest, client: Client, forms: dict[str, Any]) -> dict[str, Any]:
    checks = {c.item: c for c in client.presentation.all()}
    goal = weekly_goal_in_force(actor=acting_user(request), client=client)  # the one in force
    data = request.POST if request.method == "POST" else None
    return {
        "goal_form": GoalForm(initial={"weekly_outreach_goal": goal.value}),
        "weekly_goal": goal,
        "thresholds_form": ThresholdsForm(
            initial=client.threshold_overrides, inherited=inherited_thresholds()
        ),
        "sharing_form": SharingForm(initial={"shared": client.report_shared_with_client}),
        "story_form": LeavingStoryForm(
            initial={"story": client.leaving_story, "verdict": client.leaving_story_verdict}
        ),
        "presentation": presentation_forms(data if "presentation" in forms else None, checks),
        "import_form": ImportForm(),
    }


@pages.client_page()
def client_page(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    return _page(request, actor, client)


def _back(client: Client, anchor: str) -> HttpResponseRedirect:
    tab = client_tabs.TAB_OF_SECTION.get(anchor, client_tabs.FINDINGS)
    return HttpResponseRedirect(client_tabs.client_url(client_id=client.pk, tab=tab) + f"#{anchor}")


@pages.client_page()
@require_POST
def client_goal(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = GoalForm(request.POST)
    if form.saved_by(lambda: client_update(client=client, actor=actor, data=form.cleaned_data)):
        messages.success(request, "Weekly goal saved.")
        return _back(client, "settings")
    return _page(request, actor, client, status=400, tab=client_tabs.SETTINGS, goal_form=form)


@pages.client_page()
@require_POST
def client_thresholds(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = ThresholdsForm(request.POST, inherited=inherited_thresholds())
    if form.saved_by(
        lambda: client_thresholds_update(actor=actor, client_id=client.pk, changes=form.changes())
    ):
        messages.success(request, "Thresholds saved.")
        return _back(client, "settings")
    return _page(request, actor, client, status=400, tab=client_tabs.SETTINGS, thresholds_form=form)


@pages.client_page()
@require_POST
def client_disposition(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """Acknowledge a finding, or mark it not applicable: it stays listed and stops counting."""
    form = DispositionForm(request.POST)
    if form.saved_by(
        lambda: finding_dispose(actor=actor, client_id=client.pk, **form.cleaned_data)
    ):
        shared = form.cleaned_data.get("note_shared") and form.cleaned_data.get("note")
        messages.success(
            request,
            "Decision recorded; the finding no longer counts."
            + (" Your client will see your note." if shared else ""),
        )
        return _back(client, "findings")
    key = request.POST.get("finding_key", "")
    return _page(
        request,
        actor,
        client,
        status=400,
        tab=client_tabs.FINDINGS,
        disposition_errors={key: form.errors},
    )


@pages.client_page()
@require_POST
def client_finding_visibility(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """Hide a finding from the report shared with the client, or show it again."""
    form = FindingVisibilityForm(request.POST)
    if form.saved_by(
        lambda: finding_set_hidden(actor=actor, client_id=client.pk, **form.cleaned_data)
    ):
        hidden = form.cleaned_data["hidden"]
        messages.success(
            request,
            "Hidden from your client's report; it still counts here."
            if hidden
            else "Your client's report shows this finding again.",
        )
        return _back(client, "findings")
    key = request.POST.get("finding_key", "")
    return _page(
        request,
        actor,
        client,
        status=400,
        tab=client_tabs.FINDINGS,
        disposition_errors={key: form.errors},
    )


@pages.client_page()
@require_POST
def client_disposition_withdraw(
    request: HttpRequest, *, actor: User, client: Client
) -> HttpResponse:
    """Take back an acknowledgement or a "not applicable": the finding counts again from today
    (past days keep the decision)."""
    form = WithdrawDispositionForm(request.POST)
    ended: list[int] = []
    if form.saved_by(
        lambda: ended.append(
            finding_disposition_withdraw(actor=actor, client_id=client.pk, **form.cleaned_data)
        )
    ):
        done = "The finding counts again from today." if ended[0] else "This finding counts."
        messages.success(request, done)
        return _back(client, "findings")
    key = request.POST.get("finding_key", "")
    return _page(
        request,
        actor,
        client,
        status=400,
        tab=client_tabs.FINDINGS,
        disposition_errors={key: form.errors},
    )


@pages.client_page(staff=False)
@refuses_bad_as_of
def client_report_pdf(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """The client report as a PDF; coaches, and the client once the coach shared it."""
    origin = request.build_absolute_uri("/").rstrip("/")

    def record_url(record: str, pk: int) -> str | None:
        if record not in RECORD_KINDS:
            return None
        return origin + reverse("record_link", args=[client.pk, record, pk])

    try:
        pdf = client_report_pdf_bytes_for(
            actor=actor, client_id=client.pk, as_of=as_of_param(request), record_url=record_url
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(client.user.name or "client") or "client"
    response["Content-Disposition"] = f'attachment; filename="warmpath-{name}-report.pdf"'
    return response


@pages.client_page()
@require_POST
def client_sharing(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = SharingForm(request.POST)
    form.is_valid()
    shared = bool(form.cleaned_data.get("shared"))
    client_set_report_sharing(client=client, actor=actor, shared=shared)
    messages.success(
        request,
        "The report is now visible in the client's portal."
        if shared
        else "The report is no longer shown to the client.",
    )
    return _back(client, "report")


@pages.client_page()
@require_POST
def client_leaving_story(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    form = LeavingStoryForm(request.POST)
    if form.saved_by(
        lambda: client_review_leaving_story(client=client, actor=actor, **form.cleaned_data)
    ):
        messages.success(request, "Reason-for-leaving verdict saved.")
        return _back(client, "presentation")
    return _page(request, actor, client, status=400, tab=client_tabs.SETTINGS, story_form=form)


@pages.client_page()
@require_POST
def client_presentation(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    checks = {c.item: c for c in client.presentation.all()}
    bound = presentation_forms(request.POST, checks)
    if all(form.is_valid() for _, _, form in bound):
        try:
            for item, _, form in bound:
                client_review_presentation(
                    client=client,
                    actor=actor,
                    item=item,
                    state=form.cleaned_data["state"],
                    note=form.cleaned_data["note"],
                )
        except ValidationError as exc:
            bound[0][2].apply_service_errors(exc)
        else:
            messages.success(request, "Presentation checklist saved.")
            return _back(client, "presentation")
    return _page(request, actor, client, status=400, tab=client_tabs.SETTINGS, presentation=bound)


@pages.client_page(staff=False)
@require_POST
def client_import(request: HttpRequest, *, actor: User, client: Client) -> HttpResponse:
    """Coaches and clients both upload; the job runs in the background and the page polls it."""
    form = ImportForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = import_start(
                client=client,
                actor=actor,
                kind=form.cleaned_data["kind"],
                payload=upload.read(),
                filename=upload.name or "",
                mode=form.cleaned_data["mode"],
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            return HttpResponseRedirect(reverse("import_progress", args=[job.pk]))
    if actor.is_coaching_staff:
        return _page(request, actor, client, status=400, tab=client_tabs.SETTINGS, import_form=form)
    return render(
        request, "frontend/portal/import.html", {"form": form, "nav": "contacts"}, status=400
    )


@login_required
def import_progress(request: HttpRequest, job_id: int) -> HttpResponse:
    """The job's progress; htmx polls the fragment until the job has finished."""
    job = import_job_get(actor=acting_user(request), job_id=job_id)
    finished = job.status in (ImportStatus.SUCCEEDED, ImportStatus.FAILED)
    context = {"job": job, "finished": finished, "nav": "contacts"}
    if request.htmx:  # type: ignore[attr-defined]
        response = render(request, "frontend/partials/import_progress.html", context)
        if finished:
            response["HX-Trigger"] = "import-finished"
        return response
    return render(request, "frontend/import_job.html", context)


@pages.client_page(staff=False)
def record_link(
    request: HttpRequest, kind: str, pk: int, *, actor: User, client: Client
) -> HttpResponse:
    """Where a finding's evidence points: the record on the page that shows it."""
    record = evidence_record(actor=actor, client=client, kind=kind, pk=pk)
    client_id = client.pk
    if actor.is_coaching_staff:
        if kind == "interaction":
            url = reverse("contact_page", args=[client_id, record.contact_id])
        elif kind == "contact":
            url = reverse("contact_page", args=[client_id, pk])
        else:
            tab = client_tabs.TAB_OF_RECORD.get(kind, client_tabs.FINDINGS)
            url = client_tabs.client_url(client_id=client_id, tab=tab)
        return HttpResponseRedirect(f"{url}#{kind}-{pk}")
    portal_pages = {
        "contact": "portal_contacts",
        "interaction": "portal_contacts",
        "introduction": "portal_introductions",
        "meeting": "portal_meetings",
    }
    target = reverse(portal_pages.get(kind, "practice_home"))
    anchor = f"contact-{record.contact_id}" if kind == "interaction" else f"{kind}-{pk}"
    return HttpResponseRedirect(f"{target}#{anchor}")


@pages.record_page(Contact, kwarg="contact_id")
def contact_page(
    request: HttpRequest, *, actor: User, client: Client, record: Contact
) -> HttpResponse:
    """One contact with every interaction, for the coach (evidence links land here)."""
    contact = record
    context = {
        "nav": "dashboard",
        "client": client,
        "contact": contact,
        **contact_history(actor=actor, contact=contact),
    }
    return render(request, "frontend/coach/contact.html", context)


@pages.record_page(Interaction)
@require_POST
def interaction_remove_page(
    request: HttpRequest, *, actor: User, client: Client, record: Interaction
) -> HttpResponse:
    """Remove an interaction logged by mistake, from the contact's page."""
    interaction = record
    contact_url = reverse("contact_page", args=[client.pk, interaction.contact_id])
    try:
        interaction_remove(interaction=interaction, actor=actor)
    except ValidationError as exc:
        for problem in exc.messages:
            messages.error(request, problem)
        return HttpResponseRedirect(contact_url)
    when = f"{interaction.occurred_at:%b} {interaction.occurred_at.day}"
    messages.success(
        request,
        f"Removed the {interaction.get_kind_display().lower()} of {when}. "
        "The activity log keeps what it said.",
    )
    return HttpResponseRedirect(contact_url)
