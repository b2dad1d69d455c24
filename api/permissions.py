"""Permissions every endpoint applies; scope (which records) is the base viewset's job."""

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

from integrations.models import ApiKey


class IsPracticeMember(BasePermission):
    """Signed in as an active person of this practice (by session or key)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and user.is_active)


class KeyScope(BasePermission):
    """A read-only key may only read."""

    message = "This API key is read-only; the practice owner can issue a read-write key."
    code = "read_only_key"

    def has_permission(self, request: Request, view: Any) -> bool:
        if isinstance(request.auth, ApiKey) and request.method not in SAFE_METHODS:
            return request.auth.can_write
        return True
