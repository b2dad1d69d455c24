"""The product under its production settings, on real PostgreSQL and Redis, started as the image
starts it (scripts/prodlike): one practice's first day, over HTTP, in order.

signup -> confirm the owner's email -> invite a client, who joins -> log a contact and an
interaction -> import a CSV -> report (JSON, page, PDF) -> webhook delivered and signed ->
the nightly job through the worker -> readiness, metrics, structured logs.
"""

import hashlib
import hmac
import json
import re
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.prodlike.conftest import Http, Mailbox, Receiver, operator

pytestmark = pytest.mark.prodlike

PASSWORD = "prodlike-long-password-73"


@dataclass
class Journey:
    slug: str = field(default_factory=lambda: f"smoke{secrets.token_hex(3)}")
    client_id: int = 0
    contact_id: int = 0
    endpoint_secret: str = ""

    @property
    def host(self) -> str:
        return f"{self.slug}.localhost"

    @property
    def owner_email(self) -> str:
        return f"owner@{self.slug}.example.com"

    @property
    def client_email(self) -> str:
        return f"cleo@{self.slug}.example.com"


@pytest.fixture(scope="module")
def journey() -> Journey:
    return Journey()


@pytest.fixture(scope="module")
def owner(web_port: int) -> Http:
    return Http(web_port)


def _poll(what: str, check: Any, timeout: float = 90.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {timeout} s")


def test_public_site_with_hashed_static_files(owner: Http) -> None:
    home = owner.get(owner.url())
    assert home.status == 200
    assert "X-Request-ID" in home.headers
    static = re.findall(r'(/static/[^"\']+\.[0-9a-f]{12}\.(?:css|js))', home.text)
    assert static, "no hashed static file on the public page"
    asset = owner.get(owner.url(path=static[0]))
    assert asset.status == 200
    assert "immutable" in asset.headers.get("Cache-Control", "")


def test_an_unknown_address_is_a_plain_not_found_page(owner: Http) -> None:
    missing = owner.get(owner.url(path="/no/such/page/"))
    assert missing.status == 404
    assert "URLconf" not in missing.text  # never Django's debug page
    assert "Traceback" not in missing.text
    assert "Page not found" in missing.text  # the product's own page (frontend/templates/404.html)


def test_signup_hands_over_and_the_owner_confirms_their_email(
    owner: Http, journey: Journey, mailbox: Mailbox
) -> None:
    created = owner.submit(
        owner.url(path="/signup/"),
        {
            "name": "Smoke Test Coaching",
            "slug": journey.slug,
            "owner_name": "Olive Owner",
            "owner_email": journey.owner_email,
            "password": PASSWORD,
        },
    )
    assert created.status == 302, created.text[:2000]
    assert created.location.startswith(f"http://{journey.host}:{owner.port}/auth/handoff/")
    landed = owner.get(created.location, follow=True)
    assert landed.status == 200
    assert landed.url == owner.url(journey.host, "/")
    link = mailbox.link(
        to=journey.owner_email, pattern=r"http://\S+/accounts/confirm-email/[^/\s]+/"
    )
    confirmed = owner.submit(link, {})
    assert confirmed.status == 302, confirmed.text[:2000]


def test_the_owner_invites_a_client_who_joins(
    owner: Http, journey: Journey, mailbox: Mailbox
) -> None:
    invited = owner.api(
        "POST",
        owner.url(journey.host, "/api/v1/invitations/"),
        {"email": journey.client_email, "role": "client", "name": "Cleo Client"},
    )
    assert invited.status == 201, invited.text
    link = mailbox.link(to=journey.client_email, pattern=r"http://\S+/invitations/[^/\s]+/")
    client = Http(owner.port)
    joined = client.submit(link, {"name": "Cleo Client", "password": PASSWORD})
    assert joined.status == 302, joined.text[:2000]
    assert client.get(owner.url(journey.host, "/"), follow=True).status == 200
    clients = owner.api("GET", owner.url(journey.host, "/api/v1/clients/"))
    assert clients.status == 200, clients.text
    journey.client_id = clients.json()["results"][0]["id"]


def test_a_webhook_endpoint_is_added(owner: Http, journey: Journey, receiver: Receiver) -> None:
    made = owner.api(
        "POST",
        owner.url(journey.host, "/api/v1/webhooks/"),
        {
            "url": receiver.url,
            "events": [
                "import.finished",
                "introduction.made",
                "client.status_changed",
                "finding.raised",
            ],
        },
    )
    assert made.status == 201, made.text
    journey.endpoint_secret = made.json()["secret"]


def test_the_coach_logs_a_contact_and_an_interaction(owner: Http, journey: Journey) -> None:
    contact = owner.api(
        "POST",
        owner.url(journey.host, "/api/v1/contacts/"),
        {"client": journey.client_id, "name": "Priya Patel", "email": "priya@example.com"},
    )
    assert contact.status == 201, contact.text
    journey.contact_id = contact.json()["id"]
    logged = owner.api(
        "POST",
        owner.url(journey.host, "/api/v1/interactions/"),
        {
            "contact": journey.contact_id,
            "occurred_at": (datetime.now(UTC) - timedelta(days=3)).isoformat(),
            "channel": "email",
            "direction": "outbound",
            "kind": "outreach",
        },
    )
    assert logged.status == 201, logged.text


def test_an_import_runs_on_the_worker_and_its_webhook_is_delivered_signed(
    owner: Http, journey: Journey, receiver: Receiver
) -> None:
    day = (date.today() - timedelta(days=2)).isoformat()
    csv = (
        "contact_name,contact_company,occurred_at,channel,direction,kind\n"
        f"Tom Target,Acme,{day},linkedin,outbound,outreach\n"
        f"Ula Unknown,Initech,{day},email,outbound,outreach\n"
    ).encode()
    started = owner.upload(
        owner.url(journey.host, "/api/v1/imports/"),
        {"client": str(journey.client_id), "kind": "interactions_csv"},
        "interactions.csv",
        csv,
    )
    assert started.status in (201, 202), started.text
    job = started.json()["id"]

    def finished() -> Any:
        answer = owner.api("GET", owner.url(journey.host, f"/api/v1/imports/{job}/")).json()
        return answer if answer["status"] in ("succeeded", "failed") else None

    assert _poll("the import", finished)["status"] == "succeeded"
    hook = receiver.wait_for("import.finished")
    payload = json.loads(hook.body)
    assert payload["practice"] == journey.slug
    signature = dict(part.split("=", 1) for part in hook.headers["Warmpath-Signature"].split(","))
    expected = hmac.new(
        journey.endpoint_secret.encode(),
        f"{signature['t']}.{hook.body.decode()}".encode(),
        hashlib.sha256,
    ).hexdigest()
    assert hmac.compare_digest(signature["v1"], expected)

    def delivered() -> Any:
        page = owner.api("GET", owner.url(journey.host, "/api/v1/webhook-deliveries/")).json()
        return [d for d in page["results"] if d["status"] == "succeeded"]

    assert _poll("a delivery recorded as succeeded", delivered)


def test_the_report_as_json_page_and_pdf(owner: Http, journey: Journey) -> None:
    report = owner.api(
        "GET", owner.url(journey.host, f"/api/v1/clients/{journey.client_id}/report/")
    )
    assert report.status == 200, report.text
    assert "status" in report.json()
    page = owner.get(owner.url(journey.host, f"/clients/{journey.client_id}/"))
    assert page.status == 200
    assert "Findings" in page.text
    contacts = owner.get(owner.url(journey.host, f"/clients/{journey.client_id}/?tab=contacts"))
    assert contacts.status == 200
    assert "Priya Patel" in contacts.text
    pdf = owner.get(owner.url(journey.host, f"/clients/{journey.client_id}/report.pdf"))
    assert pdf.status == 200, pdf.text[:500]
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.body.startswith(b"%PDF")
    assert len(pdf.body) > 2000


def test_the_nightly_job_runs_on_the_worker(journey: Journey) -> None:
    schema = "p_" + journey.slug
    day = (date.today() - timedelta(days=1)).isoformat()
    operator(
        "manage", "tenant_command", "shell", f"--schema={schema}", "-c",
        "from notifications.tasks import run_practice_job; "
        f"run_practice_job.delay(job='nightly_diagnostics', period='{day}', as_of='{day}')",
    )  # fmt: skip

    def state() -> str:
        out = operator(
            "manage", "tenant_command", "shell", f"--schema={schema}", "-c",
            "from notifications.models import JobRun; "
            f"run = JobRun.objects.filter(key='nightly_diagnostics:{day}').first(); "
            "print('STATE', run.status if run else 'none', (run.error if run else '')[:300])",
        )  # fmt: skip
        found = re.search(r"STATE (\w+)", out)
        return found.group(1) if found and found.group(1) in ("succeeded", "failed") else ""

    assert _poll("the nightly job", state, timeout=120) == "succeeded"


def test_ready_with_migrations_applied_and_a_worker_seen(owner: Http) -> None:
    ready = owner.get(f"http://10.0.0.9:{owner.port}/readyz")  # a probe asks by address
    assert ready.status == 200, ready.text
    assert ready.json()["checks"] == {
        "database": "ok",
        "redis": "ok",
        "migrations": "ok",
        "worker": "ok",
    }


def _samples(port: int) -> list[tuple[str, dict[str, str], float]]:
    """(name, labels, value) of every sample /metrics on `port` serves."""
    text = Http(port).get(f"http://127.0.0.1:{port}/metrics").text
    found = []
    for line in text.splitlines():
        parsed = re.match(r"^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$", line)
        if parsed:
            labels = dict(re.findall(r'(\w+)="([^"]*)"', parsed.group(2) or ""))
            found.append((parsed.group(1), labels, float(parsed.group(3))))
    return found


def _value(samples: list[tuple[str, dict[str, str], float]], name: str, **labels: str) -> float:
    """The sum of `name`'s samples whose labels include `labels` (-1: no such sample)."""
    matching = [v for n, ls, v in samples if n == name and labels.items() <= ls.items()]
    return sum(matching) if matching else -1.0


def test_metrics_on_the_internal_ports(metrics_ports: dict[str, int]) -> None:
    web = _samples(metrics_ports["web"])
    routes = {
        ls["route"]
        for n, ls, v in web
        if n == "warmpath_http_request_duration_seconds_count" and ls["status"] == "200" and v
    }
    assert any("report" in route for route in routes), routes
    assert "signup/" in routes, routes
    worker = _samples(metrics_ports["worker"])
    duration = "warmpath_celery_task_duration_seconds_count"
    assert _value(worker, duration, task="coaching.import_run", outcome="success") >= 1
    assert _value(worker, duration, task="api.webhook_deliver", outcome="success") >= 1
    assert (
        _value(worker, "warmpath_imports_total", kind="interactions_csv", outcome="succeeded") >= 1
    )
    assert _value(worker, "warmpath_webhook_deliveries_total", outcome="succeeded") >= 1
    assert _value(worker, "warmpath_webhook_attempts_total", outcome="succeeded") >= 1
    assert _value(worker, "warmpath_celery_queue_length", queue="interactive") >= 0
    assert _value(worker, "warmpath_worker_heartbeat_timestamp_seconds") > 0
    beat = _samples(metrics_ports["beat"])
    assert _value(beat, "warmpath_celery_queue_length", queue="scheduled") >= 0


def _json_lines(path: Path) -> list[dict[str, Any]]:
    lines = []
    for line in path.read_text(errors="replace").splitlines():
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_logs_are_json_lines_naming_request_practice_role_and_task(
    logs: Path, journey: Journey
) -> None:
    web = _json_lines(logs / "web.log")
    requests = [
        r for r in web if r["logger"] == "warmpath.request" and r["practice"] == journey.slug
    ]
    assert requests
    assert all(r["request_id"] for r in requests)
    assert {"owner", "client"} <= {r["role"] for r in requests}
    assert all(r["process_role"] == "web" for r in requests)
    worker = _json_lines(logs / "worker.log")
    tasks = [r for r in worker if r.get("task") == "coaching.import_run"]
    assert tasks
    assert all(r["task_id"] and r["practice"] == journey.slug for r in tasks)
