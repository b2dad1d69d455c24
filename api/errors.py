"""One error format for every response that is not a success:

    {"error": {"code": "validation_error", "message": "…", "fields": {"email": ["…"]}}}

`code` is stable and machine-readable; `message` is for people; `fields` (only for bad input)
names each field with its problems. Services raise Django's `ValidationError({field: [msg]})`,
`PermissionDenied` or `coaching.access.NotFound` (an `Http404`), all mapped here.

Bad input never answers 500: a body over Django's `DATA_UPLOAD_MAX_MEMORY_SIZE` is a 413, a
request Django calls suspicious (too many fields) a 400, and a write the database refuses
because another request got there first (a unique email saved twice at the same moment) a 400
naming the field, exactly as if the requests had come one after the other. Every message is
made encodable before it is sent, so echoing a client's bad text can never break the response.
"""

import logging
import re
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.signals import got_request_exception
from django.db import DataError, IntegrityError
from django.db.models import UniqueConstraint
from django.http import Http404, HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.error_body import error_body

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
    413: "request_too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "throttled",
}


class PracticeReadOnly(exceptions.APIException):
    """402: the practice's trial ended or its subscription lapsed (billing.entitlements)."""

    status_code = status.HTTP_402_PAYMENT_REQUIRED
    default_code = "practice_read_only"

    def __init__(self, message: str, *, reason: str, billing_url: str | None) -> None:
        super().__init__(message)
        self.extra = {"reason": reason, "billing_url": billing_url}


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "request_too_large"


def _too_large() -> RequestTooLarge:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return RequestTooLarge(
        f"The request body is larger than the {limit / 1024 / 1024:.1f} MB "
        f"({limit:,} bytes) the API accepts; send less in one request (files go to "
        "/api/v1/imports/ as multipart uploads)."
    )


_KEY_DETAIL = re.compile(r"Key \((?P<columns>[^)]*)\)=")


def _conflicting_fields(exc: IntegrityError) -> tuple[str, list[str]]:
    """What a unique constraint was violated on: the kind of record and its fields, without
    the client that scopes them."""
    diag = getattr(exc.__cause__, "diag", None)
    name = getattr(diag, "constraint_name", None)
    for model in apps.get_models():
        for constraint in model._meta.constraints:
            if isinstance(constraint, UniqueConstraint) and constraint.name == name:
                fields = [f for f in constraint.fields if f != "client"]
                return str(model._meta.verbose_name), fields
    match = _KEY_DETAIL.search(getattr(diag, "message_detail", None) or "")
    columns = [c.strip() for c in match["columns"].split(",")] if match else []
    return "record", [c.removesuffix("_id") for c in columns if c != "client_id"]


def _from_integrity(exc: IntegrityError) -> exceptions.APIException:
    """A write the database refused. A unique value taken by a request that committed first
    reads as the duplicate it is; anything else changed under this request: 409."""
    sqlstate = getattr(exc.__cause__, "sqlstate", None)
    if sqlstate == "23505":  # unique_violation
        kind, fields = _conflicting_fields(exc)
        return exceptions.ValidationError(
            {
                field: [
                    f"Another {kind} already has this {field.replace('_', ' ')} (it was saved "
                    "at the same moment as this request)."
                ]
                for field in fields
            }
            or {"non_field_errors": [f"Another {kind} already has these values."]}
        )
    logger.warning("Integrity error answered 409: %s", exc)
    return _Conflict()


class _Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = (
        "The records changed while this request was processed (another request changed or "
        "removed one it refers to). Read them again and retry."
    )


def _from_data_error(exc: DataError) -> exceptions.ValidationError:
    """A value the database cannot store (out of range, too long): input no rule caught."""
    logger.warning("Data error answered 400 (a validation gap): %s", exc)
    column = getattr(getattr(exc.__cause__, "diag", None), "column_name", None)
    message = "A value is out of range or too long to be stored; check the values sent."
    return exceptions.ValidationError({column or "non_field_errors": [message]})


def _flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as `{"field": [...], "items.0.role": [...]}`."""
    if isinstance(detail, dict):
        out: dict[str, list[str]] = {}
        for key, value in detail.items():
            # A nested serializer's own error (not a list, say) is about the field holding it.
            inner = prefix if prefix and key == "non_field_errors" else None
            out.update(_flatten(value, inner or (f"{prefix}.{key}" if prefix else str(key))))
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
    if isinstance(exc, RequestDataTooBig):
        exc = _too_large()
    elif isinstance(exc, SuspiciousOperation):
        exc = exceptions.ParseError(str(exc) or "The request could not be read.")
    elif isinstance(exc, IntegrityError):
        exc = _from_integrity(exc)
    elif isinstance(exc, DataError):
        exc = _from_data_error(exc)
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
    response.data = error_body(code=code, message=message, **getattr(exc, "extra", {}))
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
                help_text="Stable, machine-readable: validation_error, malformed_request, "
                "not_authenticated, invalid_api_key, practice_read_only, permission_denied, "
                "read_only_key, not_found, conflict, request_too_large, throttled, "
                "idempotency_key_reused, …"
            ),
            "message": serializers.CharField(help_text="What went wrong, for a person."),
            "fields": serializers.DictField(
                child=serializers.ListField(child=serializers.CharField()),
                required=False,
                help_text="Only for invalid input: each field with its problems.",
            ),
            "reason": serializers.CharField(
                required=False,
                help_text="Only with 402 practice_read_only: trial_ended, payment_failed or "
                "canceled.",
            ),
            "billing_url": serializers.CharField(
                required=False,
                allow_null=True,
                help_text="Only with 402 practice_read_only: where the owner pays (null for "
                "anyone else, who should ask the owner).",
            ),
        }


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()
