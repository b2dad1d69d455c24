"""A live gunicorn serving the project on 127.0.0.1, for schemathesis and the API benchmark."""

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

from tests.bench.harness import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def gunicorn(
    *, settings_module: str, env: dict[str, str], args: list[str], ready_path: str
) -> Iterator[str]:
    """Serve `config.wsgi` with `settings_module`; yields the base URL once `ready_path`
    answers, and stops the server afterwards."""
    port = free_port()
    environment = {
        **os.environ,
        "PYTHONPATH": f"{ROOT / 'platform'}:{ROOT}",
        "DJANGO_SETTINGS_MODULE": settings_module,
        "EXTRA_ALLOWED_HOSTS": "127.0.0.1",
        **env,
    }
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning", *args],
        cwd=ROOT, env=environment,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(base + ready_path, timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("The server did not start.") from None
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def practice_on_localhost(*, slug: str) -> tuple[object, object]:
    """A new practice that also answers on 127.0.0.1; returns (practice, owner)."""
    from tenants.models import Domain
    from tenants.provisioning import practice_create

    created = practice_create(
        name=f"{slug.title()} Practice",
        slug=slug,
        owner_name="Fay Owner",
        owner_email=f"owner@{slug}.example.com",
        password="a-long-live-password-42",
    )
    Domain.objects.create(domain="127.0.0.1", tenant=created.practice, is_primary=False)
    return created.practice, created.owner
