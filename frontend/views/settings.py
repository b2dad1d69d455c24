"""The owner's practice settings: people, defaults, and links to API keys, webhooks, billing."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from frontend.requests import acting_user

# Pages other parts of Warmpath provide; each is linked once its URL exists.
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
)


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@login_required
def practice_settings(request: HttpRequest) -> HttpResponse:
    if not acting_user(request).is_owner:
        raise Http404
    links = [
        {"title": title, "text": text, "url": _url(name), "action": action}
        for title, text, name, action in SECTIONS
    ]
    return render(
        request,
        "frontend/settings/index.html",
        {"nav": "settings", "links": links, "defaults_form": None},
    )
