"""Dropping a practice whose deletion the owner asked for, once its grace period is over.

Called by the lifecycle sweep from inside the practice's schema. In order:

1. the practice's deletion request must be scheduled and due (checked again here, under a row
   lock: nothing else ever drops a schema);
2. its Stripe subscription is cancelled at once; if Stripe cannot be reached the practice is left
   as it is and the next sweep tries again, so nobody is billed for a deleted practice;
3. in one transaction on the public schema: its domains are removed (the address stops answering
   at once in this process, within PRACTICE_LOOKUP_CACHE_SECONDS in the others), then its row,
   which drops its schema with every table in it (`auto_drop_schema`) and, with the row, its
   billing account;
4. its export files are removed from private storage.

The audit log lives in the schema and goes with it; the log line here is what remains.
"""

import logging
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django_tenants.utils import get_public_schema_name, schema_context

from billing.cancellation import subscription_cancel_now
from coaching.lifecycle.models import DeletionKind, DeletionRequest, DeletionStatus
from coaching.lifecycle.storage import practice_files_remove
from tenants.models import Domain, Practice

logger = logging.getLogger(__name__)


def _due(*, schema_name: str, now: datetime) -> bool:
    with schema_context(schema_name):
        return DeletionRequest.objects.filter(
            kind=DeletionKind.PRACTICE, status=DeletionStatus.SCHEDULED, due_at__lte=now
        ).exists()


def practice_drop(*, schema_name: str, now: datetime | None = None) -> bool:
    """Drop the practice living in `schema_name` if its deletion is due. Returns whether it was
    dropped."""
    now = now or timezone.now()
    if schema_name == get_public_schema_name():
        raise ValueError("The public schema is not a practice.")
    practice = Practice.objects.live().filter(schema_name=schema_name).first()
    if practice is None or not _due(schema_name=schema_name, now=now):
        return False
    practice_id = practice.pk
    subscription_cancel_now(practice=practice)  # raises if Stripe fails: try again later
    with schema_context(get_public_schema_name()), transaction.atomic():
        practice = Practice.objects.select_for_update().get(pk=practice_id)
        with schema_context(schema_name):  # the request, locked: a second sweep waits, then
            request = (  # finds nothing to do
                DeletionRequest.objects.select_for_update()
                .filter(
                    kind=DeletionKind.PRACTICE, status=DeletionStatus.SCHEDULED, due_at__lte=now
                )
                .first()
            )
        if request is None:
            return False
        with connection.cursor() as cursor:  # checks deferred until commit would block the
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # DROP: run them now
        Domain.objects.filter(tenant=practice).delete()
        practice.delete()  # DROP SCHEMA … CASCADE: every table of the practice
    connection.set_schema_to_public()  # type: ignore[attr-defined]
    practice_files_remove(schema_name=schema_name)
    logger.warning(
        "practice %s (%s) deleted as its owner asked on %s",
        practice_id,
        schema_name,
        request.requested_at.isoformat(),
    )
    return True
