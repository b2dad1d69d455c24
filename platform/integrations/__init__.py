"""Integrations: what connects a practice to other systems, shared by every face (the web pages,
the REST API, the jobs) without any of them importing another.

- `integrations.models`: API keys, remembered API answers (idempotency records), webhook
  endpoints and deliveries (the `api` app's tables);
- `integrations.keys`: issuing and revoking API keys;
- `integrations.webhooks`: endpoints, signed deliveries, retries, auto-disabling, the outbox the
  sweeper reads, and the subscription to the domain's events (`coaching.events`, wired in
  `integrations.apps`).
"""
