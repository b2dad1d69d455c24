"""The API's webhook endpoints (`/api/v1/webhooks/`, `/api/v1/webhook-deliveries/`): thin views
over `integrations.webhooks.services`."""
