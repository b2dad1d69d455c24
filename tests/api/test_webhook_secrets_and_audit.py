"""Webhook signing secrets are bound to their practice (a secret found in another practice's
schema signs nothing), and every change to an endpoint is in the audit log."""

from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from accounts.models import Role, User
from audit.actions import AuditAction
from audit.models import AuditEvent
from integrations.models import DeliveryStatus, WebhookDelivery, WebhookEndpoint
from integrations.webhooks import services
from integrations.webhooks.signing import secret_is_ours
from tenants.models import Practice


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_a_secret_is_bound_to_the_practice_that_made_it(
    owner: User, other_practice: Practice
) -> None:
    endpoint = services.endpoint_create(
        actor=owner, url="https://hooks.example.com/", events=["import.finished"]
    )

    assert endpoint.secret.startswith("whsec_")
    assert secret_is_ours(endpoint.secret)
    with schema_context(other_practice.schema_name):
        assert not secret_is_ours(endpoint.secret)


def test_a_secret_copied_into_another_practice_signs_nothing_there(
    owner: User, other_practice: Practice
) -> None:
    secret = services.endpoint_create(
        actor=owner, url="https://hooks.example.com/", events=["import.finished"]
    ).secret
    with schema_context(other_practice.schema_name):
        other_owner = User.objects.get(role=Role.OWNER)
        copied = WebhookEndpoint.objects.create(
            url="https://hooks.example.com/b/",
            events=["import.finished"],
            secret=secret,  # e.g. a row restored into the wrong schema
            created_by=other_owner,
        )
        delivery = WebhookDelivery.objects.create(
            endpoint=copied, event="import.finished", body="{}"
        )

        result = services.delivery_attempt(delivery_id=delivery.pk)

        assert result.status == DeliveryStatus.PENDING
        assert result.response_code is None
        assert "not made for this practice" in result.error


def test_each_change_to_an_endpoint_is_audited(owner_api: APIClient, owner: User) -> None:
    created = owner_api.post(
        "/api/v1/webhooks/",
        {"url": "https://hooks.example.com/", "events": ["import.finished"]},
        format="json",
    ).json()
    owner_api.patch(f"/api/v1/webhooks/{created['id']}/", {"is_active": False}, format="json")
    owner_api.post(f"/api/v1/webhooks/{created['id']}/rotate-secret/")
    owner_api.delete(f"/api/v1/webhooks/{created['id']}/")

    assert _actions()[-4:] == [
        AuditAction.WEBHOOK_CREATED,
        AuditAction.WEBHOOK_CHANGED,
        AuditAction.WEBHOOK_SECRET_ROTATED,
        AuditAction.WEBHOOK_REMOVED,
    ]
    removed = AuditEvent.objects.filter(action=AuditAction.WEBHOOK_REMOVED).get()
    assert (removed.object_label, removed.via) == ("https://hooks.example.com/", "api")
    assert all(created["secret"] not in str(e.details) for e in AuditEvent.objects.all())
