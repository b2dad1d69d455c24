"""The Celery app. Each task runs in the schema of the practice that sent it
(tenant-schemas-celery)."""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = CeleryApp("warmpath")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
