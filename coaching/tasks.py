"""Celery tasks: thin wrappers over services. The schema of the practice that queued a task
travels with it (tenant-schemas-celery), so the service runs inside that practice."""

from celery import shared_task

from coaching.services.imports import import_run


@shared_task(name="coaching.import_run", acks_late=True)
def import_run_task(job_id: int) -> None:
    import_run(job_id=job_id)
