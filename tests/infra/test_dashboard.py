"""infra/grafana/warmpath.json: valid JSON Grafana imports, and every query names only metrics
the app exposes (config/metrics.py), so a renamed metric breaks a test, not a dashboard."""

import json
import re

from config import metrics
from tests.infra.helpers import INFRA

EXPOSED = {
    "warmpath_http_request_duration_seconds",
    "warmpath_celery_task_duration_seconds",
    "warmpath_celery_task_failures_total",
    "warmpath_celery_queue_length",
    "warmpath_celery_unacked_messages",
    "warmpath_imports_total",
    "warmpath_webhook_attempts_total",
    "warmpath_webhook_deliveries_total",
    "warmpath_worker_heartbeat_timestamp_seconds",
}


def test_every_metric_the_dashboard_uses_is_exposed() -> None:
    documented = set(re.findall(r"^\| (warmpath_\w+) \|", metrics.__doc__ or "", re.M))
    assert documented == EXPOSED
    dashboard = json.loads((INFRA / "grafana" / "warmpath.json").read_text())
    assert dashboard["uid"] == "warmpath-overview"
    used = set()
    for panel in dashboard["panels"]:
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            for name in re.findall(r"warmpath_\w+", target["expr"]):
                used.add(re.sub(r"_(bucket|count|sum)$", "", name))
    assert used == EXPOSED
