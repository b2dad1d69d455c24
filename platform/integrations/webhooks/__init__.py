"""Outbound webhooks: a practice's endpoints, signed deliveries, retries, and auto-disabling.

The domain announces events through `coaching.events.announce`; `integrations.apps` subscribes
`services.deliver_domain_event`, which records a delivery per subscribed endpoint in the same
transaction (`services.webhook_emit`)."""
