"""Celery autodiscovers `<app>.tasks`: the webhook delivery task lives with its feature."""

from integrations.webhooks.tasks import webhook_deliver_task

__all__ = ["webhook_deliver_task"]
