"""OpenAPI (drf-spectacular): API-key auth, and the error responses every operation can give,
in the one error format (api.errors)."""

from typing import Any

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension, OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter

from api.errors import ErrorSerializer

_ERRORS = {
    "400": "Invalid input: `error.fields` names each field and its problems.",
    "401": "No valid credentials: an API key of this practice, or a session.",
    "403": "Not allowed: a read-only key writing, or the role may not do this.",
    "404": "Not found, or outside what the caller may see (the two look the same).",
    "406": "The Accept header asks for something other than JSON.",
    "429": "Too many requests: wait `Retry-After` seconds.",
}
_URI_TOO_LONG = (
    "The request line (path and query string) is longer than the web server accepts: 4 KB with "
    "gunicorn's default. The body is the server's own page, not the JSON error format."
)
_BODY_ERRORS = {
    "413": "The body is larger than the 2.5 MB the API reads (Django's "
    "DATA_UPLOAD_MAX_MEMORY_SIZE); files go to /api/v1/imports/ as multipart uploads.",
    "415": "Send JSON (or multipart/form-data for uploads).",
}
_WRITE_ERRORS = {
    "402": "The practice is read-only: its trial ended or its subscription lapsed. `reason` says "
    "which; the owner's `billing_url` is where to pay (null for anyone else: ask the owner). "
    "Reading keeps working.",
}
_POST_ERRORS = {
    "409": "Another request with this Idempotency-Key is still being processed.",
    "422": "This Idempotency-Key was used for a different request.",
}


IDEMPOTENCY_KEY = OpenApiParameter(
    name="Idempotency-Key",
    type=str,
    location=OpenApiParameter.HEADER,
    required=False,
    description="Any unique string (e.g. a UUID). A retry with the same key replays the first "
    "successful response instead of acting twice (24 hours, per person).",
)


class AutoSchema(SpectacularAutoSchema):
    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        errors = dict(_ERRORS)
        if self.method in ("POST", "PUT", "PATCH"):
            errors |= _BODY_ERRORS
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            errors |= _WRITE_ERRORS
        if self.method == "POST":
            errors |= _POST_ERRORS
        for code, description in errors.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        # Refused by the HTTP server before the application sees it, so not in the error format.
        responses.setdefault("414", {"description": _URI_TOO_LONG})
        return responses


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Authorization: Api-Key <key>`. Keys are issued by the practice "
            "owner (POST /api/v1/api-keys/) and work only on their practice's host.",
        }


class ThresholdChangesScheme(OpenApiSerializerExtension):
    """A flat object of threshold names to values (see api.diagnostics.THRESHOLD_CHANGES)."""

    target_class = "api.diagnostics.ThresholdChangesSerializer"

    def map_serializer(self, auto_schema: Any, direction: Any) -> dict[str, Any]:
        from api.diagnostics import THRESHOLD_CHANGES

        return THRESHOLD_CHANGES


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "api.auth.SessionAuthentication"
    name = "Session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "The web app's session. Unsafe methods also need the CSRF token "
            f"(cookie `{settings.CSRF_COOKIE_NAME}`, header `X-CSRFToken`).",
        }


def only_api_endpoints(endpoints: list[Any], **kwargs: Any) -> list[Any]:
    """Describe /api/v1/ only, without the schema and docs pages themselves."""
    hidden = ("/api/v1/schema/", "/api/v1/docs/", "/api/v1/redoc/")
    return [e for e in endpoints if e[0].startswith("/api/v1/") and e[0] not in hidden]
