"""Celery autodiscovers `<app>.tasks`; the API's tasks live here or with their features."""

import logging

from celery import shared_task
from django.db import DatabaseError
from django_tenants.utils import get_public_schema_name, schema_context

from api.idempotency import expired_purge
from integrations.webhooks.tasks import webhook_deliver_task
from tenants.models import Practice

logger = logging.getLogger(__name__)

__all__ = ["idempotency_purge_task", "webhook_deliver_task"]


@shared_task(name="api.idempotency_purge", acks_late=True)
def idempotency_purge_task() -> int:
    """Hourly, from beat (in the public schema): delete expired `Idempotency-Key` records in
    every practice's schema. Returns how many went. A practice that fails is logged and skipped,
    so one broken schema never keeps the others' records forever; running twice is harmless."""
    with schema_context(get_public_schema_name()):
        schemas = list(Practice.objects.live().values_list("schema_name", flat=True))
    purged = 0
    for schema_name in schemas:
        try:
            with schema_context(schema_name):
                purged += expired_purge()
        except DatabaseError:
            logger.exception("could not purge idempotency records in %s", schema_name)
    logger.info("purged %s expired idempotency records in %s practices", purged, len(schemas))
    return purged
