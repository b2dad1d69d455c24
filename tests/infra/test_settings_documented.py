"""Every variable the code or the image reads from the environment is documented for operators:
in docs/operations.md's settings and in .env.example."""

import re

from tests.infra.helpers import ROOT

SOURCES = ["platform", "tenants", "coaching", "api", "frontend"]
# Read by tools or the test harness, not settings an operator sets.
NOT_SETTINGS = {
    "PYTEST_XDIST_WORKER",
    "PYTHONPATH",
    "WARMPATH_GENERATE_SECRET_KEY",
    "OTEL_SDK_DISABLED",
}


def _read_variables() -> set[str]:
    names: set[str] = set()
    for folder in SOURCES:
        for path in (ROOT / folder).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text()
            names |= set(re.findall(r"env\.\w+\(\s*[\"']([A-Z][A-Z0-9_]+)[\"']", text))
            names |= set(re.findall(r"os\.environ(?:\.get)?[\(\[]\s*[\"']([A-Z][A-Z0-9_]+)", text))
    entrypoint = (ROOT / "infra" / "docker" / "entrypoint.sh").read_text()
    names |= set(re.findall(r"\$\{([A-Z][A-Z0-9_]+)", entrypoint))
    return names - NOT_SETTINGS


def test_every_environment_variable_is_documented() -> None:
    names = _read_variables()
    assert {"TENANT_MULTIPROCESSING_MAX_PROCESSES", "WORKER_CONCURRENCY", "SENTRY_DSN"} <= names
    operations = (ROOT / "docs" / "operations.md").read_text()
    example = (ROOT / ".env.example").read_text()
    undocumented = sorted(name for name in names if f"`{name}`" not in operations)
    assert undocumented == []
    missing = sorted(name for name in names if not re.search(rf"^#? ?{name}=", example, re.M))
    assert missing == []
