"""One error format for every response that is not a success:

    {"error": {"code": "validation_error", "message": "…", "fields": {"email": ["…"]}}}

`code` is stable and machine-readable; `message` is for people; `fields` (only for bad input)
names each field with its problems. Services raise Django's `ValidationError({field: [msg]})`,
`PermissionDenied` or `coaching.access.NotFound` (an `Http404`), all mapped here.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)

_CODES = {
    "invalid": "validation_error",
    "parse_error": "malformed_request",
    "error": "error",
}
_DEFAULT_CODES = {
    400: "bad_request",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "throttled",
}


def error_body(*, code: str, message: str, fields: dict[str, list[str]] | None = None) -> dict:
    error: dict[str, Any] = {"code": code, "message": message}
    if fields is not None:
        error["fields"] = fields
    return {"error": error}


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as `{"field": [...], "items.0.role": [...]}`."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            out.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return out
    if isinstance(detail, list) and any(isinstance(v, dict | list) for v in detail):
        out = {}
        for i, value in enumerate(detail):
            if value:
                out.update(_flatten(value, f"{prefix}.{i}" if prefix else str(i)))
        return out
    messages = detail if isinstance(detail, list) else [detail]
    return {prefix or "non_field_errors": [str(m) for m in messages]}


def _validation_message(fields: dict[str, list[str]]) -> str:
    general = fields.get("non_field_errors")
    if general and len(fields) == 1:
        return general[0]
    names = [f for f in fields if f != "non_field_errors"]
    return "Some fields are not valid: " + ", ".join(names) + "."


def _from_django_validation(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        return exceptions.ValidationError(exc.message_dict)
    return exceptions.ValidationError({"non_field_errors": exc.messages})


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, DjangoValidationError):
        exc = _from_django_validation(exc)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) or "Not found.")
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is None:
        request = context.get("request")
        logger.exception("Unhandled error in the API", exc_info=exc)
        # Let Django's error reporting (and the test client) see it, then answer in our format.
        got_request_exception.send(sender=None, request=getattr(request, "_request", request))
        return Response(
            error_body(code="server_error", message="Something went wrong on our side."),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    assert isinstance(exc, exceptions.APIException)
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        response.data = error_body(
            code="validation_error", message=_validation_message(fields), fields=fields
        )
        return response
    detail = exc.detail
    code = getattr(detail, "code", None) or exc.default_code
    code = _CODES.get(str(code), str(code))
    if code == "error":
        code = _DEFAULT_CODES.get(response.status_code, "error")
    message = str(detail) if not isinstance(detail, dict | list) else str(exc.default_detail)
    response.data = error_body(code=code, message=message)
    return response


@csrf_exempt  # nothing here to protect; a CSRF page instead of the 404 would be confusing
def not_found_view(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Unknown paths under /api/v1/ answer in the API's format, not as an HTML page."""
    return JsonResponse(
        error_body(code="not_found", message="No such endpoint. See /api/v1/docs/."), status=404
    )


class ErrorDetailSerializer(serializers.Serializer):
    """For the schema only. `fields` is built in get_fields: it would shadow Serializer.fields."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return {
            "code": serializers.CharField(
                help_text="Stable, machine-readable: validation_error, not_authenticated, "
                "invalid_api_key, permission_denied, read_only_key, not_found, throttled, "
                "idempotency_key_reused, …"
            ),
            "message": serializers.CharField(help_text="What went wrong, for a person."),
            "fields": serializers.DictField(
                child=serializers.ListField(child=serializers.CharField()),
                required=False,
                help_text="Only for invalid input: each field with its problems.",
            ),
        }


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
