"""The viewer's time zone: every date-time a page shows, and every one a person types, is in it.

- A client sees and types times in their own search's zone (`Client.time_zone`: for a client it
  is their profile's zone).
- A coach or an owner sees times in the practice's zone (`Practice.time_zone`); users have no
  zone of their own yet. A page about one client whose zone differs says the client's time next
  to it (`{% moment %}` in `frontend.templatetags.warmpath`), and the coach's record forms are
  typed in the client's zone (`frontend.views.records.common.zoned`).
- Anyone else (signed out, a practice without a zone): UTC.

`ViewerZoneMiddleware` activates it for the request (after authentication).
"""

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django_tenants.utils import get_public_schema_name

from accounts.models import User
from coaching.dates import time_zone_problem
from coaching.selectors import own_search


def viewer_zone(*, user: User | None, practice_zone: str = "") -> str:
    """The zone a person sees times in (see the module)."""
    if user is not None and user.is_authenticated and not user.is_coaching_staff:
        try:
            return own_search(actor=user).time_zone
        except Http404:  # no search opened yet
            pass
    if practice_zone and time_zone_problem(practice_zone) is None:
        return practice_zone
    return "UTC"


class ViewerZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        practice = getattr(request, "tenant", None)
        on_public = getattr(practice, "schema_name", None) == get_public_schema_name()
        if user is None or not user.is_authenticated or on_public:
            # the public site's staff have no search and no practice: their times stay UTC
            return self.get_response(request)
        name = viewer_zone(user=user, practice_zone=getattr(practice, "time_zone", "") or "")
        with timezone.override(ZoneInfo(name)):
            return self.get_response(request)
