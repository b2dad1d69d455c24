"""Error tracking with Sentry, on only when SENTRY_DSN is set (production settings call
`init_sentry`). Personal data stays out: `send_default_pii` is off (no cookies, no user's email
or IP address, no request bodies), and each event carries the practice's slug and the person's
role as tags (config.observability), the release (WARMPATH_VERSION) and the process role.

| variable | default | |
|---|---|---|
| SENTRY_DSN | unset | the project's DSN; unset means no reporting |
| SENTRY_ENVIRONMENT | production | e.g. staging |
| SENTRY_TRACES_SAMPLE_RATE | 0 | share of requests and tasks traced (0 to 1) |
"""

import os

from config import env


def init_sentry() -> bool:
    dsn = env.string("SENTRY_DSN")
    if not dsn:
        return False
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration
    from sentry_sdk.integrations.logging import LoggingIntegration

    rate = float(env.string("SENTRY_TRACES_SAMPLE_RATE", "0") or 0)
    sentry_sdk.init(
        dsn=dsn,
        environment=env.string("SENTRY_ENVIRONMENT", "production"),
        release=os.environ.get("WARMPATH_VERSION") or None,
        send_default_pii=False,
        max_request_body_size="never",
        traces_sample_rate=rate,
        integrations=[
            DjangoIntegration(),
            CeleryIntegration(monitor_beat_tasks=False),
            LoggingIntegration(),
        ],
    )
    sentry_sdk.set_tag("process_role", os.environ.get("WARMPATH_ROLE", "unknown"))
    return True
