"""Read-only practices, enforced in one place for pages and one for the API.

When a practice's trial has ended or its subscription lapsed (see billing.entitlements), every
unsafe request on its host is refused with HTTP 402 and a message saying what to do: the owner
where to pay, anyone else to ask the owner. Reading and exporting (GET/HEAD/OPTIONS) keep
working; nothing is deleted. The billing pages, logging in and out, and password resets stay
open so the owner can pay, which restores writing at once.

The API (`/api/`) is refused by its base view (`api.viewsets.ApiView`) instead, after it has
authenticated the request: a request with no key or a bad key is told so (401) before anything
about billing, and the 402 names the member the key acts as. Both answer in the API's error
format (`config.error_body`), with `reason` and `billing_url`.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django_tenants.utils import get_public_schema_name

from billing import stripe_api
from billing.entitlements import read_only_refusal
from config.error_body import error_body

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
API_PREFIX = "/api/"
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
        # Leaving stays possible: export everything, delete data (coaching/lifecycle; the API's
        # views say so with `open_when_read_only`).
        "client_export",
        "client_delete",
        "contact_delete",
        "deletion_undo",
        "practice_data",
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
    return request.content_type == "application/json" or (
        "application/json" in accept and "text/html" not in accept
    )


def billing_url_for(request: HttpRequest) -> str:
    """The billing page on the practice's own host, where the owner pays."""
    return request.build_absolute_uri(reverse("billing:settings"))


class ReadOnlyWhenLapsedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS or not stripe_api.is_configured():
            return self.get_response(request)
        practice = getattr(request, "tenant", None)
        if practice is None or practice.schema_name == get_public_schema_name():
            return self.get_response(request)
        if request.path_info.startswith(API_PREFIX) or _always_open(request):
            return self.get_response(request)  # the API refuses after authentication
        user = getattr(request, "user", None)
        is_owner = bool(getattr(user, "is_owner", False))
        refusal = read_only_refusal(
            practice=practice, is_owner=is_owner, billing_url=billing_url_for(request)
        )
        if refusal is None:
            return self.get_response(request)
        if _wants_json(request):
            body = error_body(
                code="practice_read_only",
                message=refusal.message,
                reason=refusal.reason,
                billing_url=refusal.billing_url,
            )
            return JsonResponse(body, status=402)
        context = {
            "message": refusal.message,
            "billing_url": reverse("billing:settings"),
            "is_owner": is_owner,
        }
        return render(request, "billing/read_only.html", context, status=402)
