"""Who may open a page: the one owner gate and the one coach gate, for every page of every app
(the web app's, billing's, notifications').

A page outside one's role answers 404, as a missing page does: it does not exist for them. The
gate runs after sign-in and before anything else, the HTTP method included, so a coach or a
client learns nothing from a GET to an owner's button. Pages that act on a client or a record of
a client go further through `frontend.pages` (which uses these gates).
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse

from accounts.models import COACHING_ROLES, Role, User

View = Callable[..., HttpResponse]


def acting_user(request: HttpRequest) -> User:
    """The signed-in member (the views asking are behind `login_required`)."""
    user: User = request.user  # type: ignore[assignment]
    return user


def role_required(*roles: str) -> Callable[[View], View]:
    """Signed in, with one of `roles`; anyone else gets a 404."""

    def decorate(view: View) -> View:
        @wraps(view)
        def gated(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if acting_user(request).role not in roles:
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(gated)

    return decorate


owner_required = role_required(Role.OWNER)
"""The practice's settings: people, keys, webhooks, billing, data, defaults."""

coaching_staff_required = role_required(*COACHING_ROLES)
"""The coach's pages: the dashboard, a client's page, the practice report."""

client_required = role_required(Role.CLIENT)
"""The client's portal."""
