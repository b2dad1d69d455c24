"""OpenTelemetry tracing, off unless OTEL_EXPORTER_OTLP_ENDPOINT is set: requests (Django),
tasks (Celery, linked to the request that queued them) and SQL (psycopg), exported over OTLP/HTTP
to a collector. The exporter reads the standard OTEL_* variables (OTEL_EXPORTER_OTLP_HEADERS,
OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG, ...); OTEL_SERVICE_NAME defaults to
`warmpath-<role>`.

Started in each process after it forks, never before (the exporter's thread would not survive
the fork): gunicorn's `post_fork` (config/gunicorn.py), each Celery pool process and beat
(config/observability.py).
"""

import logging
import os

from config import env

logger = logging.getLogger(__name__)
_started = False


def init_tracing() -> bool:
    global _started
    if _started or not env.string("OTEL_EXPORTER_OTLP_ENDPOINT"):
        return _started
    if env.boolean("OTEL_SDK_DISABLED", default=False):
        return False
    from opentelemetry import trace
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.celery import CeleryInstrumentor
    from opentelemetry.instrumentation.django import DjangoInstrumentor
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    role = os.environ.get("WARMPATH_ROLE", "app")
    resource = Resource.create(
        {
            "service.name": env.string("OTEL_SERVICE_NAME", f"warmpath-{role}"),
            "service.version": os.environ.get("WARMPATH_VERSION", "dev"),
        }
    )
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    DjangoInstrumentor().instrument()
    CeleryInstrumentor().instrument()
    PsycopgInstrumentor().instrument()
    _started = True
    logger.info("tracing to %s as %s", env.string("OTEL_EXPORTER_OTLP_ENDPOINT"), role)
    return True
