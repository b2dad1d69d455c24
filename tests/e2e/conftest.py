"""A real server and a real Chromium for the browser tests.

The server is `manage.py runserver` in a subprocess, on this test run's own database (the one
pytest-django created, with practices A and B seeded), so the browser and the test share
committed data and nothing else. Practices are reached as `http://<slug>.localhost:<port>/`:
Chromium resolves every `*.localhost` name to 127.0.0.1.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
PRACTICE_PASSWORD = "e2e-long-password-81"  # every browser test's people sign in with it
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@dataclass(frozen=True)
class LiveServer:
    port: int
    mail_dir: Path

    def url(self, slug: str | None = None, path: str = "/") -> str:
        host = f"{slug}.localhost" if slug else "localhost"
        return f"http://{host}:{self.port}{path}"

    def mails(self) -> list[str]:
        return [p.read_text() for p in sorted(self.mail_dir.glob("*.log"), key=os.path.getmtime)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the test server exited with {process.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the test server did not answer at {url}")


@pytest.fixture(scope="session")
def server(
    seeded: object,
    django_db_blocker: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    if not Path(CHROMIUM).exists():
        pytest.fail("The browser tests need Debian's Chromium: apt-get install chromium")
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        from tenants.provisioning import spares_replenish

        spares_replenish(target=4)  # signups in the browser claim these
        database = str(connection.settings_dict["NAME"])
    # Never point a server we drive at a developer's own database.
    assert database.startswith("test_"), f"not a test database: {database}"
    port = _free_port()
    mail_dir = tmp_path_factory.mktemp("mail")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.e2e.server_settings",
        "E2E_DATABASE_NAME": database,
        "E2E_MAIL_DIR": str(mail_dir),
        "PUBLIC_PORT": str(port),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "platform")]),
    }
    log = (tmp_path_factory.mktemp("server") / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(f"http://localhost:{port}/", process)
        yield LiveServer(port=port, mail_dir=mail_dir)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        # A fresh session of our own: the test process's connection may have been cut by a test
        # that terminates backends on purpose (tests/faults), and the database is dropped next.
        connection.close()
        with django_db_blocker.unblock(), connection.cursor() as cursor:  # type: ignore[attr-defined]
            # The server's connections can outlive it by a moment; the database is dropped next.
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                [database],
            )


@pytest.fixture(scope="session")
def browser(server: LiveServer) -> Iterator[object]:
    """Playwright's sync API keeps an event loop running in this thread, which makes Django
    refuse database calls from it; the tests' own few queries are synchronous, so allow them."""
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as p:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def shot() -> object:
    """`shot(page, "name")` writes test-artifacts/<name>.png (full page)."""
    ARTIFACTS.mkdir(exist_ok=True)

    def take(page: object, name: str) -> None:
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]

    return take


@dataclass(frozen=True)
class Seeded:
    slug: str
    owner_email: str
    client_email: str


@pytest.fixture(scope="module")
def csp_practice(server: LiveServer, django_db_blocker: pytest.FixtureRequest) -> Seeded:
    """A practice with its owner and one client with a search, committed for the server (the
    signup and invitation flows have their own browser tests)."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from coaching.services.clients import client_create
    from tenants.provisioning import practice_create

    slug = f"csp-{secrets.token_hex(3)}"
    seeded = Seeded(slug, f"owner@{slug}.example.com", f"cleo@{slug}.example.com")
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        created = practice_create(
            name="CSP Coaching",
            slug=slug,
            owner_name="Olga Owner",
            owner_email=seeded.owner_email,
            password=PRACTICE_PASSWORD,
        )
        with schema_context(created.practice.schema_name):
            owner = User.objects.get(email=seeded.owner_email)
            cleo = User.objects.create_user(
                seeded.client_email, PRACTICE_PASSWORD, name="Cleo Seeker", role=Role.CLIENT
            )
            client_create(actor=owner, user=cleo, coach=owner, search_started_on=date.today())
        connection.set_schema_to_public()
    return seeded
