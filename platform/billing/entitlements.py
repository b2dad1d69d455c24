"""What a practice may do given its billing: write at all, and how many active clients it may have.

`access_state` is the one rule. The pages' read-only middleware and the API's base view ask it
through `read_only_refusal` (which also says what to do about it), the import job (a write that
runs later) through `practice_access`, and the client-creation service through `seats_check`.
With billing not configured nothing is ever refused.
"""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from billing import stripe_api
from billing.models import BillingAccount, SubscriptionStatus
from billing.selectors import active_client_count, billing_account_peek, grace_period
from tenants.models import Practice

WHERE = "Settings → Billing"


class Access(StrEnum):
    NOT_CONFIGURED = "not_configured"
    TRIAL = "trial"
    ACTIVE = "active"
    PAST_DUE = "past_due"  # a payment failed; Stripe is retrying and the grace period runs
    TRIAL_ENDED = "trial_ended"
    PAYMENT_FAILED = "payment_failed"  # unpaid, or past due beyond the grace period
    CANCELED = "canceled"


OWNER_ACTS = {  # {where}: WHERE, with the billing page's address when the caller knows it
    Access.PAST_DUE: "update the card in {where}",
    Access.TRIAL_ENDED: "subscribe in {where}",
    Access.PAYMENT_FAILED: "update the card in {where}",
    Access.CANCELED: "subscribe again in {where}",
}
MEMBER_ACTS = {
    Access.PAST_DUE: "ask the practice owner to update the payment card",
    Access.TRIAL_ENDED: "ask the practice owner to subscribe",
    Access.PAYMENT_FAILED: "ask the practice owner to update the payment card",
    Access.CANCELED: "ask the practice owner to subscribe again",
}
WRITABLE = frozenset({Access.NOT_CONFIGURED, Access.TRIAL, Access.ACTIVE, Access.PAST_DUE})


@dataclass(frozen=True, slots=True)
class AccessState:
    access: Access
    seats_allowed: int | None  # None: no limit
    until: datetime | None = None  # end of the trial or of the grace period

    @property
    def writable(self) -> bool:
        return self.access in WRITABLE

    def message(self, *, is_owner: bool, billing_url: str | None = None) -> str:
        """What to tell a person, and what to do about it (the owner acts, told where: with
        `billing_url`, the page's address too; others ask the owner)."""
        where = f"{WHERE} ({billing_url})" if billing_url else WHERE
        acts = OWNER_ACTS if is_owner else MEMBER_ACTS
        act = acts.get(self.access, "").format(where=where)
        when = f"{self.until:%B} {self.until.day}" if self.until else ""
        return {
            Access.NOT_CONFIGURED: "Billing is not configured on this server.",
            Access.TRIAL: f"Free trial until {when}.",
            Access.ACTIVE: "Subscription active.",
            Access.PAST_DUE: (
                f"The last payment failed and Stripe is retrying. To keep editing after {when}, "
                f"{act}."
            ),
            Access.TRIAL_ENDED: (
                "The free trial has ended, so this practice is read-only: everything stays "
                f"visible and exportable, and nothing is deleted. To make changes again, {act}."
            ),
            Access.PAYMENT_FAILED: (
                "Payment for this practice's subscription failed, so the practice is read-only: "
                "everything stays visible and exportable, and nothing is deleted. To make changes "
                f"again, {act}; paying restores editing at once."
            ),
            Access.CANCELED: (
                "This practice's subscription was cancelled, so the practice is read-only: "
                "everything stays visible and exportable, and nothing is deleted. To make changes "
                f"again, {act}."
            ),
        }[self.access]


def access_state(*, account: BillingAccount, now: datetime) -> AccessState:
    if not stripe_api.is_configured():
        return AccessState(Access.NOT_CONFIGURED, seats_allowed=None)
    status = account.subscription_status
    if status == SubscriptionStatus.PAST_DUE:
        grace_ends = (account.past_due_since or now) + grace_period()
        if now < grace_ends:
            return AccessState(Access.PAST_DUE, seats_allowed=account.seats, until=grace_ends)
        return AccessState(Access.PAYMENT_FAILED, seats_allowed=0)
    if account.has_live_subscription:
        return AccessState(Access.ACTIVE, seats_allowed=account.seats)
    if now < account.trial_ends_at:
        trial_seats = settings.BILLING_TRIAL_SEATS
        return AccessState(Access.TRIAL, seats_allowed=trial_seats, until=account.trial_ends_at)
    if status == SubscriptionStatus.UNPAID:
        return AccessState(Access.PAYMENT_FAILED, seats_allowed=0)
    if status in {SubscriptionStatus.CANCELED, SubscriptionStatus.PAUSED}:
        return AccessState(Access.CANCELED, seats_allowed=0)
    return AccessState(Access.TRIAL_ENDED, seats_allowed=0)  # incl. incomplete checkouts


def practice_access(*, practice: Practice, now: datetime | None = None) -> AccessState:
    if not stripe_api.is_configured():  # no query at all in the embedded default
        return AccessState(Access.NOT_CONFIGURED, seats_allowed=None)
    account = billing_account_peek(practice=practice)
    return access_state(account=account, now=now or timezone.now())


@dataclass(frozen=True, slots=True)
class ReadOnlyRefusal:
    """Why a write is refused on a read-only practice, and what the person can do about it."""

    message: str
    reason: str  # the `Access` value
    billing_url: str | None  # where the owner pays; None for anyone else (they ask the owner)


def read_only_refusal(
    *, practice: Practice, is_owner: bool, billing_url: str, now: datetime | None = None
) -> ReadOnlyRefusal | None:
    """None while the practice may write. Otherwise the refusal: the owner is told where to
    pay (`billing_url`, the billing page on the practice's host), others to ask the owner.
    The read-only middleware (pages) and the API (after authentication) both answer with it."""
    state = practice_access(practice=practice, now=now)
    if state.writable:
        return None
    return ReadOnlyRefusal(
        message=state.message(is_owner=is_owner, billing_url=billing_url if is_owner else None),
        reason=state.access.value,
        billing_url=billing_url if is_owner else None,
    )


def practice_is_writable(*, practice: Practice, now: datetime | None = None) -> bool:
    """False while the practice is read-only (trial over, unpaid or cancelled)."""
    return practice_access(practice=practice, now=now).writable


def seats_check(*, practice: Practice, adding: int = 1, now: datetime | None = None) -> None:
    """Refuse to go beyond the paid seats (active clients). Call it before activating or adding
    `adding` clients; raises ValidationError({"seats": [...]}) saying how to add seats."""
    state = practice_access(practice=practice, now=now)
    if state.seats_allowed is None:
        return
    used = active_client_count(practice=practice)
    if used + adding <= state.seats_allowed:
        return
    if not state.writable:
        raise ValidationError({"seats": [state.message(is_owner=True)]})
    covered = (
        f"The free trial covers {state.seats_allowed} active clients"
        if state.access == Access.TRIAL
        else f"Your plan covers {state.seats_allowed} active clients"
    )
    howto = f"subscribe in {WHERE}" if state.access == Access.TRIAL else f"add seats in {WHERE}"
    raise ValidationError(
        {
            "seats": [
                f"{covered} and {used} are active. To add {adding} more, {howto} "
                "(or pause a client who is not searching)."
            ]
        }
    )
