"""Platform staff see practices, plans and billing status in the public site's admin."""

from django.db import connection
from django.test import Client as HttpClient

from accounts.models import User
from billing.models import BillingAccount, StripeEvent
from tests.billing.conftest import Deliver, subscribe
from tests.billing.fake_stripe import FakeStripe


def test_staff_see_practices_plans_and_billing_status(
    apply_event: Deliver,
    deliver: Deliver,
    stripe_api: FakeStripe,
    account: BillingAccount,
    public_http: HttpClient,
) -> None:
    subscribe(apply_event, stripe_api, quantity=3)
    deliver("evt_unprocessed", "invoice.paid", {"id": "in_1", "object": "invoice"})
    connection.set_schema_to_public()
    staff = User.objects.create_superuser("staff@warmpath.test", "a-long-staff-password-1")
    public_http.force_login(staff)

    practices = public_http.get("/admin/tenants/practice/").content.decode()
    accounts = public_http.get("/admin/billing/billingaccount/").content.decode()
    events = public_http.get("/admin/billing/stripeevent/").content.decode()

    assert "Alpha Coaching" in practices
    assert "Bravo Careers" in practices
    assert "Team" in practices
    assert "Active" in practices
    assert "trial (not started)" in practices  # Bravo has not looked at billing yet
    assert "Alpha Coaching" in accounts
    assert "active" in accounts
    assert "evt_created" in events
    assert "evt_unprocessed" in events
    assert StripeEvent.objects.filter(processed_at=None).count() == 1
    practice_page = public_http.get(f"/admin/tenants/practice/{account.practice_id}/change/")
    assert practice_page.status_code == 200
    assert (
        public_http.get(f"/admin/tenants/practice/{account.practice_id}/delete/").status_code == 403
    )
