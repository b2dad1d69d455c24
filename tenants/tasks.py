from celery import shared_task

from tenants.provisioning import spares_replenish


@shared_task(acks_late=True)
def replenish_spares() -> int:
    """Keep signup fast: migrate spare schemas in the background after one is claimed."""
    return spares_replenish()
