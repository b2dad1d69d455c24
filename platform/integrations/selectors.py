"""Reads for the integrations pages: API keys, webhook endpoints and their deliveries (practice
settings: the owner's; the pages and the API gate that)."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from integrations.models import ApiKey, WebhookDelivery, WebhookEndpoint


def api_keys_list() -> QuerySet[ApiKey]:
    """Live keys first, the newest first; with the member each acts as."""
    return ApiKey.objects.select_related("acts_as").order_by("revoked", "-created")


def api_key_get(*, prefix: str) -> ApiKey:
    return get_object_or_404(ApiKey, prefix=prefix)


def webhook_endpoints_list() -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.order_by("-created_at")


def webhook_endpoint_get(*, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(WebhookEndpoint, pk=endpoint_id)


def webhook_deliveries_recent(*, endpoint: WebhookEndpoint, limit: int) -> list[WebhookDelivery]:
    return list(endpoint.deliveries.order_by("-created_at", "-pk")[:limit])


def webhook_delivery_get(*, endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    return get_object_or_404(WebhookDelivery, pk=delivery_id, endpoint=endpoint)
