"""The integrations package sits beside the faces (issue #12): the domain announces through one
dispatch point that the webhooks subscribe to, billing counts seats through the counter the
coaching app registers, and the moved models kept their tables."""

import pytest
from django.db import transaction

from billing.selectors import active_client_count
from coaching.events import announce, domain_event
from coaching.services import client_set_status
from integrations.models import ApiKey, IdempotencyRecord, WebhookDelivery, WebhookEndpoint
from integrations.webhooks.services import deliver_domain_event
from tests.coaching.conftest import other_search, search

__all__ = ["other_search", "search"]


def test_the_models_kept_the_api_apps_tables() -> None:
    for model in (ApiKey, IdempotencyRecord, WebhookEndpoint, WebhookDelivery):
        assert model._meta.app_label == "api"
        assert model._meta.db_table == f"api_{model.__name__.lower()}"


def test_the_webhooks_listen_to_the_domains_one_dispatch_point() -> None:
    keys = [receiver[0] for receiver in domain_event.receivers]
    assert [key for key in keys if key[0] == "integrations-webhooks"], keys
    assert deliver_domain_event.__module__ == "integrations.webhooks.services"


def test_an_announcement_is_recorded_with_the_change_or_not_at_all(practice) -> None:
    WebhookEndpoint.objects.create(
        url="https://crm.example.com/hooks", events=["client.status_changed"], secret="s" * 32
    )
    payload = {"client_id": 1, "previous_status": None, "status": "stalled", "as_of": "x"}

    def failed_change() -> None:
        with transaction.atomic():
            announce(event="client.status_changed", payload=payload)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        failed_change()
    assert not WebhookDelivery.objects.exists()
    announce(event="client.status_changed", payload=payload)
    assert WebhookDelivery.objects.get().event == "client.status_changed"
    with pytest.raises(ValueError, match="Unknown webhook event"):
        announce(event="client.renamed", payload={})


def test_billing_counts_the_seats_the_coaching_app_says_are_taken(
    practice, search, other_search, coach
) -> None:
    assert active_client_count(practice=practice) == 2
    client_set_status(client=search, actor=coach, status="paused")
    assert active_client_count(practice=practice) == 1
