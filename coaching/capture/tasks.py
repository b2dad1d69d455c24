"""Capture's Celery task: a thin wrapper; the schema travels with it (tenant-schemas-celery)."""

from typing import Any

from celery import shared_task

from coaching.capture.mail import mail_process

# tenant-schemas-celery looks the practice up once a minute, not for every message (a burst of
# mail is many tasks); an option of its task class, which celery's type hints do not know.
TENANT_CACHE: dict[str, Any] = {"tenant_cache_seconds": 60}


@shared_task(name="capture.inbound_mail", acks_late=True, **TENANT_CACHE)
def inbound_mail_task(mail_id: int) -> None:
    mail_process(mail_id=mail_id)
