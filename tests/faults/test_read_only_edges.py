"""The edges of a read-only (lapsed) practice: who is told what, in which order and format.

A request that has no key, or a bad one, is told so first (401): billing is no business of an
unknown caller. A known member writing gets 402 in the API's error format, with `reason`; the
owner is told where to pay (`billing_url`, the billing page on the practice's host), everyone
else to ask the owner. Reading keeps working.
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client as HttpClient
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from billing.models import BillingAccount
from coaching.models import Client
from tests.billing.conftest import account, stripe_api
from tests.conftest import SeededPractice

__all__ = ["account", "stripe_api"]

WRITES: list[tuple[str, str, dict[str, Any]]] = [
    ("POST", "/api/v1/contacts/", {"client": 1, "name": "Ann"}),
    ("PATCH", "/api/v1/clients/1/", {"headline": "x"}),
    ("DELETE", "/api/v1/interactions/1/", {}),
    ("POST", "/api/v1/api-keys/", {"name": "k"}),
]


@pytest.fixture
def lapsed(account: BillingAccount, search: Client) -> BillingAccount:
    """Practice A, with Cleo's search, after its trial ended."""
    account.trial_ends_at = timezone.now() - timedelta(minutes=1)
    account.save()
    return account


def _error(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    return dict(body["error"])


@pytest.mark.parametrize(("method", "path", "body"), WRITES)
def test_no_key_or_a_bad_key_is_told_401_before_anything_about_billing(
    lapsed: BillingAccount, seeded: dict[str, SeededPractice], method: str, path: str, body: Any
) -> None:
    nobody = APIClient(HTTP_HOST=seeded["a"].host)
    forged = APIClient(HTTP_HOST=seeded["a"].host)
    forged.credentials(HTTP_AUTHORIZATION="Api-Key abcdefgh.not-a-real-secret")
    malformed = APIClient(HTTP_HOST=seeded["a"].host)
    malformed.credentials(HTTP_AUTHORIZATION="Api-Key \x7f")

    for api, code in ((nobody, "not_authenticated"), (forged, "invalid_api_key"),
                      (malformed, "invalid_api_key")):  # fmt: skip
        response = api.generic(method, path, "{}", content_type="application/json")
        assert response.status_code == 401, response.content
        assert _error(response)["code"] == code
        assert response["WWW-Authenticate"] == "Api-Key"


def test_the_owner_is_told_where_to_pay(
    lapsed: BillingAccount, owner_api: APIClient, search: Client, seeded: dict[str, SeededPractice]
) -> None:
    response = owner_api.post("/api/v1/contacts/", {"client": search.pk, "name": "Ann"})

    assert response.status_code == 402
    error = _error(response)
    billing = f"http://{seeded['a'].host}/settings/billing/"
    assert error == {
        "code": "practice_read_only",
        "message": error["message"],
        "reason": "trial_ended",
        "billing_url": billing,
    }
    assert f"subscribe in Settings → Billing ({billing})" in error["message"]
    assert "ask the practice owner" not in error["message"]


@pytest.mark.parametrize("member", ["coach", "client"])
def test_anyone_else_is_told_to_ask_the_owner(
    lapsed: BillingAccount,
    api_for: Callable[..., APIClient],
    request: pytest.FixtureRequest,
    search: Client,
    member: str,
) -> None:
    user: User = request.getfixturevalue({"coach": "coach", "client": "client_user"}[member])
    response = api_for(user).post("/api/v1/contacts/", {"client": search.pk, "name": "Ann"})

    assert response.status_code == 402
    error = _error(response)
    assert (error["code"], error["reason"], error["billing_url"]) == (
        "practice_read_only",
        "trial_ended",
        None,
    )
    assert "ask the practice owner to subscribe" in error["message"]


def test_reading_keeps_working_and_nothing_is_written(
    lapsed: BillingAccount, owner_api: APIClient, search: Client, unchanged: Any
) -> None:
    with unchanged():
        assert owner_api.post(
            "/api/v1/contacts/", {"client": search.pk, "name": "A"}
        ).status_code == (402)
    assert owner_api.get("/api/v1/contacts/").status_code == 200
    assert owner_api.get(f"/api/v1/clients/{search.pk}/report/").status_code == 200


def test_a_page_asking_for_json_gets_the_same_error_format(
    lapsed: BillingAccount, http: HttpClient, owner: User
) -> None:
    http.force_login(owner)
    response = http.post("/members/", {"email": "x@example.com"}, HTTP_ACCEPT="application/json")

    assert response.status_code == 402
    error = _error(response)
    assert error["code"] == "practice_read_only"
    assert error["billing_url"].endswith("/settings/billing/")
