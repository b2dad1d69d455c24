"""PostgreSQL stopped and started under a live gunicorn (a PostgreSQL of this test's own, so the
shared test database of other workers is never touched).

1. Under a read/write load through the API and the dashboard, PostgreSQL goes away for a couple
   of seconds and comes back: every write that was acknowledged (2xx) is there afterwards, and
   what could not be done meanwhile was answered 503 (with Retry-After), never 500.
2. With the web processes idle, holding their kept connections (CONN_MAX_AGE), PostgreSQL
   restarts: the first request on each of those connections succeeds (CONN_HEALTH_CHECKS), it
   does not answer 500.

The dedicated server gets a copy (pg_dump) of the test database's public schema and practice A,
with a client, an API key and a signed-in coach made for this test.
"""

import json
import secrets
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.db import connection
from django.test import Client as BrowserClient

from accounts.models import Role, User
from api.models import ApiKey, KeyScope
from coaching.services import client_create
from tenants.models import Practice
from tests.conftest import SeededPractice
from tests.faults.live import LiveServer, environment, gunicorn, wait_for

PG_BIN = Path(__import__("pgserver").__file__).parent / "pginstall" / "bin"


def test_this_module_runs_on_a_test_database(db: None) -> None:
    """Also what makes pytest-django create the test database when this file runs alone."""
    assert str(connection.settings_dict["NAME"]).startswith("test_")


@dataclass
class World:
    host: str
    schema_name: str
    client_id: int
    secret: str
    session: str


@pytest.fixture(scope="module")
def world(
    seeded: dict[str, SeededPractice], django_db_blocker: pytest.FixtureRequest
) -> Iterator[World]:
    """Made in the test database (and copied from there); removed from it afterwards."""
    a = seeded["a"]
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert str(connection.settings_dict["NAME"]).startswith("test_")
        practice = Practice.objects.get(pk=a.practice_id)
        connection.set_tenant(practice)
        coach = User.objects.get(email="coach@alpha.example.com")
        user = User.objects.create_user("restart@alpha.example.com", None, role=Role.CLIENT)
        client = client_create(actor=coach, user=user, coach=coach, search_started_on=date.today())
        key, secret = ApiKey.objects.create_key(
            name="restart", scope=KeyScope.READ_WRITE, acts_as=coach, created_by=coach
        )
        browser = BrowserClient(HTTP_HOST=a.host)
        browser.force_login(coach)
        try:
            yield World(
                a.host, a.schema_name, client.pk, secret, browser.cookies["warmpath_session"].value
            )
        finally:
            connection.set_tenant(practice)
            key.delete()
            client.delete()
            user.delete()
            connection.set_schema_to_public()


class DedicatedPostgres:
    """A pgserver-managed PostgreSQL in a temporary folder, with a `warmpath` database copied
    from the test database; stopped and started at will, deleted at the end."""

    def __init__(self) -> None:
        import pgserver

        self.folder = Path(tempfile.mkdtemp(prefix="wpg", dir="/tmp"))
        self.server = pgserver.get_server(self.folder / "data", cleanup_mode="delete")
        self.socket_dir = str(self.server.get_postmaster_info().socket_dir)
        self.user = self.server.system_user

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{quote(self.socket_dir, safe='')}/warmpath"

    def connect(self) -> psycopg.Connection:
        return psycopg.connect(host=self.socket_dir, user="postgres", dbname="warmpath")

    def copy_from(self, *, database: str, host: str, schemas: list[str]) -> None:
        with psycopg.connect(
            host=self.socket_dir, user="postgres", dbname="postgres", autocommit=True
        ) as admin:
            admin.execute("CREATE DATABASE warmpath")
        with self.connect() as fresh:
            fresh.execute("DROP SCHEMA public")  # the dump brings its own
        dump = subprocess.run(
            [str(PG_BIN / "pg_dump"), "-h", host, "-U", "postgres", "--no-owner",
             *[f"--schema={s}" for s in schemas], database],
            check=True, capture_output=True,
        )  # fmt: skip
        # A dump of some schemas leaves the database's extensions out: pg_trgm goes into the
        # public schema the dump creates, before the practice's trigram index needs it.
        made_public = b"CREATE SCHEMA public;\n"
        assert made_public in dump.stdout
        script = dump.stdout.replace(
            made_public, made_public + b"CREATE EXTENSION pg_trgm WITH SCHEMA public;\n", 1
        )
        restore = subprocess.run(
            [str(PG_BIN / "psql"), "-h", self.socket_dir, "-U", "postgres", "-q",
             "-v", "ON_ERROR_STOP=1", "-d", "warmpath"],
            input=script, capture_output=True,
        )  # fmt: skip
        assert restore.returncode == 0, restore.stderr.decode()[-2000:]

    def stop(self) -> None:
        from pgserver import pg_ctl  # type: ignore[attr-defined]

        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=self.folder / "data", user=self.user)

    def start(self) -> None:
        from pgserver import pg_ctl  # type: ignore[attr-defined]

        pg_ctl(
            ["-w", "-o", '-h ""', "-o", f"-k {self.socket_dir}",
             "-l", str(self.folder / "data" / "log"), "start"],
            pgdata=self.folder / "data", user=self.user,
        )  # fmt: skip

    def close(self) -> None:
        self.server.cleanup()
        shutil.rmtree(self.folder, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres(world: World) -> Iterator[DedicatedPostgres]:
    server = DedicatedPostgres()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            database = cursor.fetchone()[0]
        host = str(connection.settings_dict["HOST"])
        server.copy_from(database=database, host=host, schemas=["public", world.schema_name])
        yield server
    finally:
        server.close()


@pytest.fixture(scope="module")
def web(
    postgres: DedicatedPostgres, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    env = environment(DATABASE_URL=postgres.url, API_RATE_PER_USER="100000/minute")
    with gunicorn(env=env, folder=tmp_path_factory.mktemp("web"), workers=2) as server:
        yield server


@dataclass
class Load:
    web: LiveServer
    world: World
    stop: threading.Event = field(default_factory=threading.Event)
    acknowledged: list[str] = field(default_factory=list)
    answers: list[int] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def _api(self, method: str, path: str, data: bytes | None = None) -> int:
        headers = {"Authorization": f"Api-Key {self.world.secret}"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        try:
            return self.web.request(
                method, path, host=self.world.host, headers=headers, data=data, timeout=10
            ).status
        except OSError:
            return 0

    def writer(self, n: int) -> None:
        count = 0
        while not self.stop.is_set():
            name = f"Restart {n}-{count}-{secrets.token_hex(3)}"
            body = json.dumps({"client": self.world.client_id, "name": name}).encode()
            status = self._api("POST", "/api/v1/contacts/", body)
            with self.lock:
                self.answers.append(status)
                if 200 <= status < 300:
                    self.acknowledged.append(name)
            count += 1

    def reader(self) -> None:
        cookie = {"Cookie": f"warmpath_session={self.world.session}"}
        while not self.stop.is_set():
            status = self._api("GET", "/api/v1/contacts/?page_size=5")
            try:
                page = self.web.request("GET", "/", host=self.world.host, headers=cookie).status
            except OSError:
                page = 0
            with self.lock:
                self.answers.extend([status, page])

    def run(self) -> list[threading.Thread]:
        threads = [threading.Thread(target=self.writer, args=(n,)) for n in range(3)]
        threads += [threading.Thread(target=self.reader) for _ in range(2)]
        for thread in threads:
            thread.start()
        return threads


def _names_in(postgres: DedicatedPostgres, schema_name: str) -> set[str]:
    with postgres.connect() as conn:
        rows = conn.execute(f'SELECT name FROM "{schema_name}".coaching_contact').fetchall()
    return {row[0] for row in rows}


def test_every_acknowledged_write_survives_a_restart_under_load(
    web: LiveServer, world: World, postgres: DedicatedPostgres
) -> None:
    load = Load(web, world)
    threads = load.run()
    try:
        wait_for(lambda: len(load.acknowledged) >= 20, why="the load to get going")
        postgres.stop()
        time.sleep(1.5)
        postgres.start()
        before = len(load.acknowledged)
        wait_for(lambda: len(load.acknowledged) >= before + 20, why="writes after the restart")
    finally:
        load.stop.set()
        for thread in threads:
            thread.join(timeout=30)

    assert set(load.acknowledged) <= _names_in(postgres, world.schema_name)
    assert 0 not in load.answers, "the web server itself stopped answering"
    refused = [status for status in load.answers if status >= 300]
    assert refused, "the outage went unnoticed?"
    assert set(refused) == {503}, "while PostgreSQL is away: 503 + Retry-After, never a 500"


def test_the_first_request_on_each_kept_connection_after_a_restart_succeeds(
    web: LiveServer, world: World, postgres: DedicatedPostgres
) -> None:
    load = Load(web, world)
    for _ in range(10):  # every web process now holds a connection it keeps for a minute
        assert load._api("GET", f"/api/v1/clients/{world.client_id}/") == 200
    postgres.stop()
    postgres.start()

    cookie = {"Cookie": f"warmpath_session={world.session}"}
    answers = []
    for n in range(10):
        answers.append(load._api("GET", f"/api/v1/clients/{world.client_id}/"))
        body = json.dumps({"client": world.client_id, "name": f"After restart {n}"}).encode()
        answers.append(load._api("POST", "/api/v1/contacts/", body))
        answers.append(web.request("GET", "/", host=world.host, headers=cookie).status)
    assert all(200 <= status < 300 for status in answers), answers
