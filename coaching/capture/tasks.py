"""Capture's Celery task: a thin wrapper; the schema travels with it (tenant-schemas-celery)."""

from celery import shared_task

from coaching.capture.mail import mail_process


# The practice is looked up once a minute, not for every message (a burst of mail is many tasks).
@shared_task(name="capture.inbound_mail", acks_late=True, tenant_cache_seconds=60)
def inbound_mail_task(mail_id: int) -> None:
    mail_process(mail_id=mail_id)
