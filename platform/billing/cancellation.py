"""Ending a practice's subscription at once, because the practice itself is being deleted.

(A customer who only wants to stop paying cancels in Stripe's portal, at the end of the period;
that keeps the practice, read-only, with everything exportable.)
"""

import logging

import stripe

from billing import stripe_api
from billing.models import BillingAccount, SubscriptionStatus
from tenants.models import Practice

logger = logging.getLogger(__name__)

ENDED = frozenset({SubscriptionStatus.CANCELED, SubscriptionStatus.INCOMPLETE_EXPIRED})


def subscription_cancel_now(*, practice: Practice) -> bool:
    """Cancel the practice's Stripe subscription now, without waiting for the period's end.

    Returns whether a subscription was cancelled (False: none, billing not configured, or it had
    already ended; one Stripe no longer knows counts as ended). Any other Stripe failure is
    raised: the caller must not delete the practice then, and tries again later."""
    if not stripe_api.is_configured():
        return False
    account = BillingAccount.objects.filter(practice=practice).first()
    if account is None or not account.stripe_subscription_id:
        return False
    if account.subscription_status in ENDED:
        return False
    try:
        stripe_api.client().v1.subscriptions.cancel(
            account.stripe_subscription_id,
            options={"idempotency_key": f"warmpath-delete-{practice.pk}-{account.pk}"},
        )
    except stripe.InvalidRequestError as exc:
        if exc.code != "resource_missing":
            raise
        logger.info("subscription %s was already gone", account.stripe_subscription_id)
    account.subscription_status = SubscriptionStatus.CANCELED
    account.cancel_at_period_end = False
    account.past_due_since = None
    account.save(update_fields=["subscription_status", "cancel_at_period_end", "past_due_since"])
    return True
