from django.http import HttpRequest

from accounts.models import User
from tenants.models import Practice


def current_practice(request: HttpRequest) -> Practice:
    """The practice whose host the request came to (set by tenants.middleware)."""
    practice: Practice = request.tenant  # type: ignore[attr-defined]
    return practice


def acting_user(request: HttpRequest) -> User:
    """The signed-in member (views using this are behind `login_required`)."""
    user: User = request.user  # type: ignore[assignment]
    return user
