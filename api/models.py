"""The `api` app's models: its tables (API keys, idempotency records, webhook endpoints and
deliveries) and migrations are the API's; the classes live in `integrations.models`, which pages,
the API and jobs share (see docs/architecture.md)."""

from integrations.models import (
    ApiKey,
    DeliveryStatus,
    IdempotencyRecord,
    KeyScope,
    WebhookDelivery,
    WebhookEndpoint,
)

__all__ = [
    "ApiKey",
    "DeliveryStatus",
    "IdempotencyRecord",
    "KeyScope",
    "WebhookDelivery",
    "WebhookEndpoint",
]
