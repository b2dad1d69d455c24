from collections.abc import Callable

from allauth.mfa.utils import is_mfa_enabled
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

# Pages a signed-in member must still reach while they set up two-step sign-in.
_ALWAYS_OPEN = ("/accounts/", "/static/", "/notifications/unsubscribe/", "/notifications/calendar/")


class PracticeMfaMiddleware:
    """When the practice's owner requires two-step sign-in, a member without it is sent to set it
    up before anything else (pages only: API keys are not sessions)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        practice = getattr(request, "tenant", None)
        user = getattr(request, "user", None)
        if (
            getattr(practice, "mfa_required", False)
            and user is not None
            and user.is_authenticated
            and not request.path.startswith(("/api/", *_ALWAYS_OPEN))
            and not is_mfa_enabled(user)
        ):
            return HttpResponseRedirect(reverse("mfa_activate_totp") + "?required=1")
        return self.get_response(request)
