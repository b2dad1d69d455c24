"""The practice URLs plus the baseline of the API benchmark: a bare Django JSON view."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from coaching.models import Client
from config.urls_tenant import urlpatterns as practice_urlpatterns

FIELDS = (
    "id", "user_id", "user__name", "user__email", "coach_id", "coach__name", "headline",
    "target_roles", "search_started_on", "status", "landed_on", "weekly_outreach_goal",
    "time_zone", "created_at", "updated_at",
)  # fmt: skip


def bare_clients(request: HttpRequest) -> JsonResponse:
    """The same 50 clients with their status, as plain dicts: no DRF, no auth, no throttle."""
    rows = Client.objects.order_by("-created_at").values(*FIELDS)[:50]
    return JsonResponse({"results": list(rows)})


urlpatterns = [path("bench/bare-clients/", bare_clients), *practice_urlpatterns]
