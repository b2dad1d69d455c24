"""The owner's billing page on a practice's host, and Stripe's webhook on the public site.

Thin adapters: the practice always comes from the host, never from the request's data, so an
owner can only ever see and manage the billing of the practice they are signed in to. Billing is
the owner's business: anyone else gets the same 404 as a missing page (`accounts.gates`).
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from accounts.gates import acting_user, owner_required
from billing.selectors import billing_overview
from billing.services import (
    WebhookRejected,
    checkout_session_create,
    portal_session_create,
    stripe_event_receive,
    subscription_seats_change,
)
from tenants.context import request_practice
from tenants.models import Practice


def _settings_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(reverse("billing:settings"))


def _back_with_errors(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    for problems in exc.message_dict.values():
        for problem in problems:
            messages.error(request, problem)
    return HttpResponseRedirect(reverse("billing:settings"))


@owner_required
@require_GET
def billing_settings(request: HttpRequest) -> HttpResponse:
    practice = request_practice(request)
    overview = billing_overview(practice=practice, now=timezone.now())
    context = {"overview": overview, "checkout": request.GET.get("checkout", "")}
    return render(request, "billing/settings.html", context)


def _redirect_to_stripe(
    request: HttpRequest, session_url: Callable[[Practice, str], str]
) -> HttpResponse:
    """Create a Stripe session on demand and send the owner there (303: a POST becomes a GET)."""
    practice = request_practice(request)
    try:
        url = session_url(practice, _settings_url(request))
    except ValidationError as exc:
        return _back_with_errors(request, exc)
    return HttpResponseRedirect(url, status=303)


@owner_required
@require_POST
def checkout(request: HttpRequest) -> HttpResponse:
    plan = request.POST.get("plan", "")
    return _redirect_to_stripe(
        request,
        lambda practice, back: checkout_session_create(
            practice=practice, actor=acting_user(request), plan=plan, return_url=back
        ),
    )


@owner_required
@require_POST
def portal(request: HttpRequest) -> HttpResponse:
    return _redirect_to_stripe(
        request,
        lambda practice, back: portal_session_create(practice=practice, return_url=back),
    )


@owner_required
@require_POST
def seats(request: HttpRequest) -> HttpResponse:
    practice = request_practice(request)
    raw = request.POST.get("seats", "").strip()
    try:
        if not raw.isdigit():
            raise ValidationError({"seats": ["Enter the number of seats as a whole number."]})
        account = subscription_seats_change(practice=practice, seats=int(raw))
    except ValidationError as exc:
        return _back_with_errors(request, exc)
    messages.success(request, f"Your plan now covers {account.seats} active clients.")
    return HttpResponseRedirect(reverse("billing:settings"))


@csrf_exempt
@require_POST
def stripe_webhook(request: HttpRequest) -> HttpResponse:
    """Verify, store once, answer at once; a Celery task applies the event."""
    try:
        stripe_event_receive(
            payload=request.body, signature=request.headers.get("Stripe-Signature", "")
        )
    except WebhookRejected as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    return JsonResponse({"received": True})
