"""The practice URLs plus the baseline of the API benchmark: a bare Django JSON view."""

from django.http import HttpRequest, JsonResponse
from django.urls import path

from api.serializers import ClientListSerializer
from coaching.insights.selectors import with_latest_search_status
from coaching.insights.summaries import with_versions
from coaching.models import Client
from config.urls_tenant import urlpatterns as practice_urlpatterns


def bare_clients(request: HttpRequest) -> JsonResponse:
    """The same 50 clients with the same columns as the API's page (each with its search status
    from the same subqueries), as plain dicts: no DRF, no auth, no throttle, no pagination."""
    rows = with_versions(with_latest_search_status(Client.objects.all())).order_by("-created_at")
    page = rows.values(*ClientListSerializer.VALUES)[:50]
    return JsonResponse({"results": list(page)})


urlpatterns = [path("bench/bare-clients/", bare_clients), *practice_urlpatterns]
