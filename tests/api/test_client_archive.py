"""`POST /clients/{id}/archive/` and `/restore/`, the `archived_at` field and the `?archived=`
filter (api/views.py ClientViewSet): the coach or owner archives; the client's key is refused
and, once archived, may read but not write; another coach, another client and another practice
reach nothing (404)."""

from collections.abc import Callable

from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from accounts.models import User
from coaching.models import Client, Contact
from integrations.models import ApiKey, KeyScope, WebhookDelivery, WebhookEndpoint
from tests.api.conftest import error_of
from tests.conftest import SeededPractice


def test_the_coach_archives_and_restores_and_the_lists_say_so(
    coach_api: APIClient, search: Client
) -> None:
    WebhookEndpoint.objects.create(
        url="https://crm.example.com/hooks", events=["client.archived"], secret="s" * 32
    )
    before = coach_api.get(f"/api/v1/clients/{search.pk}/").json()
    assert before["archived_at"] is None
    assert before["status"] == "active"
    archived = coach_api.post(f"/api/v1/clients/{search.pk}/archive/")
    assert archived.status_code == 200, archived.content
    body = archived.json()
    assert body["archived_at"] is not None
    assert body["status"] == "paused"
    assert WebhookDelivery.objects.get().event == "client.archived"
    again = coach_api.post(f"/api/v1/clients/{search.pk}/archive/")
    assert again.status_code == 400
    assert list(error_of(again)["fields"]) == ["archived_at"]
    listed = coach_api.get("/api/v1/clients/").json()["results"]
    assert [(c["id"], c["archived_at"] is not None) for c in listed] == [(search.pk, True)]
    assert coach_api.get("/api/v1/clients/?archived=false").json()["results"] == []
    shelf = coach_api.get("/api/v1/clients/?archived=true").json()["results"]
    assert [c["id"] for c in shelf] == [search.pk]
    refused = coach_api.post(f"/api/v1/clients/{search.pk}/status/", {"status": "active"})
    assert refused.status_code == 400
    restored = coach_api.post(f"/api/v1/clients/{search.pk}/restore/")
    assert restored.status_code == 200, restored.content
    assert restored.json()["archived_at"] is None
    assert restored.json()["status"] == "paused"
    assert coach_api.post(f"/api/v1/clients/{search.pk}/restore/").status_code == 400


def test_an_archived_client_reads_but_does_not_write(
    client_api: APIClient, coach_api: APIClient, search: Client,
    make_contact: Callable[..., Contact],
) -> None:  # fmt: skip
    ann = make_contact(search, name="Ann")
    assert client_api.post(f"/api/v1/clients/{search.pk}/archive/").status_code == 403
    assert coach_api.post(f"/api/v1/clients/{search.pk}/archive/").status_code == 200
    assert client_api.get(f"/api/v1/contacts/{ann.pk}/").status_code == 200
    refused = client_api.patch(f"/api/v1/contacts/{ann.pk}/", {"company": "Beta"})
    assert refused.status_code == 403
    assert "archived" in error_of(refused)["message"]
    assert client_api.post(f"/api/v1/clients/{search.pk}/restore/").status_code == 403
    changed = coach_api.patch(f"/api/v1/contacts/{ann.pk}/", {"company": "Beta"})
    assert changed.status_code == 200  # the coach still corrects the records


def test_nobody_outside_the_search_archives_or_restores(
    other_coach_api: APIClient, other_client_api: APIClient, coach_api: APIClient,
    owner_api: APIClient, search: Client, other_search: Client,
    seeded: dict[str, SeededPractice],
) -> None:  # fmt: skip
    for api in (other_coach_api, other_client_api):
        for action in ("archive", "restore"):
            assert api.post(f"/api/v1/clients/{search.pk}/{action}/").status_code == 404
    assert coach_api.post(f"/api/v1/clients/{other_search.pk}/archive/").status_code == 404
    with schema_context(seeded["b"].schema_name):
        b_owner = User.objects.get(email="owner@bravo.example.com")
        _, secret = ApiKey.objects.create_key(name="b", acts_as=b_owner, scope=KeyScope.READ_WRITE)
    on_b = APIClient(HTTP_HOST=seeded["b"].host)
    on_b.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    assert on_b.post(f"/api/v1/clients/{search.pk}/archive/").status_code == 404
    with schema_context(seeded["a"].schema_name):
        search.refresh_from_db()
        other_search.refresh_from_db()
    assert search.archived_at is None
    assert other_search.archived_at is None
    assert owner_api.post(f"/api/v1/clients/{other_search.pk}/archive/").status_code == 200
