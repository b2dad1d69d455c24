"""Redis stopped under a live gunicorn and a live worker (a Redis of this test's own).

With Redis down: pages and API reads still answer (the key cache and the dashboard summaries
read the database, the throttle fails open and says so in the log); a write that needs Redis is
refused with 503 and `Retry-After` and changes nothing (revoking an API key: its tombstone cannot
be written); a write that needs a job is kept in its database outbox (an import upload) and runs
once Redis is back and the sweeper sends it; `/readyz` reports the outage while `/healthz` does
not care. The worker, holding a task for later when Redis goes, survives (kombu 5.7.0 crashed
here, see config/broker.py) and carries on once Redis is back.
"""

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client as BrowserClient
from django_tenants.utils import schema_context

from accounts.models import Role, User
from api.models import ApiKey, KeyScope
from coaching.choices import ImportStatus
from coaching.models import Client, Contact, ImportJob
from coaching.services import client_create
from tenants.models import Practice
from tests.conftest import SeededPractice
from tests.faults.live import (
    DedicatedRedis,
    LiveServer,
    Worker,
    environment,
    gunicorn,
    send_task,
    start_worker,
)


def test_this_module_runs_on_a_test_database(db: None) -> None:
    """Also what makes pytest-django create the test database when this file runs alone."""
    assert str(connection.settings_dict["NAME"]).startswith("test_")


@dataclass
class World:
    host: str
    schema_name: str
    client: Client
    session: str
    coach_key: ApiKey
    coach_secret: str
    owner_secret: str


@pytest.fixture(scope="module")
def world(
    seeded: dict[str, SeededPractice], django_db_blocker: pytest.FixtureRequest
) -> Iterator[World]:
    """Committed rows in practice A (the servers are other processes): a client of the coach,
    a signed-in coach, API keys for the coach and the owner. Removed afterwards."""
    a = seeded["a"]
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        assert str(connection.settings_dict["NAME"]).startswith("test_")
        practice = Practice.objects.get(pk=a.practice_id)
        connection.set_tenant(practice)
        coach = User.objects.get(email="coach@alpha.example.com")
        owner = User.objects.get(email="owner@alpha.example.com")
        user = User.objects.create_user("redisless@alpha.example.com", None, role=Role.CLIENT)
        client = client_create(
            actor=coach, user=user, coach=coach, search_started_on=date(2024, 1, 8)
        )
        coach_key, coach_secret = ApiKey.objects.create_key(
            name="redis-down coach", scope=KeyScope.READ_WRITE, acts_as=coach, created_by=owner
        )
        owner_key, owner_secret = ApiKey.objects.create_key(
            name="redis-down owner", scope=KeyScope.READ_WRITE, acts_as=owner, created_by=owner
        )
        browser = BrowserClient(HTTP_HOST=a.host)
        browser.force_login(coach)
        session = browser.cookies["warmpath_session"].value
        try:
            yield World(
                a.host, a.schema_name, client, session, coach_key, coach_secret, owner_secret
            )
        finally:
            connection.set_tenant(practice)
            ImportJob.objects.filter(client=client).delete()
            client.delete()
            user.delete()
            ApiKey.objects.filter(pk__in=[coach_key.pk, owner_key.pk]).delete()
            connection.set_schema_to_public()


@pytest.fixture(scope="module")
def redis() -> Iterator[DedicatedRedis]:
    server = DedicatedRedis()
    server.start()
    yield server
    server.close()


@pytest.fixture(scope="module")
def env(redis: DedicatedRedis) -> dict[str, str]:
    return environment(
        REDIS_URL=redis.url,
        WARMPATH_TEST_DB_NAME=str(connection.settings_dict["NAME"]),
        JOBS_REQUEUE_AFTER_SECONDS="1",
    )


@pytest.fixture(scope="module")
def web(
    world: World, env: dict[str, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    with gunicorn(env=env, folder=tmp_path_factory.mktemp("web")) as server:
        yield server


@contextmanager
def down(redis: DedicatedRedis) -> Iterator[None]:
    redis.stop()
    try:
        yield
    finally:
        redis.start()


def _page(web: LiveServer, world: World, path: str) -> int:
    cookie = {"Cookie": f"warmpath_session={world.session}"}
    return web.request("GET", path, host=world.host, headers=cookie).status


def _api(web: LiveServer, world: World, method: str, path: str, *, secret: str, **kw: object):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Api-Key {secret}", **kw.pop("headers", {})}  # type: ignore[dict-item]
    return web.request(method, path, host=world.host, headers=headers, **kw)  # type: ignore[arg-type]


def test_readiness_reports_the_outage_and_liveness_does_not_care(
    web: LiveServer, redis: DedicatedRedis
) -> None:
    assert web.request("GET", "/readyz", host="10.0.0.7").json()["status"] == "ok"
    with down(redis):
        ready = web.request("GET", "/readyz", host="10.0.0.7")  # a probe, by IP address
        assert ready.status == 503
        assert ready.json() == {
            "status": "unavailable",
            "checks": {"database": "ok", "redis": "down"},
        }
        assert web.request("GET", "/healthz", host="10.0.0.7").status == 200
    assert web.request("GET", "/readyz", host="10.0.0.7").status == 200


def test_pages_and_api_reads_answer_with_redis_down(
    web: LiveServer, world: World, redis: DedicatedRedis
) -> None:
    clients = f"/api/v1/clients/{world.client.pk}/"
    assert _api(web, world, "GET", clients, secret=world.coach_secret).status == 200  # cached
    assert _page(web, world, "/") == 200
    with down(redis):
        assert _page(web, world, "/") == 200  # the dashboard: summaries from the database
        assert _page(web, world, f"/clients/{world.client.pk}/") == 200
        listed = _api(web, world, "GET", "/api/v1/clients/", secret=world.coach_secret)
        assert listed.status == 200
        assert world.client.pk in [c["id"] for c in listed.json()["results"]]
        assert _api(web, world, "GET", clients, secret=world.owner_secret).status == 200
    assert "API throttle failing open" in web.log_text()
    assert _api(web, world, "GET", clients, secret=world.coach_secret).status == 200


def test_revoking_a_key_with_redis_down_is_refused_and_changes_nothing(
    web: LiveServer, world: World, redis: DedicatedRedis
) -> None:
    revoke = f"/api/v1/api-keys/{world.coach_key.prefix}/revoke/"
    with down(redis):
        refused = _api(web, world, "POST", revoke, secret=world.owner_secret, data=b"")
        assert refused.status == 503
        assert refused.headers["Retry-After"] == "30"
        assert refused.json()["error"]["code"] == "temporarily_unavailable"
        still = _api(web, world, "GET", "/api/v1/clients/", secret=world.coach_secret)
        assert still.status == 200
    with schema_context(world.schema_name):
        assert not ApiKey.objects.get(pk=world.coach_key.pk).revoked


def _multipart(fields: dict[str, str], csv: bytes) -> tuple[bytes, str]:
    boundary = secrets.token_hex(8)
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, v in fields.items()
    ]
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="c.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n".encode()
        + csv
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def worker(env: dict[str, str], tmp_path: Path) -> Iterator[Worker]:
    real = start_worker(env=env, folder=tmp_path, queue=f"faults-{secrets.token_hex(4)}")
    yield real
    real.stop()


@pytest.mark.worker
def test_an_upload_with_redis_down_is_kept_and_runs_once_redis_is_back(
    web: LiveServer, world: World, redis: DedicatedRedis, worker: Worker
) -> None:
    # The worker holds a task for later, as it always does (countdowns), when Redis goes away.
    send_task(redis.url, "celery.accumulate", queue=worker.queue, args=(1,), countdown=600)
    worker.wait_for(lambda: "celery.accumulate[" in worker.log_text(), why="the task")
    with down(redis):
        body, content_type = _multipart(
            {"client": str(world.client.pk), "kind": "contacts_csv"}, b"name\nAnn\nBob\n"
        )
        accepted = _api(
            web,
            world,
            "POST",
            "/api/v1/imports/",
            secret=world.coach_secret,
            data=body,
            headers={"Content-Type": content_type},
        )
        assert accepted.status == 202, accepted.body
        worker.wait_for(lambda: "Connection to broker lost" in worker.log_text(), why="loss")
    with schema_context(world.schema_name):
        job = ImportJob.objects.get(pk=accepted.json()["id"])
        assert job.status == ImportStatus.QUEUED  # kept: the task could not be sent
    assert "could not queue coaching.import_run" in web.log_text()

    def reconnected() -> bool:
        return "Connected to redis" in worker.log_text().split("broker lost")[-1]

    worker.wait_for(reconnected, why="the worker to reconnect")
    send_task(redis.url, "notifications.sweep", queue=worker.queue)  # as beat does every minute

    def imported() -> bool:
        with schema_context(world.schema_name):
            job.refresh_from_db()
            return job.status == ImportStatus.SUCCEEDED

    worker.wait_for(imported, why="the swept import to run")
    with schema_context(world.schema_name):
        assert Contact.objects.filter(client=world.client).count() == 2
    assert worker.process.poll() is None
    assert "Unrecoverable error" not in worker.log_text()
