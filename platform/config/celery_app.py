"""The Celery app, and the one way the app sends a job to it.

Each task runs in the schema of the practice that sent it (tenant-schemas-celery).

Every background job is first a row in the database (an import, a webhook delivery, an email, a
Stripe event): that row is the outbox. `enqueue_on_commit` sends the job's task once the row's
transaction commits; if the broker cannot take it (Redis down), the failure is logged and the
request carries on, because the row is still waiting and the sweeper
(`notifications.sweeper`, every minute from beat) sends it again once the broker is back.
"""

import functools
import logging
import os
import time
from typing import Any

from django.db import transaction
from tenant_schemas_celery.app import CeleryApp

from config import broker

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

broker.register()  # before any connection: see config/broker.py (kombu 5.7.0's Redis crash)

app = CeleryApp("warmpath")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

logger = logging.getLogger(__name__)


# After the broker refused a task, this process does not try again for this long: the rows wait
# for the sweeper anyway, and each try costs the request its connection attempts and retries.
BROKER_PAUSE_SECONDS = 5.0
_broker_down_until = 0.0


def enqueue(task: Any, *args: Any) -> bool:
    """Send `task(*args)` now. Returns False, having logged why, when the broker did not take
    it (or refused a task moments ago); the caller's row stays waiting for the sweeper, so this
    never raises."""
    global _broker_down_until
    name = getattr(task, "name", task)
    if time.monotonic() < _broker_down_until:
        logger.warning(
            "could not queue %s%r: the broker was unreachable moments ago; the sweeper will "
            "send it",
            name,
            args,
        )
        return False
    try:
        task.delay(*args)
    except Exception:
        _broker_down_until = time.monotonic() + BROKER_PAUSE_SECONDS
        logger.warning(
            "could not queue %s%r; the sweeper will send it again", name, args, exc_info=True
        )
        return False
    return True


def enqueue_on_commit(task: Any, *args: Any) -> None:
    """Send `task(*args)` once the current transaction commits (at once outside one); a rolled
    back transaction sends nothing."""
    transaction.on_commit(functools.partial(enqueue, task, *args))
