"""The owner's practice settings: people, defaults, the practice's profile (name, time zone,
logo), and links to API keys, webhooks, billing. And the logo itself, for every page."""

from zoneinfo import available_timezones

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from accounts.gates import acting_user, owner_required
from accounts.practice_profile import NAME_MAX_LENGTH, practice_profile_update
from accounts.verification import email_confirmation_pending
from coaching.diagnostics import resolve_thresholds
from coaching.insights.selectors import practice_overrides
from coaching.insights.services import practice_thresholds_update
from frontend.forms import Form, ThresholdsForm
from tenants.branding import LOGO_MAX_BYTES, LOGO_MAX_SIDE, logo_of
from tenants.context import request_practice

# The other settings pages, each linked from the hub by its URL name.
SECTIONS = (
    (
        "Practice profile",
        "Your practice's name, time zone and logo, shown to your clients.",
        "practice_profile",
        "Edit the profile",
    ),
    (
        "Who do we know at…?",
        "Which of your clients knows someone at a company, best contacts first.",
        "who_knows",
        "Search the practice",
    ),
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


ZONES = sorted(available_timezones() - {"localtime", "Factory"})


class PracticeProfileForm(Form):
    name = forms.CharField(label="Practice name", max_length=NAME_MAX_LENGTH)
    time_zone = forms.ChoiceField(
        label="Time zone",
        choices=[(zone, zone.replace("_", " ")) for zone in ZONES],
        help_text="Used for the practice's own dates, and for new members until they choose.",
    )
    logo = forms.FileField(
        label="Logo (optional)",
        required=False,
        help_text=(
            f"A PNG, JPEG, GIF or WebP image of at most {LOGO_MAX_BYTES // 1024} KB and "
            f"{LOGO_MAX_SIDE} pixels a side. Shown at the top of your clients' pages, in emails "
            "and on PDF reports."
        ),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
        ),
    )
    remove_logo = forms.BooleanField(label="Remove the current logo", required=False)


@owner_required
def practice_profile(request: HttpRequest) -> HttpResponse:
    owner = acting_user(request)
    practice = request_practice(request)
    form = PracticeProfileForm(
        request.POST or None,
        request.FILES or None,
        initial={"name": practice.name, "time_zone": practice.time_zone},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["logo"]
        try:
            practice_profile_update(
                actor=owner,
                practice=practice,
                name=form.cleaned_data["name"],
                time_zone=form.cleaned_data["time_zone"],
                logo=upload.read(LOGO_MAX_BYTES + 1) if upload else None,
                remove_logo=form.cleaned_data["remove_logo"],
            )
        except ValidationError as exc:
            form.apply_service_errors(exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Practice profile saved.")
            return HttpResponseRedirect(reverse("practice_profile"))
    return render(
        request,
        "frontend/settings/profile.html",
        {"nav": "settings", "form": form, "has_logo": practice.logo_updated_at is not None},
        status=400 if form.errors else 200,
    )


@require_GET
def practice_logo(request: HttpRequest, version: int) -> HttpResponse:
    """The practice's logo (public, like the name on its login page); the address changes with
    the logo, so it may be cached for good."""
    logo = logo_of(request_practice(request))
    if logo is None:
        raise Http404
    response = HttpResponse(bytes(logo.image), content_type=logo.content_type)
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
