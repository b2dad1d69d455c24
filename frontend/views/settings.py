"""The owner's practice settings: people, defaults, and links to API keys, webhooks, billing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from accounts.gates import acting_user, owner_required
from accounts.verification import email_confirmation_pending
from coaching.diagnostics import resolve_thresholds
from coaching.insights.selectors import practice_overrides
from coaching.insights.services import practice_thresholds_update
from frontend.forms import ThresholdsForm

# The other settings pages, each linked from the hub by its URL name.
SECTIONS = (
    (
        "API keys",
        "Let other tools read and write your practice's data.",
        "api_keys",
        "Manage API keys",
    ),
    (
        "Webhooks",
        "Tell other tools when a client's status or findings change.",
        "webhooks",
        "Manage webhooks",
    ),
    ("Billing", "Your plan, seats and invoices.", "billing:settings", "Open billing"),
    (
        "Your data",
        "Export everything, delete the practice, and how long ended searches are kept.",
        "practice_data",
        "Open your data",
    ),
    (
        "Audit log",
        "Who signed in, and who changed people, keys, webhooks, billing and settings.",
        "audit_log",
        "Open the audit log",
    ),
    (
        "Your notifications",
        "Choose which emails you get, and subscribe to your calendar feed.",
        "notifications:preferences",
        "Open notification settings",
    ),
    ("API documentation", "Every endpoint, with examples.", "api:docs", "Open the API docs"),
)


@owner_required
def practice_settings(request: HttpRequest) -> HttpResponse:
    owner = acting_user(request)
    current = practice_overrides()
    form = ThresholdsForm(
        request.POST or None, initial=current, inherited=resolve_thresholds(), with_goal=True
    )
    if request.method == "POST" and form.is_valid():
        try:
            practice_thresholds_update(actor=owner, changes=form.changes())
        except ValidationError as exc:
            form.apply_service_errors(exc)
        else:
            messages.success(request, "Practice defaults saved; every client's report uses them.")
            return HttpResponseRedirect(reverse("practice_settings") + "#defaults")
    links = [
        {"title": title, "text": text, "url": reverse(name), "action": action}
        for title, text, name, action in SECTIONS
    ]
    return render(
        request,
        "frontend/settings/index.html",
        {
            "nav": "settings",
            "links": links,
            "defaults_form": form,
            "email_pending": email_confirmation_pending(user=owner),
        },
        status=400 if form.errors else 200,
    )
