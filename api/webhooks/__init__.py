"""Outbound webhooks: a practice's endpoints, signed deliveries, retries, and auto-disabling.

Other apps call `api.webhooks.services.webhook_emit(event=..., payload=...)`."""
