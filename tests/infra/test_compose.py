"""infra/compose.yaml, checked as Compose would read it (no Docker engine here): it starts from
a clean clone with no .env, waits for healthy backing services, migrates before anything else
starts, and serves plain HTTP on localhost with the production settings."""

import json
import os
import re
import subprocess
import sys
from typing import Any

import pytest
import yaml

from tests.infra.helpers import INFRA, ROOT

COMPOSE = INFRA / "compose.yaml"
APP_SERVICES = ("migrate", "web", "worker", "beat")


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE.read_text())  # resolves the x-app anchor like Compose does
    assert isinstance(data, dict)
    return data


def _interpolated(value: str) -> str:
    """Compose's ${VAR:-default} with nothing set: the default."""
    return re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", value)


def test_services_and_roles(compose: dict[str, Any]) -> None:
    services = compose["services"]
    assert set(services) == {"db", "redis", *APP_SERVICES}
    for name in APP_SERVICES:
        assert services[name]["command"] == [name]
        assert services[name]["build"]["dockerfile"] == "infra/Dockerfile"
        assert services[name]["build"]["context"] == ".."


def test_a_missing_env_file_is_fine(compose: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        assert compose["services"][name]["env_file"] == [{"path": "../.env", "required": False}]


def test_backing_services_have_health_checks_and_migrate_waits_for_them(
    compose: dict[str, Any],
) -> None:
    services = compose["services"]
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert "ping" in services["redis"]["healthcheck"]["test"]
    assert services["migrate"]["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    assert services["migrate"]["restart"] == "no"


def test_nothing_starts_before_migrations_finish(compose: dict[str, Any]) -> None:
    for name in ("web", "worker", "beat"):
        depends = compose["services"][name]["depends_on"]
        assert depends["migrate"] == {"condition": "service_completed_successfully"}


def test_web_and_worker_report_their_health(compose: dict[str, Any]) -> None:
    web = compose["services"]["web"]["healthcheck"]
    assert "http://127.0.0.1:8000/readyz" in " ".join(web["test"])
    worker = compose["services"]["worker"]["healthcheck"]
    assert ":9100/metrics" in " ".join(worker["test"])


def test_plain_http_on_localhost_only(compose: dict[str, Any]) -> None:
    web = compose["services"]["web"]
    assert [_interpolated(port) for port in web["ports"]] == ["127.0.0.1:8000:8000"]
    environment = web["environment"]
    assert environment["PUBLIC_SCHEME"] == "http"
    assert environment["SECURE_SSL_REDIRECT"] == "false"
    assert "SECRET_KEY" not in environment  # made on first start, kept in a volume
    assert environment["SECRET_KEY_FILE"].startswith("/run/warmpath-secrets/")
    assert {"secrets:/run/warmpath-secrets", "appdata:/var/lib/warmpath"} <= set(web["volumes"])


def _production_settings(**environment: str) -> dict[str, Any]:
    code = (
        "import json, django; from django.conf import settings as s; django.setup(); "
        "print(json.dumps([s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.PUBLIC_SCHEME, "
        "s.SECURE_HSTS_SECONDS, s.CSRF_TRUSTED_ORIGINS, s.DEBUG]))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"PUBLIC_SCHEME", "PUBLIC_PORT"}},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "platform"), str(ROOT)]),
        "SECRET_KEY": "a-long-random-value-for-this-test-only-0123456789",
        "DATABASE_URL": "postgres://u:p@db.invalid/warmpath",
        "REDIS_URL": "redis://redis.invalid:6379/0",
        **environment,
    }
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    redirect, secure, scheme, hsts, origins, debug = json.loads(out.stdout.splitlines()[-1])
    return {
        "redirect": redirect,
        "secure_cookies": secure,
        "scheme": scheme,
        "hsts": hsts,
        "origins": origins,
        "debug": debug,
    }


def test_the_compose_environment_gives_plain_http_production_settings(
    compose: dict[str, Any],
) -> None:
    environment = compose["services"]["web"]["environment"]
    local = _production_settings(
        PUBLIC_SCHEME=environment["PUBLIC_SCHEME"],
        SECURE_SSL_REDIRECT=environment["SECURE_SSL_REDIRECT"],
        PUBLIC_PORT=_interpolated(environment["PUBLIC_PORT"]),
    )
    assert local == {
        "redirect": False,
        "secure_cookies": False,
        "scheme": "http",
        "hsts": 0,
        "origins": ["http://*.localhost:8000", "http://localhost:8000"],
        "debug": False,
    }
    deployed = _production_settings(BASE_DOMAIN="example.com", PUBLIC_PORT="")
    assert deployed == {
        "redirect": True,
        "secure_cookies": True,
        "scheme": "https",
        "hsts": 3600,
        "origins": ["https://*.example.com", "https://example.com"],
        "debug": False,
    }
