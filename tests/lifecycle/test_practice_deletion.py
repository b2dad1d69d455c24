"""Deleting the practice: the owner types its name, a 30-day grace period with undo, then the
sweep cancels the Stripe subscription (against the local fake Stripe server), removes the
domain and drops the schema. Nothing happens while Stripe cannot be reached."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client as HttpClient
from django_tenants.utils import schema_exists

from accounts.models import Role, User
from billing.models import BillingAccount
from billing.services import billing_account_for
from coaching.access import NotFound
from coaching.lifecycle.deletion import (
    GRACE_DAYS,
    day,
    practice_deletion_cancel,
    practice_deletion_schedule,
)
from coaching.lifecycle.exports import export_request, export_run
from coaching.lifecycle.storage import private_root
from coaching.lifecycle.sweep import practice_sweep
from tenants.models import Domain, Practice
from tenants.provisioning import practice_create, practice_host
from tests.billing.conftest import stripe_api
from tests.billing.fake_stripe import FakeStripe
from tests.conftest import PASSWORD

__all__ = ["stripe_api"]


@pytest.fixture
def charlie(practice: Practice) -> Iterator[Practice]:
    """A practice signed up for this test (its schema active), so dropping it harms no other."""
    connection.set_schema_to_public()
    made = practice_create(
        name="Charlie Careers",
        slug="charlie",
        owner_name="Charlie Owner",
        owner_email="owner@charlie.example.com",
        password=PASSWORD,
    )
    connection.set_tenant(made.practice)
    User.objects.create_user("coach@charlie.example.com", PASSWORD, role=Role.COACH)
    yield made.practice
    connection.set_schema_to_public()


@pytest.fixture
def charlie_owner(charlie: Practice) -> User:
    return User.objects.get(role=Role.OWNER)


@pytest.fixture
def subscribed(charlie: Practice, stripe_api: FakeStripe) -> BillingAccount:
    stripe_api.put_subscription(
        sub_id="sub_charlie", customer="cus_charlie", practice_id=charlie.pk
    )
    account = billing_account_for(practice=charlie)
    account.stripe_customer_id = "cus_charlie"
    account.stripe_subscription_id = "sub_charlie"
    account.subscription_status = "active"
    account.save()
    return account


def test_the_practice_goes_after_grace_with_its_subscription(
    charlie, charlie_owner, subscribed, stripe_api, settings: Any
):
    schema, host = charlie.schema_name, practice_host(slug="charlie")
    job = export_request(actor=charlie_owner)
    export_run(export_id=job.pk)
    assert (private_root() / "exports" / schema).exists()
    request = practice_deletion_schedule(actor=charlie_owner, confirm_name="Charlie Careers")
    assert request.due_at - request.requested_at == timedelta(days=GRACE_DAYS)

    result = practice_sweep(now=request.due_at + timedelta(minutes=1))

    assert result.practice_dropped
    assert not schema_exists(schema)
    assert not Practice.objects.filter(schema_name=schema).exists()
    assert not Domain.objects.filter(domain=host).exists()
    assert not BillingAccount.objects.filter(pk=subscribed.pk).exists()
    assert [c.path for c in stripe_api.calls("DELETE", r"/v1/subscriptions/\w+")] == [
        "/v1/subscriptions/sub_charlie"
    ]
    assert not (private_root() / "exports" / schema).exists()
    assert HttpClient(HTTP_HOST=host).get("/").status_code == 404  # no such practice


def test_nothing_is_dropped_during_grace(charlie, charlie_owner, subscribed, stripe_api):
    request = practice_deletion_schedule(actor=charlie_owner, confirm_name="Charlie Careers")

    result = practice_sweep(now=request.due_at - timedelta(minutes=1))

    assert not result.practice_dropped
    assert schema_exists(charlie.schema_name)
    assert stripe_api.calls("DELETE", r"/v1/subscriptions/\w+") == []


def test_undo_keeps_the_practice(charlie, charlie_owner, subscribed, stripe_api):
    request = practice_deletion_schedule(actor=charlie_owner, confirm_name="Charlie Careers")
    practice_deletion_cancel(request=request, actor=charlie_owner)

    result = practice_sweep(now=request.due_at + timedelta(days=1))

    assert not result.practice_dropped
    assert schema_exists(charlie.schema_name)
    assert stripe_api.calls("DELETE", r"/v1/subscriptions/\w+") == []


def test_the_owners_are_told_by_email(charlie, charlie_owner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        request = practice_deletion_schedule(actor=charlie_owner, confirm_name="Charlie Careers")
    with django_capture_on_commit_callbacks(execute=True):
        practice_deletion_cancel(request=request, actor=charlie_owner)

    assert [(m.subject, m.to) for m in mail.outbox] == [
        (f"Charlie Careers will be deleted on {day(request.due_at)}", [charlie_owner.email]),
        ("Charlie Careers will not be deleted", [charlie_owner.email]),
    ]


def test_when_stripe_cannot_be_reached_nothing_is_dropped(
    charlie, charlie_owner, subscribed, settings
):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    request = practice_deletion_schedule(actor=charlie_owner, confirm_name="Charlie Careers")

    result = practice_sweep(now=request.due_at + timedelta(minutes=1))

    assert not result.practice_dropped
    assert result.failed == ["practice_deletion"]
    assert schema_exists(charlie.schema_name)
    assert BillingAccount.objects.get(pk=subscribed.pk).subscription_status == "active"


def test_the_name_must_be_typed_exactly(charlie, charlie_owner):
    with pytest.raises(ValidationError) as exc:
        practice_deletion_schedule(actor=charlie_owner, confirm_name="charlie")
    assert exc.value.message_dict["confirm_name"] == [
        "Type the practice's name exactly as shown: Charlie Careers."
    ]


def test_only_the_owner_may_delete_or_undo(charlie, charlie_owner):
    coach = User.objects.get(email="coach@charlie.example.com")
    with pytest.raises(NotFound):
        practice_deletion_schedule(actor=coach, confirm_name="Charlie Careers")
    request = practice_deletion_schedule(actor=charlie_owner, confirm_name="Charlie Careers")
    with pytest.raises(NotFound):
        practice_deletion_cancel(request=request, actor=coach)


def test_a_practice_without_billing_is_dropped_too(charlie, charlie_owner):
    request = practice_deletion_schedule(actor=charlie_owner, confirm_name="Charlie Careers")

    assert practice_sweep(now=request.due_at + timedelta(minutes=1)).practice_dropped
    assert not schema_exists("p_charlie")
