"""One set of numbers for what a seat costs and how long the trial lasts (billing/plans.py): the
pricing page shows the settings', a new practice's trial lasts as long as the page says, and
checkout refuses a Stripe Price that would charge otherwise."""

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient

from accounts.models import User
from billing.models import BillingAccount
from billing.plans import money, plan_terms, price_problem, trial_days
from billing.selectors import trial_start
from billing.services import billing_account_for, checkout_session_create
from tenants.models import Practice
from tests.billing.fake_stripe import SOLO_PRICE, UNIT_AMOUNTS, FakeStripe

pytestmark = pytest.mark.django_db


def test_the_pricing_page_shows_the_settings_numbers(
    public_http: HttpClient, settings: Any
) -> None:
    settings.BILLING_SEAT_PRICE_SOLO = 2450
    settings.BILLING_SEAT_PRICE_TEAM = 3900
    settings.BILLING_TRIAL_DAYS = 21
    settings.BILLING_TRIAL_SEATS = 8
    html = public_http.get("/pricing/").content.decode()
    assert 'data-plan="solo">$24.50 <small>per active client a month' in html
    assert 'data-plan="team">$39 <small>per active client a month' in html
    assert "21-day free trial for up to 8 active clients" in html
    assert "Start your 21-day free trial" in html


def test_a_new_practice_gets_the_trial_the_pricing_page_promises(
    practice: Practice, settings: Any
) -> None:
    settings.BILLING_TRIAL_DAYS = 30
    BillingAccount.objects.filter(practice=practice).delete()
    account = billing_account_for(practice=practice)
    assert account.trial_ends_at - trial_start(practice=practice) == timedelta(days=trial_days())
    assert trial_days() == 30


def test_the_shown_price_agrees_with_what_stripe_charges(stripe_api: FakeStripe) -> None:
    """The billing fixtures' settings and the fake Stripe's Prices: no disagreement."""
    for terms in plan_terms():
        price = {"solo": SOLO_PRICE}.get(terms.plan, "price_team_test")
        assert (
            price_problem(plan=terms.plan, unit_amount=UNIT_AMOUNTS[price], price_currency="usd")
            is None
        )
        assert terms.seat_price == UNIT_AMOUNTS[price]


def test_checkout_refuses_a_price_the_page_does_not_show(
    stripe_api: FakeStripe, practice: Practice, owner: User, settings: Any
) -> None:
    settings.BILLING_SEAT_PRICE_SOLO = UNIT_AMOUNTS[SOLO_PRICE] + 100  # the page says more
    with pytest.raises(ValidationError) as refused:
        checkout_session_create(
            practice=practice, actor=owner, plan="solo", return_url="http://x/settings/billing/"
        )
    assert "cannot be bought right now" in str(refused.value)
    assert not stripe_api.calls("POST", "/v1/checkout/sessions")
    settings.BILLING_SEAT_PRICE_SOLO = UNIT_AMOUNTS[SOLO_PRICE]
    url = checkout_session_create(
        practice=practice, actor=owner, plan="solo", return_url="http://x/settings/billing/"
    )
    assert url.startswith("https://checkout.stripe.com/")


def test_money_reads_like_a_price() -> None:
    assert money(amount=2900, currency="usd") == "$29"
    assert money(amount=2950, currency="eur") == "€29.50"
    assert money(amount=2900, currency="chf") == "29.00 CHF"
    assert "charges €9" in (price_problem(plan="solo", unit_amount=900, price_currency="eur") or "")
