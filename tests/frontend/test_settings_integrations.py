"""The owner's settings pages for API keys and webhooks: secrets shown once, service errors next
to their fields, re-sending a delivery, and nobody but the practice's own owner gets in."""

import re
from collections.abc import Callable

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from frontend.views.integrations import SHOW_ONCE
from integrations.keys import api_key_create
from integrations.models import ApiKey, DeliveryStatus, WebhookDelivery, WebhookEndpoint
from integrations.webhooks import services as webhook_services
from integrations.webhooks.tasks import webhook_deliver_task
from tenants.models import Practice
from tests.api.receiver import receiver

SHOWN = re.compile(r'id="shown-once-value" type="text" readonly value="([^"]+)"')


def _shown_once(page: str) -> str:
    found = SHOWN.search(page)
    assert found, "no secret on the page"
    return found.group(1)


def _api_status(host_client: HttpClient, key: str) -> int:
    response = host_client.get("/api/v1/clients/", HTTP_AUTHORIZATION=f"Api-Key {key}")
    return response.status_code


@pytest.fixture
def endpoint(owner: User) -> WebhookEndpoint:
    return webhook_services.endpoint_create(
        actor=owner, url="https://hooks.example.com/warmpath", events=["finding.raised"]
    )


def test_hub_links_every_section(as_user: Callable[[User], HttpClient], owner: User) -> None:
    page = as_user(owner).get("/settings/").content.decode()
    assert 'href="/settings/api-keys/"' in page
    assert 'href="/settings/webhooks/"' in page
    assert "Not available yet" not in page


def test_owner_creates_a_key_sees_it_once_and_revokes_it(
    as_user: Callable[[User], HttpClient], owner: User
) -> None:
    http = as_user(owner)
    created = http.post("/settings/api-keys/", {"name": "CRM sync", "scope": "read"})
    assert created.status_code == 302
    assert created["Location"] == "/settings/api-keys/"  # nothing secret in the address
    api_key = ApiKey.objects.get(name="CRM sync")

    first = http.get("/settings/api-keys/")
    assert first["Cache-Control"].startswith("max-age=0")
    secret = _shown_once(first.content.decode())
    assert secret.startswith(f"{api_key.prefix}.")
    assert SHOW_ONCE not in http.session
    assert all(secret not in morsel.value for morsel in http.cookies.values())
    again = http.get("/settings/api-keys/").content.decode()
    assert secret not in again
    assert "shown-once-value" not in again
    assert f"<code>{api_key.prefix}…</code>" in again  # only the prefix from now on
    assert "Read only" in again

    assert _api_status(http, secret) == 200
    revoked = http.post(f"/settings/api-keys/{api_key.prefix}/revoke/")
    assert revoked.status_code == 302
    api_key.refresh_from_db()
    assert api_key.revoked
    assert api_key.revoked_at is not None
    assert _api_status(http, secret) == 401
    page = http.get("/settings/api-keys/").content.decode()
    assert "Revoked" in page
    assert f"/settings/api-keys/{api_key.prefix}/revoke/" not in page  # no second revoke button


def test_key_errors_from_the_service_sit_next_to_the_field(
    as_user: Callable[[User], HttpClient], owner: User
) -> None:
    http = as_user(owner)
    response = http.post("/settings/api-keys/", {"name": "x" * 60, "scope": "read_write"})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<p class="error" id="id_name-error">Use at most 50 characters (this has 60).' in page
    assert re.search(r'aria-describedby="[^"]*\bid_name-error\b[^"]*"', page)
    assert not ApiKey.objects.exists()


def test_endpoint_errors_from_the_service_sit_next_to_their_fields(
    as_user: Callable[[User], HttpClient], owner: User
) -> None:
    http = as_user(owner)
    response = http.post("/settings/webhooks/", {"url": "ftp://files.example.com/", "events": []})
    assert response.status_code == 400
    page = response.content.decode()
    assert '<p class="error" id="id_url-error">Enter an http:// or https:// address.</p>' in page
    assert '<p class="error" id="id_events-error">Pick at least one event.</p>' in page
    assert "<legend>Events to send</legend>" in page
    assert not WebhookEndpoint.objects.exists()


def test_endpoint_secret_is_shown_once_when_created_and_when_rotated(
    as_user: Callable[[User], HttpClient], owner: User
) -> None:
    http = as_user(owner)
    created = http.post(
        "/settings/webhooks/",
        {
            "url": "https://hooks.example.com/warmpath",
            "description": "CRM",
            "events": ["finding.raised", "client.status_changed"],
        },
    )
    assert created.status_code == 302
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.events == ["client.status_changed", "finding.raised"]
    assert endpoint.created_by == owner

    first = http.get("/settings/webhooks/").content.decode()
    assert _shown_once(first) == endpoint.secret
    assert "Warmpath-Signature" in first  # how receivers verify
    assert "/api/v1/docs/" in first
    later = http.get("/settings/webhooks/").content.decode()
    assert endpoint.secret not in later
    assert "https://hooks.example.com/warmpath" in later
    assert http.get(f"/settings/webhooks/{endpoint.pk}/").content.decode().count("whsec_") == 0

    old = endpoint.secret
    rotated = http.post(f"/settings/webhooks/{endpoint.pk}/rotate-secret/", {"back": "detail"})
    assert rotated["Location"] == f"/settings/webhooks/{endpoint.pk}/"
    endpoint.refresh_from_db()
    assert endpoint.secret != old
    assert _shown_once(http.get(rotated["Location"]).content.decode()) == endpoint.secret
    assert endpoint.secret not in http.get(rotated["Location"]).content.decode()


def test_owner_turns_an_endpoint_off_and_on_and_pings_it(
    as_user: Callable[[User], HttpClient],
    owner: User,
    endpoint: WebhookEndpoint,
    django_capture_on_commit_callbacks,
) -> None:
    http = as_user(owner)
    assert http.post(f"/settings/webhooks/{endpoint.pk}/switch/").status_code == 302
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    refused = http.post(f"/settings/webhooks/{endpoint.pk}/ping/", follow=True)
    assert "Turn the endpoint on first." in refused.content.decode()
    assert not WebhookDelivery.objects.exists()

    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        consecutive_failures=5,
        disabled_at=timezone.now(),
        disabled_reason="5 deliveries in a row failed; last error: 500",
    )
    page = http.get("/settings/webhooks/").content.decode()
    assert "Turned off by Warmpath" in page
    assert "5 deliveries in a row failed; last error: 500" in page
    http.post(f"/settings/webhooks/{endpoint.pk}/switch/", {"is_active": "on"})
    endpoint.refresh_from_db()
    assert (endpoint.is_active, endpoint.consecutive_failures, endpoint.disabled_reason) == (
        True,
        0,
        "",
    )

    with django_capture_on_commit_callbacks() as queued:  # queued, not sent
        pinged = http.post(f"/settings/webhooks/{endpoint.pk}/ping/", {"back": "detail"})
    assert pinged["Location"] == f"/settings/webhooks/{endpoint.pk}/"
    assert len(queued) == 1
    [delivery] = WebhookDelivery.objects.all()
    assert delivery.event == "webhook.ping"
    detail = http.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()
    assert "<code>webhook.ping</code>" in detail
    assert "Pending" in detail


def test_send_again_makes_a_new_attempt_at_the_receiver(
    as_user: Callable[[User], HttpClient],
    owner: User,
    settings,
    django_capture_on_commit_callbacks,
) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_NETWORKS = True  # the receiver is on 127.0.0.1
    http = as_user(owner)
    with receiver(500, 200) as hook:
        endpoint = webhook_services.endpoint_create(
            actor=owner, url=hook.url, events=["finding.raised"]
        )
        with django_capture_on_commit_callbacks():
            failed = webhook_services.endpoint_ping(endpoint=endpoint)
        webhook_services.delivery_attempt(delivery_id=failed.pk)  # the receiver answers 500
        webhook_services.delivery_give_up(delivery_id=failed.pk)
        page = http.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()
        assert "Failed" in page
        assert "The receiver answered 500." in page

        with django_capture_on_commit_callbacks() as queued:
            sent = http.post(f"/settings/webhooks/{endpoint.pk}/deliveries/{failed.pk}/redeliver/")
        assert sent["Location"] == f"/settings/webhooks/{endpoint.pk}/"
        assert len(queued) == 1
        again = WebhookDelivery.objects.get(redelivery_of=failed)
        assert (again.status, again.attempts, str(again.event_id)) == (
            DeliveryStatus.PENDING,
            0,
            str(failed.event_id),
        )
        webhook_deliver_task.apply(args=(again.pk,))

    assert len(hook.received) == 2
    again.refresh_from_db()
    assert (again.status, again.attempts, again.response_code) == ("succeeded", 1, 200)
    page = http.get(f"/settings/webhooks/{endpoint.pk}/").content.decode()
    assert page.count("<code>webhook.ping</code>") == 2
    assert "sent again" in page
    assert "Succeeded" in page


def test_disabled_endpoint_is_not_sent_again(
    as_user: Callable[[User], HttpClient],
    owner: User,
    endpoint: WebhookEndpoint,
    django_capture_on_commit_callbacks,
) -> None:
    with django_capture_on_commit_callbacks():
        delivery = webhook_services.endpoint_ping(endpoint=endpoint)
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(is_active=False)
    http = as_user(owner)
    url = f"/settings/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/redeliver/"
    page = http.post(url, follow=True).content.decode()
    assert "turn it back on before re-sending" in page
    assert WebhookDelivery.objects.count() == 1


# -- who may see these pages ------------------------------------------------------------------


@pytest.fixture
def alphas_integrations(
    owner: User,
    endpoint: WebhookEndpoint,
    django_capture_on_commit_callbacks,
) -> tuple[ApiKey, WebhookEndpoint, WebhookDelivery]:
    api_key, _ = api_key_create(actor=owner, name="Alpha CRM")
    with django_capture_on_commit_callbacks():
        delivery = webhook_services.endpoint_ping(endpoint=endpoint)
    return api_key, endpoint, delivery


def _every_page(
    api_key: ApiKey, endpoint: WebhookEndpoint, delivery: WebhookDelivery
) -> list[tuple[str, str]]:
    e = endpoint.pk
    return [
        ("get", "/settings/api-keys/"),
        ("post", "/settings/api-keys/"),
        ("post", f"/settings/api-keys/{api_key.prefix}/revoke/"),
        ("get", "/settings/webhooks/"),
        ("post", "/settings/webhooks/"),
        ("get", f"/settings/webhooks/{e}/"),
        ("post", f"/settings/webhooks/{e}/switch/"),
        ("post", f"/settings/webhooks/{e}/rotate-secret/"),
        ("post", f"/settings/webhooks/{e}/ping/"),
        ("post", f"/settings/webhooks/{e}/deliveries/{delivery.pk}/redeliver/"),
    ]


def _unchanged(api_key: ApiKey, endpoint: WebhookEndpoint) -> None:
    secret = endpoint.secret
    api_key.refresh_from_db()
    endpoint.refresh_from_db()
    assert not api_key.revoked
    assert endpoint.is_active
    assert endpoint.secret == secret
    assert WebhookDelivery.objects.count() == 1
    assert ApiKey.objects.count() == 1
    assert WebhookEndpoint.objects.count() == 1


def test_coach_and_client_get_404_everywhere(
    as_user: Callable[[User], HttpClient],
    coach: User,
    client_user: User,
    alphas_integrations: tuple[ApiKey, WebhookEndpoint, WebhookDelivery],
) -> None:
    api_key, endpoint, _ = alphas_integrations
    for member in (coach, client_user):
        http = as_user(member)
        for method, url in _every_page(*alphas_integrations):
            data = {"name": "Mine", "url": "https://x.example.com/", "events": ["finding.raised"]}
            response = getattr(http, method)(url, data if method == "post" else None)
            assert response.status_code == 404, (member.role, method, url)
    _unchanged(api_key, endpoint)
    anonymous = HttpClient(HTTP_HOST=http.defaults["HTTP_HOST"])
    assert anonymous.get("/settings/api-keys/").status_code == 302


def test_another_practices_owner_never_sees_alphas_keys_or_endpoints(
    practice: Practice,
    other_http: HttpClient,
    other_practice: Practice,
    alphas_integrations: tuple[ApiKey, WebhookEndpoint, WebhookDelivery],
) -> None:
    api_key, endpoint, delivery = alphas_integrations
    with schema_context(other_practice.schema_name):
        other_http.force_login(User.objects.get(email="owner@bravo.example.com"))
    keys = other_http.get("/settings/api-keys/")
    assert keys.status_code == 200
    assert "Alpha CRM" not in keys.content.decode()
    assert api_key.prefix not in keys.content.decode()
    hooks = other_http.get("/settings/webhooks/")
    assert hooks.status_code == 200
    assert endpoint.url not in hooks.content.decode()
    for method, url in _every_page(api_key, endpoint, delivery):
        if url in ("/settings/api-keys/", "/settings/webhooks/"):
            continue  # B's own lists, checked above
        assert getattr(other_http, method)(url).status_code == 404, (method, url)
    with schema_context(practice.schema_name):
        _unchanged(api_key, endpoint)
