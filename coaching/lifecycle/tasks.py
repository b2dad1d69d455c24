"""Celery tasks: thin wrappers. Beat sends `lifecycle.sweep` from the public schema; it sends one
`lifecycle.practice_sweep` per practice from inside that practice's schema (tenant-schemas-celery
carries the schema), so each runs there and one slow practice never holds up the others."""

from celery import shared_task
from django_tenants.utils import get_public_schema_name, schema_context

from coaching.lifecycle.exports import export_run
from coaching.lifecycle.sweep import practice_sweep
from config.celery_app import enqueue
from tenants.models import Practice


@shared_task(name="lifecycle.export_run", acks_late=True)
def export_run_task(export_id: int) -> None:
    export_run(export_id=export_id)


@shared_task(name="lifecycle.practice_sweep", acks_late=True)
def practice_sweep_task() -> list[str]:
    """Returns the steps that failed (logged with their tracebacks)."""
    return practice_sweep().failed


@shared_task(name="lifecycle.sweep", acks_late=True)
def sweep_task() -> int:
    """From beat: queue each live practice's sweep in its own schema. Returns how many were
    queued (one the broker did not take is logged; the next tick queues it again)."""
    with schema_context(get_public_schema_name()):
        schemas = list(Practice.objects.live().values_list("schema_name", flat=True))
    queued = 0
    for schema_name in schemas:
        with schema_context(schema_name):
            queued += enqueue(practice_sweep_task)
    return queued
