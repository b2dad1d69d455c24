"""Capture's Celery task: a thin wrapper; the schema travels with it (tenant-schemas-celery)."""

from celery import shared_task

from coaching.capture.mail import mail_process


@shared_task(name="capture.inbound_mail", acks_late=True)
def inbound_mail_task(mail_id: int) -> None:
    mail_process(mail_id=mail_id)
