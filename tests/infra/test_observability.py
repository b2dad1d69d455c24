"""Logs, metrics, error tracking and tracing, each checked on its own (scripts/prodlike checks
them together on the running roles)."""

import json
import logging
import os
import subprocess
import sys
import time
import uuid
from types import SimpleNamespace
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from config import logging as log_context
from config import metrics
from config.logging import ContextFilter, JsonFormatter
from config.observability import (
    RequestObservabilityMiddleware,
    _on_save,
    _task_postrun,
    _task_prerun,
)
from tests.infra.helpers import ROOT


def _count(metric: Any, **labels: str) -> float:
    """A counter's current value for `labels`."""
    for family in metric.collect():
        for sample in family.samples:
            if sample.name.endswith("_total") and sample.labels == labels:
                return float(sample.value)
    return 0.0


def _histogram_count(metric: Any, **labels: str) -> float:
    samples = metric.labels(**labels)._sum
    del samples
    for family in metric.collect():
        for sample in family.samples:
            if sample.name.endswith("_count") and all(
                sample.labels.get(k) == v for k, v in labels.items()
            ):
                return float(sample.value)
    return 0.0


def _format(record: logging.LogRecord) -> dict[str, Any]:
    ContextFilter().filter(record)
    return json.loads(JsonFormatter().format(record))


def test_a_log_line_is_json_naming_its_request_practice_role_and_task() -> None:
    tokens = [
        log_context.request_id.set("req-123456"),
        log_context.practice.set("acme"),
        log_context.user_role.set("coach"),
        log_context.task_id.set("t-1"),
        log_context.task_name.set("coaching.import_run"),
    ]
    try:
        record = logging.LogRecord("x", logging.WARNING, __file__, 1, "hello %s", ("you",), None)
        line = _format(record)
    finally:
        for var, token in zip(
            (
                log_context.request_id,
                log_context.practice,
                log_context.user_role,
                log_context.task_id,
                log_context.task_name,
            ),
            tokens,
            strict=True,
        ):
            var.reset(token)
    assert line["message"] == "hello you"
    assert line["level"] == "WARNING"
    assert line["logger"] == "x"
    assert line["time"].endswith("+00:00")
    assert {k: line[k] for k in ("request_id", "practice", "role", "task_id", "task")} == {
        "request_id": "req-123456",
        "practice": "acme",
        "role": "coach",
        "task_id": "t-1",
        "task": "coaching.import_run",
    }


def test_each_request_gets_an_id_a_log_line_and_a_latency_sample(
    caplog: pytest.LogCaptureFixture,
) -> None:
    factory = RequestFactory()
    seen: dict[str, Any] = {}

    def view(request: Any) -> HttpResponse:
        seen["request_id"] = log_context.request_id.get()
        request.resolver_match = SimpleNamespace(route="clients/<int:pk>/", view_name="client")
        return HttpResponse("ok", status=201)

    middleware = RequestObservabilityMiddleware(view)
    before = _histogram_count(
        metrics.REQUEST_LATENCY, method="POST", route="clients/<int:pk>/", status="201"
    )
    with caplog.at_level(logging.INFO, logger="warmpath.request"):
        response = middleware(factory.post("/clients/7/", HTTP_X_REQUEST_ID="from-the-proxy-42"))
    assert response["X-Request-ID"] == "from-the-proxy-42" == seen["request_id"]
    assert log_context.request_id.get() is None  # reset after the request
    record = next(r for r in caplog.records if r.name == "warmpath.request")
    assert record.__dict__["status"] == 201
    assert record.__dict__["route"] == "clients/<int:pk>/"
    after = _histogram_count(
        metrics.REQUEST_LATENCY, method="POST", route="clients/<int:pk>/", status="201"
    )
    assert after == before + 1

    odd = middleware(factory.get("/x/", HTTP_X_REQUEST_ID="bad id\nwith newline"))
    assert odd["X-Request-ID"] != "bad id\nwith newline"
    assert len(odd["X-Request-ID"]) == 32


def test_probes_are_neither_logged_nor_measured(caplog: pytest.LogCaptureFixture) -> None:
    middleware = RequestObservabilityMiddleware(lambda request: HttpResponse("ok"))
    with caplog.at_level(logging.INFO, logger="warmpath.request"):
        response = middleware(RequestFactory().get("/readyz"))
    assert "X-Request-ID" not in response
    assert not [r for r in caplog.records if r.name == "warmpath.request"]


def test_tasks_are_timed_by_name_and_outcome() -> None:
    task = SimpleNamespace(name="tests.observed")
    before = _histogram_count(metrics.TASK_DURATION, task="tests.observed", outcome="retry")
    _task_prerun(task_id="abc", task=task)
    assert log_context.task_id.get() == "abc"
    assert log_context.task_name.get() == "tests.observed"
    _task_postrun(task_id="abc", task=task, state="RETRY")
    assert log_context.task_id.get() is None
    after = _histogram_count(metrics.TASK_DURATION, task="tests.observed", outcome="retry")
    assert after == before + 1


def test_imports_and_webhooks_are_counted_by_outcome_as_their_rows_record_it() -> None:
    job_sender = SimpleNamespace(_meta=SimpleNamespace(label="coaching.ImportJob"))
    job = SimpleNamespace(kind="contacts_csv", status="failed")
    before = _count(metrics.IMPORTS, kind="contacts_csv", outcome="failed")
    _on_save(job_sender, job, False, ["status", "updated_at"])  # not finished yet
    _on_save(job_sender, job, False, ["status", "finished_at", "errors", "updated_at"])
    assert _count(metrics.IMPORTS, kind="contacts_csv", outcome="failed") == before + 1

    sender = SimpleNamespace(_meta=SimpleNamespace(label="api.WebhookDelivery"))
    failed_attempts = _count(metrics.WEBHOOK_ATTEMPTS, outcome="failed")
    gave_up = _count(metrics.WEBHOOK_DELIVERIES, outcome="failed")
    delivery = SimpleNamespace(status="pending", last_attempt_at="now")
    _on_save(sender, delivery, True, None)  # recorded: no attempt yet
    _on_save(sender, delivery, False, None)  # an attempt failed, a retry will follow
    delivery.status = "failed"
    _on_save(sender, delivery, False, ["status", "next_attempt_at", "updated_at"])  # gave up
    assert _count(metrics.WEBHOOK_ATTEMPTS, outcome="failed") == failed_attempts + 1
    assert _count(metrics.WEBHOOK_DELIVERIES, outcome="failed") == gave_up + 1


def test_queue_lengths_and_the_worker_heartbeat_come_from_redis(
    settings: Any,
) -> None:
    queue = f"observed-{uuid.uuid4().hex[:8]}"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    client = metrics._broker_redis()
    client.rpush(queue, b"one", b"two")
    client.rpush(f"{queue}\x06\x163", b"three")
    try:
        families = {f.name: f for f in metrics.BrokerCollector().collect()}
        lengths = {
            s.labels["queue"]: s.value for s in families["warmpath_celery_queue_length"].samples
        }
        assert lengths[queue] == 3
    finally:
        client.delete(queue, f"{queue}\x06\x163")
    client.delete(metrics.HEARTBEAT_KEY)
    assert metrics.worker_seen() == "not seen"
    client.set(metrics.HEARTBEAT_KEY, "1")  # long ago
    assert metrics.worker_seen() == "not seen"
    client.set(metrics.HEARTBEAT_KEY, str(time.time()))
    assert metrics.worker_seen() == "ok"
    client.delete(metrics.HEARTBEAT_KEY)


def _python(code: str, **environment: str) -> str:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        **environment,
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.strip().splitlines()[-1]


def test_sentry_only_with_a_dsn_and_never_with_personal_data() -> None:
    code = (
        "import json, sentry_sdk; from config.errors import init_sentry; on = init_sentry(); "
        "opts = sentry_sdk.get_client().options if on else {}; "
        "print(json.dumps([on, opts.get('send_default_pii'), opts.get('environment')]))"
    )
    assert json.loads(_python(code, SENTRY_DSN="")) == [False, None, None]
    assert json.loads(
        _python(code, SENTRY_DSN="https://key@sentry.invalid/1", SENTRY_ENVIRONMENT="staging")
    ) == [True, False, "staging"]


def test_tracing_only_with_an_endpoint() -> None:
    code = (
        "import django; django.setup(); from opentelemetry import trace; "
        "from config.tracing import init_tracing; on = init_tracing(); "
        "print(on, type(trace.get_tracer_provider()).__module__)"
    )
    assert _python(code).startswith("False")
    on = _python(code, OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:9", WARMPATH_ROLE="web")
    assert on == "True opentelemetry.sdk.trace"
