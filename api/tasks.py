"""Celery autodiscovers `<app>.tasks`; the API's tasks live with their features."""

from api.webhooks.tasks import webhook_deliver_task

__all__ = ["webhook_deliver_task"]
