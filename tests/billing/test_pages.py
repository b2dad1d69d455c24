"""The owner's billing page: Checkout, Portal and seats, on the practice's own host only."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.utils import timezone

from accounts.models import User
from billing.models import BillingAccount
from billing.services import billing_account_for
from coaching.models import Client
from tenants.models import Practice
from tests.billing.conftest import subscribe
from tests.billing.fake_stripe import TEAM_PRICE, FakeStripe
from tests.conftest import PASSWORD

Apply = Callable[..., bool]


def test_owner_sees_plan_seats_and_next_invoice(
    apply_event: Apply,
    stripe_api: FakeStripe,
    account: BillingAccount,
    owner: User,
    http: HttpClient,
    make_clients: Callable[..., list[Client]],
) -> None:
    subscribe(apply_event, stripe_api, quantity=3)
    make_clients(2)
    http.force_login(owner)

    page = http.get("/settings/billing/").content.decode()

    assert "Team plan" in page
    assert "2 of 3 seats" in page
    assert "May 28, 2026, about 45.00 USD" in page
    assert "Manage billing" in page
    assert "Subscribe to" not in page


def test_trial_page_offers_both_plans(
    stripe_api: FakeStripe, practice: Practice, owner: User, http: HttpClient
) -> None:
    http.force_login(owner)

    page = http.get("/settings/billing/").content.decode()

    assert "No plan yet" in page
    assert "Free trial until" in page
    assert "Subscribe to Solo" in page
    assert "Subscribe to Team" in page
    assert "Manage billing" not in page
    assert not BillingAccount.objects.exists(), "looking at billing writes nothing"


def test_checkout_creates_the_customer_once_and_redirects_to_stripe(
    stripe_api: FakeStripe,
    practice: Practice,
    owner: User,
    http: HttpClient,
    make_clients: Callable[..., list[Client]],
) -> None:
    make_clients(4)
    http.force_login(owner)

    first = http.post("/settings/billing/checkout/", {"plan": "team"})
    second = http.post("/settings/billing/checkout/", {"plan": "team"})

    assert first.status_code == 303
    assert first["Location"].startswith("https://checkout.stripe.com/c/pay/cs_test_")
    assert second.status_code == 303
    [customer] = stripe_api.calls("POST", "/v1/customers")
    assert customer.params["email"] == "owner@alpha.example.com"
    assert customer.params["metadata[practice_id]"] == str(practice.pk)
    session = stripe_api.calls("POST", "/v1/checkout/sessions")[0].params
    assert session["mode"] == "subscription"
    assert session["customer"] == billing_account_for(practice=practice).stripe_customer_id
    assert session["client_reference_id"] == str(practice.pk)
    assert session["line_items[0][price]"] == TEAM_PRICE
    assert session["line_items[0][quantity]"] == "4"
    assert session["subscription_data[metadata][practice_id]"] == str(practice.pk)
    assert session["success_url"] == "http://alpha.localhost/settings/billing/?checkout=done"


def test_checkout_refuses_unknown_plans_and_second_subscriptions(
    apply_event: Apply,
    stripe_api: FakeStripe,
    account: BillingAccount,
    owner: User,
    http: HttpClient,
) -> None:
    http.force_login(owner)

    unknown = http.post("/settings/billing/checkout/", {"plan": "enterprise"}, follow=True)
    assert "Choose a plan this server offers (Solo or Team)." in unknown.content.decode()

    subscribe(apply_event, stripe_api, quantity=1)
    again = http.post("/settings/billing/checkout/", {"plan": "solo"}, follow=True)
    assert "already has a subscription" in again.content.decode()
    assert stripe_api.calls("POST", "/v1/checkout/sessions") == []


def test_portal_needs_a_customer_then_links_to_stripe(
    stripe_api: FakeStripe, practice: Practice, owner: User, http: HttpClient
) -> None:
    http.force_login(owner)

    without = http.post("/settings/billing/portal/", follow=True)
    assert "subscribe to a plan first" in without.content.decode()

    billing_account_for(practice=practice)
    BillingAccount.objects.update(stripe_customer_id="cus_test_1")
    portal = http.post("/settings/billing/portal/")
    assert portal.status_code == 303
    assert portal["Location"].startswith("https://billing.stripe.com/p/session/")
    [call] = stripe_api.calls("POST", "/v1/billing_portal/sessions")
    assert call.params == {
        "customer": "cus_test_1",
        "return_url": "http://alpha.localhost/settings/billing/",
    }


def test_owner_changes_seats_but_not_below_active_clients(
    apply_event: Apply,
    stripe_api: FakeStripe,
    account: BillingAccount,
    owner: User,
    http: HttpClient,
    make_clients: Callable[..., list[Client]],
) -> None:
    subscribe(apply_event, stripe_api, quantity=3)
    make_clients(3)
    http.force_login(owner)

    too_few = http.post("/settings/billing/seats/", {"seats": "2"}, follow=True)
    assert "3 clients are active, so the plan needs at least 3 seats" in too_few.content.decode()
    more = http.post("/settings/billing/seats/", {"seats": "8"}, follow=True)
    assert "Your plan now covers 8 active clients." in more.content.decode()

    [update] = stripe_api.calls("POST", "/v1/subscriptions/sub_test_1")
    assert update.params["items[0][id]"] == "si_sub_test_1"
    assert update.params["items[0][quantity]"] == "8"
    account.refresh_from_db()
    assert account.seats == 8


@pytest.mark.parametrize("who", ["coach", "client_user"])
def test_coaches_and_clients_cannot_reach_billing(
    who: str, request: pytest.FixtureRequest, stripe_api: FakeStripe, http: HttpClient
) -> None:
    http.force_login(request.getfixturevalue(who))

    assert http.get("/settings/billing/").status_code == 404
    assert http.post("/settings/billing/checkout/", {"plan": "team"}).status_code == 404
    assert http.post("/settings/billing/portal/").status_code == 404
    assert http.post("/settings/billing/seats/", {"seats": "9"}).status_code == 404
    assert stripe_api.requests == []


def test_another_practices_owner_cannot_see_or_manage_this_billing(
    stripe_api: FakeStripe,
    account: BillingAccount,
    other_practice: Practice,
    http: HttpClient,
    other_http: HttpClient,
) -> None:
    assert (
        other_http.post(
            "/accounts/login/", {"login": "owner@bravo.example.com", "password": PASSWORD}
        ).status_code
        == 302
    )
    own = other_http.get("/settings/billing/")
    assert own.status_code == 200
    assert "Bravo Careers" in own.content.decode()

    http.cookies = other_http.cookies  # B's owner, same browser, on A's host
    for response in (
        http.get("/settings/billing/"),
        http.post("/settings/billing/portal/"),
        http.post("/settings/billing/checkout/", {"plan": "team"}),
    ):
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    connection.set_schema_to_public()
    assert not BillingAccount.objects.filter(practice=other_practice).exists()
    assert stripe_api.requests == []


def test_no_stripe_key_means_not_configured_and_nothing_locks(
    settings: Any,
    practice: Practice,
    owner: User,
    http: HttpClient,
    public_http: HttpClient,
    make_clients: Callable[..., list[Client]],
) -> None:
    assert settings.STRIPE_SECRET_KEY == ""
    account = billing_account_for(practice=practice)
    account.trial_ends_at = timezone.now() - timedelta(days=90)
    account.subscription_status = "canceled"
    account.save()
    make_clients(30)
    http.force_login(owner)

    page = http.get("/settings/billing/")
    assert "Billing is not configured" in page.content.decode()
    assert (
        http.post("/settings/billing/checkout/", {"plan": "team"}, follow=True).status_code == 200
    )
    assert (
        http.post("/members/", {"email": "x@alpha.example.com", "role": "coach"}).status_code == 302
    )

    from billing.entitlements import practice_is_writable, seats_check

    assert practice_is_writable(practice=practice, now=timezone.now() + timedelta(days=365))
    seats_check(practice=practice, adding=100)

    signup = public_http.post(
        "/signup/",
        {
            "name": "Northwind Careers",
            "slug": "northwind",
            "owner_name": "Nora Wind",
            "owner_email": "nora@northwind.example.com",
            "password": "a-long-signup-password-9",
        },
    )
    assert signup.status_code == 302
    assert Practice.objects.filter(slug="northwind").exists()
