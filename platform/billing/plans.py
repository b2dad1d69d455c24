"""What each plan costs and how long the trial lasts: one set of numbers, from settings, for the
pricing page, the billing settings page and checkout.

Stripe charges what its Price says, so checkout first reads the plan's Price from Stripe and
refuses to start when its amount or currency is not the one shown here (`price_problem`): a
customer never pays a number the pricing page did not show.
"""

from dataclasses import dataclass

from django.conf import settings

from billing.models import Plan

WHAT_EACH_PLAN_IS = {
    Plan.SOLO: "One coach and their clients.",
    Plan.TEAM: "A coaching firm: several coaches, one owner.",
}


@dataclass(frozen=True, slots=True)
class PlanTerms:
    plan: str
    name: str
    blurb: str
    seat_price: int
    """A seat's monthly price in the currency's smallest unit (cents)."""
    currency: str

    @property
    def seat_price_shown(self) -> str:
        return money(amount=self.seat_price, currency=self.currency)


def trial_days() -> int:
    return int(settings.BILLING_TRIAL_DAYS)


def seat_price(*, plan: str) -> int:
    return int(
        {Plan.SOLO: settings.BILLING_SEAT_PRICE_SOLO, Plan.TEAM: settings.BILLING_SEAT_PRICE_TEAM}[
            Plan(plan)
        ]
    )


def currency() -> str:
    return str(settings.BILLING_CURRENCY).lower()


def plan_terms() -> list[PlanTerms]:
    return [
        PlanTerms(
            plan=plan.value,
            name=str(plan.label),
            blurb=WHAT_EACH_PLAN_IS[plan],
            seat_price=seat_price(plan=plan),
            currency=currency(),
        )
        for plan in Plan
    ]


SYMBOLS = {"usd": "$", "eur": "€", "gbp": "£", "cad": "CA$", "aud": "A$"}


def money(*, amount: int, currency: str) -> str:
    """$29 or $29.50; a currency without a symbol here as "29.00 CHF"."""
    whole, cents = divmod(amount, 100)
    number = f"{whole:,}" if not cents else f"{amount / 100:,.2f}"
    symbol = SYMBOLS.get(currency.lower())
    return f"{symbol}{number}" if symbol else f"{amount / 100:,.2f} {currency.upper()}"


def price_problem(*, plan: str, unit_amount: int | None, price_currency: str) -> str | None:
    """Why Stripe's Price for `plan` does not charge what the pricing page shows, or None."""
    shown = money(amount=seat_price(plan=plan), currency=currency())
    if unit_amount is None:
        return (
            f"The Stripe Price of the {Plan(plan).label} plan has no fixed amount; {shown} shown."
        )
    if unit_amount != seat_price(plan=plan) or price_currency.lower() != currency():
        charged = money(amount=unit_amount, currency=price_currency)
        return (
            f"The Stripe Price of the {Plan(plan).label} plan charges {charged} a seat but the "
            f"pricing page shows {shown}: set BILLING_SEAT_PRICE_{plan.upper()} and "
            "BILLING_CURRENCY to the Price's, or point the plan at the right Price."
        )
    return None
