"""A backing service that cannot be reached is a 503 with `Retry-After`, never a generic 500.

Most of the product keeps working with Redis down (the cached paths fall back to the database;
jobs wait in their database outbox) and nothing works without PostgreSQL. What still needs the
unreachable service raises one of `UNREACHABLE`, which is answered 503 wherever it is raised:

- in a page's view: `OutageMiddleware` (last in `MIDDLEWARE`, so it sees a view's exception
  first);
- in an API view: `api_exception_handler`, DRF's handler (it wraps the API's own, `api.errors`);
- anywhere else (another middleware, say): `server_error`, the URLconfs' `handler500`.

JSON in the API's error format for the API and for clients that ask for JSON, a short page
otherwise. Code that needs such a service asks for it before it changes anything (or inside the
transaction that would roll back), so a 503 means nothing was changed.

`TemporarilyUnavailable` is for code that finds out for itself that it cannot go on (the API
key cache cannot record a revocation). It is a DRF exception, so the API's own error handler
answers it as 503 with `Retry-After` too.
"""

import logging
import sys
from collections.abc import Callable
from typing import Any

import redis.exceptions
from django.db import InterfaceError
from django.db import OperationalError as DatabaseUnavailable
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.html import escape
from django.views import defaults
from kombu.exceptions import OperationalError as BrokerUnavailable
from rest_framework import exceptions, status
from rest_framework.response import Response

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30


class TemporarilyUnavailable(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "temporarily_unavailable"
    default_detail = "This cannot be done right now; nothing was changed. Try again shortly."
    wait = RETRY_AFTER_SECONDS  # DRF sends it as Retry-After


UNREACHABLE = (
    TemporarilyUnavailable,
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    BrokerUnavailable,
    DatabaseUnavailable,
    InterfaceError,
)


def _message(exc: Exception) -> str:
    if isinstance(exc, TemporarilyUnavailable):
        return str(exc.detail)
    return (
        "Warmpath cannot reach one of its services right now, so this was not done and nothing "
        "was changed. Try again in a minute."
    )


def _wants_json(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return request.path_info.startswith("/api/") or (
        "application/json" in accept and "text/html" not in accept
    )


def unavailable_response(request: HttpRequest, exc: Exception) -> HttpResponse:
    message = _message(exc)
    response: HttpResponse
    if _wants_json(request):
        body = {"error": {"code": "temporarily_unavailable", "message": message}}
        response = JsonResponse(body, status=503)
    else:
        page = (
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            "<title>Back in a moment · Warmpath</title></head><body>"
            f"<main><h1>Back in a moment</h1><p>{escape(message)}</p></main></body></html>"
        )
        response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class OutageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, UNREACHABLE):
            return None
        logger.warning(
            "%s %s answered 503: %s: %s", request.method, request.path, type(exc).__name__, exc
        )
        return unavailable_response(request, exc)


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """`api.errors.exception_handler`, with an unreachable service answered 503."""
    from api.errors import exception_handler

    if isinstance(exc, UNREACHABLE) and not isinstance(exc, TemporarilyUnavailable):
        logger.warning("API answered 503: %s: %s", type(exc).__name__, exc)
        exc = TemporarilyUnavailable(_message(exc))
    return exception_handler(exc, context)


def server_error(request: HttpRequest) -> HttpResponse:
    """`handler500`: an unreachable service raised outside a view is still a 503."""
    exc = sys.exc_info()[1]
    if isinstance(exc, UNREACHABLE):
        return unavailable_response(request, exc)
    return defaults.server_error(request)
