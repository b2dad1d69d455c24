"""`/healthz` (liveness) and `/readyz` (readiness), answered before tenant routing.

The middleware is the first in `MIDDLEWARE`: the probes work on any host name (a load balancer or
Kubernetes asks by IP address, which no practice owns and `ALLOWED_HOSTS` does not list), over
plain HTTP (no HTTPS redirect), without a session or a practice.

- `/healthz`: 200 while the process can answer at all. It checks nothing else, so an outage of
  PostgreSQL or Redis never gets healthy web processes restarted.
- `/readyz`: PostgreSQL (`SELECT 1`) and Redis (`PING`, the cache's server), each with a short
  timeout. 200 when both answer, otherwise 503 naming what is down, so a load balancer can tell
  and an operator can see. Pages keep answering in the meantime wherever they can (see
  docs/operations.md, "When Redis or PostgreSQL blips").
"""

import logging
from collections.abc import Callable

import redis
from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

logger = logging.getLogger(__name__)

LIVENESS = "/healthz"
READINESS = "/readyz"
TIMEOUT_SECONDS = 1.0


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        logger.warning("readiness: PostgreSQL is not answering", exc_info=True)
        return False
    return True


def redis_ok() -> bool:
    location = str(settings.CACHES["default"]["LOCATION"])
    client = redis.Redis.from_url(
        location, socket_connect_timeout=TIMEOUT_SECONDS, socket_timeout=TIMEOUT_SECONDS
    )
    try:
        return bool(client.ping())
    except Exception:
        logger.warning("readiness: Redis is not answering", exc_info=True)
        return False
    finally:
        client.close()


def readiness() -> tuple[bool, dict[str, str]]:
    checks = {
        "database": "ok" if database_ok() else "down",
        "redis": "ok" if redis_ok() else "down",
    }
    if getattr(settings, "READINESS_DEPLOYMENT_CHECKS", False):  # production (config/deploy.py)
        from config.deploy import deployment_checks

        return deployment_checks(checks)
    return all(state == "ok" for state in checks.values()), checks


class HealthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info == LIVENESS:
            response = JsonResponse({"status": "ok"})
        elif request.path_info == READINESS:
            ready, checks = readiness()
            response = JsonResponse(
                {"status": "ok" if ready else "unavailable", "checks": checks},
                status=200 if ready else 503,
            )
        else:
            return self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response
