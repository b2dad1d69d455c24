"""Seats and read-only: what a practice may do given its billing, and the one place enforcing it."""

from collections.abc import Callable
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client as HttpClient
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Invitation, User
from billing.entitlements import Access, access_state, practice_is_writable, seats_check
from billing.models import BillingAccount
from billing.services import billing_account_for
from coaching.choices import ClientStatus
from coaching.models import Client
from tenants.models import Practice
from tests.billing.conftest import invoice_object, subscribe
from tests.billing.fake_stripe import FakeStripe
from tests.conftest import PASSWORD

Apply = Callable[..., bool]
INVITE = {"email": "new.coach@alpha.example.com", "name": "New", "role": "coach"}


def _rows(practice: Practice) -> tuple[int, int, int]:
    with schema_context(practice.schema_name):
        return Client.objects.count(), User.objects.count(), Invitation.objects.count()


def test_payment_failure_turns_read_only_after_grace_and_paying_restores_at_once(
    apply_event: Apply,
    stripe_api: FakeStripe,
    account: BillingAccount,
    practice: Practice,
    owner: User,
    http: HttpClient,
    make_clients: Callable[..., list[Client]],
) -> None:
    make_clients(2)
    make_clients(1, status=ClientStatus.PAUSED)
    subscribe(apply_event, stripe_api, quantity=5)
    stripe_api.put_subscription(status="past_due", quantity=5)
    failed_at = timezone.now() - timedelta(days=8)
    apply_event("evt_failed", "invoice.payment_failed", invoice_object(paid=False), now=failed_at)

    account.refresh_from_db()
    assert account.past_due_since == failed_at
    assert practice_is_writable(practice=practice, now=failed_at + timedelta(days=6, hours=23))
    assert not practice_is_writable(practice=practice, now=failed_at + timedelta(days=7, seconds=1))

    # Eight days on, the practice is read-only: unsafe requests refused, everything readable.
    rows = _rows(practice)
    http.force_login(owner)
    refused = http.post("/members/", INVITE)
    assert refused.status_code == 402
    assert "read-only" in refused.content.decode()
    assert "update the card in Settings → Billing" in refused.content.decode()
    as_json = http.post("/members/", INVITE, content_type="application/json")
    assert as_json.status_code == 402
    assert as_json.json()["error"]["code"] == "practice_read_only"  # the API's error format
    assert as_json.json()["error"]["billing_url"].endswith("/settings/billing/")
    for method in (http.put, http.patch, http.delete):
        assert method("/members/").status_code == 402
    assert http.get("/members/").status_code == 200
    assert http.get("/settings/billing/").status_code == 200
    assert _rows(practice) == rows, "nothing was written, nothing deleted"

    # Paying restores writing at once.
    stripe_api.put_subscription(status="active", quantity=5)
    apply_event("evt_paid", "invoice.paid", invoice_object(paid=True))
    assert practice_is_writable(practice=practice)
    assert http.post("/members/", INVITE).status_code == 302
    with schema_context(practice.schema_name):
        assert Invitation.objects.filter(email=INVITE["email"]).exists()


def test_read_only_message_for_members_points_to_the_owner(
    account: BillingAccount, practice: Practice, coach: User, http: HttpClient
) -> None:
    account.trial_ends_at = timezone.now() - timedelta(minutes=1)
    account.save()
    http.force_login(coach)

    response = http.post("/members/", INVITE, HTTP_ACCEPT="application/json")

    assert response.status_code == 402
    body = response.json()["error"]
    assert body["reason"] == "trial_ended"
    assert "ask the practice owner to subscribe" in body["message"]
    assert body["billing_url"] is None


def test_read_only_practice_can_still_log_in_out_and_reach_billing(
    stripe_api: FakeStripe,
    account: BillingAccount,
    practice: Practice,
    owner: User,
    http: HttpClient,
) -> None:
    account.trial_ends_at = timezone.now() - timedelta(days=1)
    account.save()

    login = http.post("/accounts/login/", {"login": owner.email, "password": PASSWORD})
    assert login.status_code == 302
    portal = http.post("/settings/billing/portal/")
    assert portal.status_code == 303
    assert portal["Location"].startswith("https://billing.stripe.com/")
    assert http.post("/accounts/logout/").status_code == 302
    assert http.get("/").status_code == 302  # logged out indeed


def test_other_practices_stay_writable(
    account: BillingAccount, practice: Practice, other_practice: Practice
) -> None:
    account.trial_ends_at = timezone.now() - timedelta(days=1)
    account.save()

    assert not practice_is_writable(practice=practice)
    assert practice_is_writable(practice=other_practice)  # its own trial is running


def _account(**fields: Any) -> BillingAccount:
    fields.setdefault("trial_ends_at", timezone.now() + timedelta(days=3))
    return BillingAccount(**fields)


def _ago(**delta: float) -> Any:
    return timezone.now() - timedelta(**delta)


@pytest.mark.parametrize(
    ("fields", "access", "writable"),
    [
        ({}, Access.TRIAL, True),
        ({"trial_ends_at": _ago(seconds=1)}, Access.TRIAL_ENDED, False),
        ({"subscription_status": "active", "seats": 4}, Access.ACTIVE, True),
        ({"subscription_status": "trialing", "seats": 4}, Access.ACTIVE, True),
        (
            {"subscription_status": "past_due", "past_due_since": _ago(days=6)},
            Access.PAST_DUE,
            True,
        ),
        (
            {"subscription_status": "past_due", "past_due_since": _ago(days=8)},
            Access.PAYMENT_FAILED,
            False,
        ),
        (
            {"subscription_status": "unpaid", "trial_ends_at": _ago(days=30)},
            Access.PAYMENT_FAILED,
            False,
        ),
        (
            {"subscription_status": "canceled", "trial_ends_at": _ago(days=30)},
            Access.CANCELED,
            False,
        ),
        ({"subscription_status": "paused", "trial_ends_at": _ago(days=30)}, Access.CANCELED, False),
        (
            {"subscription_status": "incomplete", "trial_ends_at": _ago(days=1)},
            Access.TRIAL_ENDED,
            False,
        ),
        ({"subscription_status": "canceled"}, Access.TRIAL, True),  # cancelled within the trial
    ],
)
@pytest.mark.usefixtures("stripe_api")
def test_access_rules(fields: dict[str, Any], access: Access, writable: bool) -> None:
    state = access_state(account=_account(**fields), now=timezone.now())

    assert (state.access, state.writable) == (access, writable)


def test_seat_limit_at_the_boundary(
    apply_event: Apply,
    stripe_api: FakeStripe,
    account: BillingAccount,
    practice: Practice,
    make_clients: Callable[..., list[Client]],
) -> None:
    subscribe(apply_event, stripe_api, quantity=3)
    make_clients(2)
    make_clients(2, status=ClientStatus.PAUSED)
    make_clients(1, status=ClientStatus.LANDED)  # paused and landed clients take no seat

    seats_check(practice=practice)  # the third active client fits exactly
    with pytest.raises(ValidationError) as too_many:
        seats_check(practice=practice, adding=2)
    make_clients(1)
    with pytest.raises(ValidationError) as full:
        seats_check(practice=practice)

    assert list(full.value.message_dict) == ["seats"]
    assert full.value.message_dict["seats"] == [
        "Your plan covers 3 active clients and 3 are active. To add 1 more, add seats in "
        "Settings → Billing (or pause a client who is not searching)."
    ]
    assert "To add 2 more, add seats in Settings → Billing" in str(too_many.value)


def test_trial_seats_and_the_way_out(
    stripe_api: FakeStripe,
    settings: Any,
    practice: Practice,
    make_clients: Callable[..., list[Client]],
) -> None:
    settings.BILLING_TRIAL_SEATS = 2
    make_clients(2)

    with pytest.raises(ValidationError) as exc:
        seats_check(practice=practice)

    assert "The free trial covers 2 active clients" in exc.value.message_dict["seats"][0]
    assert "subscribe in Settings → Billing" in exc.value.message_dict["seats"][0]


def test_trial_counts_from_signup_not_from_when_the_spare_schema_was_made(
    stripe_api: FakeStripe, practice: Practice, owner: User
) -> None:
    Practice.objects.filter(pk=practice.pk).update(
        created_at=timezone.now() - timedelta(days=60)
    )  # the spare waited two months in the pool
    practice.refresh_from_db()

    account = billing_account_for(practice=practice)

    assert account.trial_ends_at == owner.date_joined + timedelta(days=14)
    assert practice_is_writable(practice=practice)


def test_extending_trials_when_billing_is_turned_on(
    stripe_api: FakeStripe, practice: Practice, other_practice: Practice
) -> None:
    Practice.objects.update(created_at=timezone.now() - timedelta(days=200))
    for user_practice in (practice, other_practice):
        with schema_context(user_practice.schema_name):
            User.objects.update(date_joined=timezone.now() - timedelta(days=200))
        user_practice.refresh_from_db()
    assert not practice_is_writable(practice=practice)

    call_command("billing_extend_trials", "--days", "30", stdout=StringIO())

    assert practice_is_writable(practice=practice)
    assert practice_is_writable(practice=other_practice, now=timezone.now() + timedelta(days=29))
    assert not practice_is_writable(practice=practice, now=timezone.now() + timedelta(days=31))


def test_opening_or_reactivating_a_search_beyond_the_paid_seats_is_refused(
    apply_event: Apply,
    stripe_api: FakeStripe,
    account: BillingAccount,
    practice: Practice,
    make_clients: Callable[..., list[Client]],
    owner: User,
) -> None:
    from coaching.services.clients import client_create, client_set_status

    subscribe(apply_event, stripe_api, quantity=2)
    make_clients(2)
    (paused,) = make_clients(1, status=ClientStatus.PAUSED)
    newcomer = User.objects.create_user("new@alpha.example.com", None, role="client")

    with pytest.raises(ValidationError) as opening:
        client_create(
            actor=owner, user=newcomer, coach=owner, search_started_on=timezone.localdate()
        )
    with pytest.raises(ValidationError) as reactivating:
        client_set_status(client=paused, actor=owner, status=ClientStatus.ACTIVE)

    for refused in (opening, reactivating):
        assert "add seats in Settings → Billing" in refused.value.message_dict["seats"][0]
    assert not Client.objects.filter(user=newcomer).exists()
    paused.refresh_from_db()
    assert paused.status == ClientStatus.PAUSED


def test_unsubscribing_works_while_the_practice_is_read_only(
    http: HttpClient, practice: Practice, account: BillingAccount, client_user: User
) -> None:
    from notifications.services import preference_enabled
    from notifications.tokens import unsubscribe_token

    account.trial_ends_at = timezone.now() - timedelta(days=1)
    account.save()
    assert not practice_is_writable(practice=practice)
    token = unsubscribe_token(user_id=client_user.pk, topic="follow_ups")

    response = http.post(f"/notifications/unsubscribe/{token}/")

    assert response.status_code == 200
    assert not preference_enabled(user_id=client_user.pk, topic="follow_ups")
