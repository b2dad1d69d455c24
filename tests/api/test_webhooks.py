"""Outbound webhooks: signing (verified with the recipe in docs/api.md), retries with backoff,
the delivery log, re-sending by hand, and disabling an endpoint that keeps failing."""

import json
import re
import time
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from rest_framework.test import APIClient

from accounts.models import User
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from integrations.webhooks import services
from integrations.webhooks.signing import sign
from integrations.webhooks.tasks import webhook_deliver_task
from tests.api.conftest import error_of
from tests.api.receiver import receiver

DOCS = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _documented_verifier() -> Any:
    """The Python recipe from docs/api.md, exactly as a receiver would copy it."""
    text = DOCS.read_text()
    section = text[text.index("### Verifying webhook signatures") :]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code is not None
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOCS), "exec"), namespace)
    return namespace["verify_warmpath_signature"]


@pytest.fixture(autouse=True)
def _local_receivers(settings) -> None:  # type: ignore[no-untyped-def]
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True


def _endpoint(owner: User, url: str, events: list[str] | None = None) -> WebhookEndpoint:
    return services.endpoint_create(actor=owner, url=url, events=events or ["import.finished"])


def _emit(django_capture_on_commit_callbacks, **kw: Any) -> list[WebhookDelivery]:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks() as queued:
        deliveries = services.webhook_emit(event="import.finished", payload={"import": 7}, **kw)
    assert len(queued) == (1 if deliveries else 0)  # sent once the change commits
    return deliveries


def test_delivery_is_signed_and_verifies_with_the_documented_recipe(
    owner: User, django_capture_on_commit_callbacks
) -> None:
    verify = _documented_verifier()
    with receiver(200) as hook:
        endpoint = _endpoint(owner, hook.url)
        [delivery] = _emit(django_capture_on_commit_callbacks)
        webhook_deliver_task.apply(args=[delivery.pk])

    [got] = hook.received
    header = got.headers["Warmpath-Signature"]
    assert verify(endpoint.secret, got.body, header)
    assert not verify(endpoint.secret, got.body + b" ", header)  # tampered body
    assert not verify("whsec_wrong", got.body, header)  # wrong secret
    old = int(time.time()) - 3600
    stale = sign(secret=endpoint.secret, body=got.body.decode(), timestamp=old)
    assert not verify(endpoint.secret, got.body, stale)
    assert not verify(endpoint.secret, got.body, "garbage")
    body = json.loads(got.body)
    assert body["event"] == "import.finished"
    assert body["data"] == {"import": 7}
    assert body["practice"] == "alpha"
    assert got.headers["Warmpath-Event-Id"] == body["id"] == str(delivery.event_id)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("succeeded", 1, 200)
    assert delivery.log[0]["response_code"] == 200


def test_only_active_subscribed_endpoints_get_the_event(
    owner: User, django_capture_on_commit_callbacks
) -> None:
    wanted = _endpoint(owner, "https://a.example.com/")
    _endpoint(owner, "https://b.example.com/", events=["introduction.made"])
    off = _endpoint(owner, "https://c.example.com/")
    services.endpoint_update(actor=owner, endpoint=off, data={"is_active": False})

    deliveries = _emit(django_capture_on_commit_callbacks)

    assert [d.endpoint_id for d in deliveries] == [wanted.pk]
    with pytest.raises(ValueError, match="Unknown webhook event"):
        services.webhook_emit(event="client.exploded", payload={})


def test_nobody_listening_records_nothing(owner: User, django_capture_on_commit_callbacks):
    assert _emit(django_capture_on_commit_callbacks) == []


def test_failing_receiver_is_retried_with_backoff_then_succeeds(
    owner: User, django_capture_on_commit_callbacks
) -> None:
    with receiver(500, 503, 200) as hook:
        _endpoint(owner, hook.url)
        [delivery] = _emit(django_capture_on_commit_callbacks)
        webhook_deliver_task.apply(args=[delivery.pk])

    delivery.refresh_from_db()
    assert len(hook.received) == 3
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.SUCCEEDED, 3)
    assert [a["response_code"] for a in delivery.log] == [500, 503, 200]
    assert [services.backoff_seconds(attempt=n) for n in range(1, 6)] == [30, 120, 480, 1920, 7680]


def test_receiver_that_keeps_failing_is_disabled_and_the_owner_told(
    owner: User, django_capture_on_commit_callbacks, settings
) -> None:
    # Every retry inline, the long waits too (tests/api/test_webhook_retries.py: how they wait).
    settings.CELERY_MAX_COUNTDOWN_SECONDS = 10**6
    with receiver(500) as hook:
        endpoint = _endpoint(owner, hook.url)
        for n in range(1, services.DISABLE_AFTER_FAILED_DELIVERIES + 1):
            [delivery] = _emit(django_capture_on_commit_callbacks)
            with django_capture_on_commit_callbacks(execute=True):
                webhook_deliver_task.apply(args=[delivery.pk])
            delivery.refresh_from_db()
            assert (delivery.status, delivery.attempts) == ("failed", services.MAX_ATTEMPTS)
            assert delivery.error == "The receiver answered 500."
            endpoint.refresh_from_db()
            assert endpoint.consecutive_failures == n
            assert endpoint.is_active == (n < services.DISABLE_AFTER_FAILED_DELIVERIES)

    assert len(hook.received) == services.DISABLE_AFTER_FAILED_DELIVERIES * services.MAX_ATTEMPTS
    assert "deliveries in a row failed" in endpoint.disabled_reason
    [notice] = mail.outbox
    assert notice.to == [owner.email]
    assert hook.url in notice.body
    assert _emit(django_capture_on_commit_callbacks) == []  # a disabled endpoint gets nothing


def test_unreachable_receiver_is_logged(owner: User, django_capture_on_commit_callbacks) -> None:
    with receiver(200) as hook:
        url = hook.url
    _endpoint(owner, url)  # the server is gone: connection refused
    [delivery] = _emit(django_capture_on_commit_callbacks)

    result = services.delivery_attempt(delivery_id=delivery.pk)

    assert result.status == "pending"
    assert result.attempts == 1
    assert result.response_code is None
    assert result.error.startswith("Could not deliver")
    assert result.next_attempt_at is not None


def test_private_addresses_are_refused_unless_allowed(
    owner: User, settings, django_capture_on_commit_callbacks
) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = False
    with receiver(200) as hook:
        _endpoint(owner, hook.url)
        [delivery] = _emit(django_capture_on_commit_callbacks)
        result = services.delivery_attempt(delivery_id=delivery.pk)

    assert hook.received == []
    assert result.error == (
        "127.0.0.1 is a private address (loopback); refused: "
        "Warmpath delivers webhooks only to public addresses."
    )


def test_webhook_endpoints_over_the_api(
    owner_api: APIClient, owner: User, django_capture_on_commit_callbacks
) -> None:
    with receiver(500, 200) as hook:
        created = owner_api.post(
            "/api/v1/webhooks/", {"url": hook.url, "events": ["import.finished", "finding.raised"]}
        )
        assert created.status_code == 201, created.json()
        endpoint = created.json()
        assert endpoint["secret"].startswith("whsec_")
        shown = owner_api.get(f"/api/v1/webhooks/{endpoint['id']}/").json()
        assert "secret" not in shown

        [delivery] = _emit(django_capture_on_commit_callbacks)
        services.delivery_attempt(delivery_id=delivery.pk)  # the 500
        log = owner_api.get(f"/api/v1/webhook-deliveries/?endpoint={endpoint['id']}").json()
        [row] = log["results"]
        assert (row["status"], row["attempts"], row["response_code"]) == ("pending", 1, 500)
        assert row["payload"]["data"] == {"import": 7}

        with django_capture_on_commit_callbacks() as queued:
            again = owner_api.post(f"/api/v1/webhook-deliveries/{row['id']}/redeliver/")
        assert again.status_code == 202
        assert len(queued) == 1
        resent = again.json()
        assert resent["redelivery_of"] == row["id"]
        assert resent["event_id"] == row["event_id"]
        webhook_deliver_task.apply(args=[resent["id"]])
        assert owner_api.get(f"/api/v1/webhook-deliveries/{resent['id']}/").json()["status"] == (
            "succeeded"
        )

    rotated = owner_api.post(f"/api/v1/webhooks/{endpoint['id']}/rotate-secret/").json()
    assert rotated["secret"] != endpoint["secret"]
    with django_capture_on_commit_callbacks():
        ping = owner_api.post(f"/api/v1/webhooks/{endpoint['id']}/ping/")
    assert ping.status_code == 202
    assert ping.json()["event"] == "webhook.ping"
    assert owner_api.delete(f"/api/v1/webhooks/{endpoint['id']}/").status_code == 204
    assert not WebhookEndpoint.objects.exists()


def test_endpoint_validation_and_reenabling(owner_api: APIClient, owner: User) -> None:
    bad = owner_api.post("/api/v1/webhooks/", {"url": "https://x.test/", "events": ["nope"]})
    assert error_of(bad)["fields"] == {"events.0": ['"nope" is not a valid choice.']}
    bad = owner_api.post("/api/v1/webhooks/", {"url": "ftp://x", "events": []})
    assert error_of(bad)["fields"] == {
        "url": ["Enter an http:// or https:// address."],
        "events": ["Pick at least one event."],
    }

    endpoint = _endpoint(owner, "https://a.example.com/")
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        is_active=False, consecutive_failures=5, disabled_reason="broken"
    )
    back = owner_api.patch(f"/api/v1/webhooks/{endpoint.pk}/", {"is_active": True}).json()
    assert (back["is_active"], back["consecutive_failures"], back["disabled_reason"]) == (
        True,
        0,
        "",
    )
