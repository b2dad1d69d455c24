from django.http import HttpRequest

from tenants.models import Practice


def current_practice(request: HttpRequest) -> Practice:
    """The practice whose host the request came to (set by tenants.middleware)."""
    practice: Practice = request.tenant  # type: ignore[attr-defined]
    return practice
