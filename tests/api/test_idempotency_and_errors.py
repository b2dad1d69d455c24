"""Idempotent POSTs, throttling, and the one error format."""

import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from coaching.models import Contact
from integrations.models import IdempotencyRecord
from tests.api.conftest import error_of


def test_a_retried_create_does_not_create_twice(coach_api: APIClient, search) -> None:
    body = {"client": search.pk, "name": "Ann", "email": "ann@acme.test"}
    first = coach_api.post("/api/v1/contacts/", body, HTTP_IDEMPOTENCY_KEY="k-1")
    again = coach_api.post("/api/v1/contacts/", body, HTTP_IDEMPOTENCY_KEY="k-1")

    assert first.status_code == again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Contact.objects.filter(client=search).count() == 1


def test_same_key_different_body_is_refused(coach_api: APIClient, search) -> None:
    coach_api.post(
        "/api/v1/contacts/", {"client": search.pk, "name": "Ann"}, HTTP_IDEMPOTENCY_KEY="k"
    )
    response = coach_api.post(
        "/api/v1/contacts/", {"client": search.pk, "name": "Bob"}, HTTP_IDEMPOTENCY_KEY="k"
    )

    assert response.status_code == 422
    assert error_of(response)["code"] == "idempotency_key_reused"
    assert list(Contact.objects.values_list("name", flat=True)) == ["Ann"]


def test_failed_request_can_be_fixed_and_sent_under_the_same_key(
    coach_api: APIClient, search
) -> None:
    bad = coach_api.post("/api/v1/contacts/", {"client": search.pk, "name": "Ann", "email": "x"},
                         HTTP_IDEMPOTENCY_KEY="fix-me")  # fmt: skip
    assert bad.status_code == 400
    assert not IdempotencyRecord.objects.exists()

    good = coach_api.post("/api/v1/contacts/", {"client": search.pk, "name": "Ann"},
                          HTTP_IDEMPOTENCY_KEY="fix-me")  # fmt: skip
    assert good.status_code == 201


def test_keys_are_per_person_and_expire(coach_api: APIClient, owner_api: APIClient, search):
    body = {"client": search.pk, "name": "Ann"}
    assert coach_api.post("/api/v1/contacts/", body, HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    # The owner's "same" is another key: it acts (and here hits the duplicate-free name rule).
    assert owner_api.post("/api/v1/contacts/", {**body, "name": "Bob"},
                          HTTP_IDEMPOTENCY_KEY="same").status_code == 201  # fmt: skip
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=2))
    assert coach_api.post("/api/v1/contacts/", body, HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    assert Contact.objects.filter(name="Ann").count() == 2


def test_replay_works_for_actions_too(coach_api: APIClient, search) -> None:
    path = f"/api/v1/clients/{search.pk}/status/"
    for _ in range(2):
        response = coach_api.post(path, {"status": "paused"}, HTTP_IDEMPOTENCY_KEY="pause")
        assert response.status_code == 200
    assert response["Idempotent-Replayed"] == "true"


def test_overlong_key_is_a_field_error(coach_api: APIClient, search) -> None:
    response = coach_api.post("/api/v1/contacts/", {"client": search.pk, "name": "A"},
                              HTTP_IDEMPOTENCY_KEY="x" * 300)  # fmt: skip
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == ["Idempotency-Key"]


@pytest.fixture
def tight_rate() -> Iterator[None]:
    """3 requests a minute, counted under keys of this test alone: parallel workers share the
    cache (and practices A and B have the same schema names in every worker's database)."""
    from api.throttling import PerUserThrottle

    saved = PerUserThrottle.__init__, PerUserThrottle.key_prefix
    original_init = PerUserThrottle.__init__

    def three_a_minute(self: PerUserThrottle) -> None:
        original_init(self)
        self.limit, self.period = 3, 60

    PerUserThrottle.__init__ = three_a_minute  # type: ignore[method-assign]
    PerUserThrottle.key_prefix = f"throttle-{uuid.uuid4().hex}"
    yield
    PerUserThrottle.__init__, PerUserThrottle.key_prefix = saved  # type: ignore[method-assign]


def test_throttled_requests_get_429_with_retry_after(coach_api: APIClient, tight_rate) -> None:
    statuses = [coach_api.get("/api/v1/clients/").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
    response = coach_api.get("/api/v1/clients/")
    assert int(response["Retry-After"]) > 0
    assert error_of(response)["code"] == "throttled"


def test_throttle_counts_are_per_practice(coach_api: APIClient, tight_rate, seeded, coach) -> None:
    """Users of A and B share ids; the cache key carries the schema, so quotas do not mix."""
    from django_tenants.utils import schema_context

    from accounts.models import User
    from integrations.models import ApiKey

    for _ in range(3):
        coach_api.get("/api/v1/clients/")
    with schema_context(seeded["b"].schema_name):
        twin = User.objects.get(pk=coach.pk)
        _, secret = ApiKey.objects.create_key(name="b", acts_as=twin)
    on_b = APIClient(HTTP_HOST=seeded["b"].host)
    on_b.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")

    assert on_b.get("/api/v1/clients/").status_code == 200


def test_malformed_json_is_a_400_in_the_error_format(coach_api: APIClient) -> None:
    response = coach_api.generic(
        "POST", "/api/v1/contacts/", "{not json", content_type="application/json"
    )

    assert response.status_code == 400
    assert error_of(response)["code"] == "malformed_request"


def test_wrong_media_type_is_415(coach_api: APIClient) -> None:
    response = coach_api.generic("POST", "/api/v1/contacts/", "a=b", content_type="text/plain")

    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_wrong_method_is_405(coach_api: APIClient, search) -> None:
    response = coach_api.delete(f"/api/v1/clients/{search.pk}/")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
