"""Read-only practices, enforced in one place.

When a practice's trial has ended or its subscription lapsed (see billing.entitlements), every
unsafe request on its host is refused with HTTP 402 and a message saying what to do. Reading and
exporting (GET/HEAD/OPTIONS) keep working; nothing is deleted. The billing pages, logging in and
out, and password resets stay open so the owner can pay, which restores writing at once.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django_tenants.utils import get_public_schema_name

from billing import stripe_api
from billing.entitlements import practice_access

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
OPEN_NAMESPACES = frozenset({"billing"})
OPEN_VIEW_NAMES = frozenset(
    {
        "notifications:unsubscribe",  # opting out of email must work whatever the plan
        "account_login",
        "account_logout",
        "account_reset_password",
        "account_reset_password_done",
        "account_reset_password_from_key",
        "account_reset_password_from_key_done",
    }
)


def _always_open(request: HttpRequest) -> bool:
    try:
        match = resolve(request.path_info, urlconf=getattr(request, "urlconf", None))
    except Resolver404:
        return False
    return bool(OPEN_NAMESPACES & set(match.namespaces)) or match.view_name in OPEN_VIEW_NAMES


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return (
        request.path_info.startswith("/api/")
        or request.content_type == "application/json"
        or ("application/json" in accept and "text/html" not in accept)
    )


class ReadOnlyWhenLapsedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS or not stripe_api.is_configured():
            return self.get_response(request)
        practice = getattr(request, "tenant", None)
        if practice is None or practice.schema_name == get_public_schema_name():
            return self.get_response(request)
        if _always_open(request):
            return self.get_response(request)
        state = practice_access(practice=practice)
        if state.writable:
            return self.get_response(request)
        user = getattr(request, "user", None)
        is_owner = bool(getattr(user, "is_owner", False))
        message = state.message(is_owner=is_owner)
        billing_url = reverse("billing:settings")
        if _wants_json(request):
            return JsonResponse(
                {
                    "detail": message,
                    "code": "practice_read_only",
                    "reason": state.access.value,
                    "billing_url": billing_url if is_owner else None,
                },
                status=402,
            )
        context = {"message": message, "billing_url": billing_url, "is_owner": is_owner}
        return render(request, "billing/read_only.html", context, status=402)
