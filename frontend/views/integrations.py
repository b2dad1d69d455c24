"""The owner's settings for integrations: API keys and webhook endpoints with their deliveries.

Thin views over `integrations.keys` and `integrations.webhooks.services`. A secret (an API key, a
webhook signing secret) is shown once: it waits in the server-side session for the next render of
the page and is removed as it is shown; it never goes into a URL, a cookie or a message.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from accounts.gates import acting_user, owner_required
from frontend.forms import ApiKeyForm, WebhookEndpointForm
from integrations.keys import api_key_create, api_key_revoke
from integrations.models import WebhookEndpoint
from integrations.selectors import (
    api_key_get,
    api_keys_list,
    webhook_deliveries_recent,
    webhook_delivery_get,
    webhook_endpoint_get,
    webhook_endpoints_list,
)
from integrations.webhooks.services import (
    delivery_redeliver,
    endpoint_create,
    endpoint_ping,
    endpoint_rotate_secret,
    endpoint_update,
)

View = Callable[..., HttpResponse]

SHOW_ONCE = "warmpath_show_once"
RECENT_DELIVERIES = 50


def _show_once(request: HttpRequest, *, label: str, value: str) -> None:
    request.session[SHOW_ONCE] = {"label": label, "value": value}


def _render(
    request: HttpRequest, template: str, context: dict[str, object], *, status: int = 200
) -> HttpResponse:
    """The page, with a secret waiting to be shown taken out of the session; never cached."""
    shown_once = request.session.pop(SHOW_ONCE, None)
    response = render(
        request,
        template,
        {"nav": "settings", "shown_once": shown_once, **context},
        status=status,
    )
    add_never_cache_headers(response)
    return response


def _problem(request: HttpRequest, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


# -- API keys ---------------------------------------------------------------------------------


@owner_required
def api_keys(request: HttpRequest) -> HttpResponse:
    owner = acting_user(request)
    form = ApiKeyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            api_key, secret = api_key_create(actor=owner, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_errors(exc)
        except PermissionDenied as exc:  # the owner's email is not confirmed yet
            form.add_error(None, str(exc))
        else:
            _show_once(request, label=f"The key “{api_key.name}”", value=secret)
            return HttpResponseRedirect(reverse("api_keys"))
    keys = api_keys_list()
    return _render(
        request,
        "frontend/settings/api_keys.html",
        {"form": form, "keys": keys},
        status=400 if form.errors else 200,
    )


@owner_required
@require_POST
def revoke_api_key(request: HttpRequest, prefix: str) -> HttpResponse:
    owner = acting_user(request)
    api_key = api_key_get(prefix=prefix)
    api_key_revoke(api_key=api_key, actor=owner)
    messages.success(request, f"The key “{api_key.name}” is revoked; it no longer works.")
    return HttpResponseRedirect(reverse("api_keys"))


# -- webhooks ---------------------------------------------------------------------------------


@owner_required
def webhooks(request: HttpRequest) -> HttpResponse:
    owner = acting_user(request)
    form = WebhookEndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            endpoint = endpoint_create(actor=owner, **form.cleaned_data)
        except ValidationError as exc:
            form.apply_service_errors(exc)
        except PermissionDenied as exc:  # the owner's email is not confirmed yet
            form.add_error(None, str(exc))
        else:
            _show_once(
                request, label=f"The signing secret for {endpoint.url}", value=endpoint.secret
            )
            return HttpResponseRedirect(reverse("webhooks"))
    endpoints = webhook_endpoints_list()
    return _render(
        request,
        "frontend/settings/webhooks.html",
        {"form": form, "endpoints": endpoints},
        status=400 if form.errors else 200,
    )


@owner_required
def webhook_detail(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = webhook_endpoint_get(endpoint_id=endpoint_id)
    deliveries = webhook_deliveries_recent(endpoint=endpoint, limit=RECENT_DELIVERIES)
    return _render(
        request,
        "frontend/settings/webhook_detail.html",
        {"endpoint": endpoint, "deliveries": deliveries, "limit": RECENT_DELIVERIES},
    )


def _back(request: HttpRequest, endpoint: WebhookEndpoint) -> HttpResponseRedirect:
    """Back to the page the button was on: the endpoint's deliveries, or the list."""
    detail = reverse("webhook_detail", args=[endpoint.pk])
    return HttpResponseRedirect(
        detail if request.POST.get("back") == "detail" else reverse("webhooks")
    )


@owner_required
@require_POST
def webhook_switch(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    """Turn an endpoint on (which clears its failure count) or off."""
    endpoint = webhook_endpoint_get(endpoint_id=endpoint_id)
    turn_on = request.POST.get("is_active") == "on"
    endpoint_update(actor=acting_user(request), endpoint=endpoint, data={"is_active": turn_on})
    state = "on: deliveries resume" if turn_on else "off: nothing is sent to it"
    messages.success(request, f"{endpoint.url} is {state}.")
    return _back(request, endpoint)


@owner_required
@require_POST
def webhook_rotate_secret(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = endpoint_rotate_secret(
        actor=acting_user(request), endpoint=webhook_endpoint_get(endpoint_id=endpoint_id)
    )
    _show_once(request, label=f"The new signing secret for {endpoint.url}", value=endpoint.secret)
    return _back(request, endpoint)


@owner_required
@require_POST
def webhook_ping(request: HttpRequest, endpoint_id: int) -> HttpResponse:
    endpoint = webhook_endpoint_get(endpoint_id=endpoint_id)
    try:
        endpoint_ping(endpoint=endpoint)
    except ValidationError as exc:
        _problem(request, exc)
    else:
        messages.success(request, f"Test delivery queued for {endpoint.url}.")
    return _back(request, endpoint)


@owner_required
@require_POST
def webhook_redeliver(request: HttpRequest, endpoint_id: int, delivery_id: int) -> HttpResponse:
    endpoint = webhook_endpoint_get(endpoint_id=endpoint_id)
    delivery = webhook_delivery_get(endpoint=endpoint, delivery_id=delivery_id)
    try:
        delivery_redeliver(delivery=delivery)
    except ValidationError as exc:
        _problem(request, exc)
    else:
        messages.success(request, f"The {delivery.event} delivery is queued to be sent again.")
    return HttpResponseRedirect(reverse("webhook_detail", args=[endpoint.pk]))
