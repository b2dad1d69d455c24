"""The lifecycle over the API: exports (202, progress, download with the token), deletion
requests (a contact now, a client or the practice after grace, undo), the deletions feed
(scoped, `since`, cursor pages) and the retention rule; and every crossing of clients, coaches
and practices fails."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from accounts.models import Role, User
from coaching.lifecycle.exports import export_run
from coaching.lifecycle.models import DeletedRecord, DeletionRequest, ExportJob
from coaching.models import Contact, Interaction
from integrations.models import ApiKey, KeyScope
from tests.api.conftest import error_of


def _ready(api: APIClient, client_id: int) -> dict:
    made = api.post("/api/v1/exports/", {"kind": "client", "client": client_id}, format="json")
    assert made.status_code == 202, made.content
    assert (made.json()["status"], made.json()["download_url"]) == ("queued", None)
    export_run(export_id=made.json()["id"])
    return api.get(f"/api/v1/exports/{made.json()['id']}/").json()


def test_an_export_is_asked_for_followed_and_downloaded(world, coach_api):
    export = _ready(coach_api, world.search.pk)

    assert (export["status"], export["progress"]) == ("ready", 1.0)
    zipped = coach_api.get(export["download_url"])
    assert zipped.status_code == 200
    assert zipped["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content)))
    assert "contacts.csv" in archive.namelist()
    asking_for_zip = coach_api.get(export["download_url"], HTTP_ACCEPT="application/zip")
    assert asking_for_zip.status_code == 200


def test_a_download_needs_a_valid_token(world, coach_api):
    export = _ready(coach_api, world.search.pk)

    for url in (
        f"/api/v1/exports/{export['id']}/download/",
        f"/api/v1/exports/{export['id']}/download/?token=forged",
    ):
        refused = coach_api.get(url, HTTP_ACCEPT="application/zip")
        assert refused.status_code == 404
        assert refused["Content-Type"] == "application/json"
        assert error_of(refused)["code"] == "not_found"


@pytest.mark.parametrize("stranger", ["other_coach_api", "other_client_api"])
def test_nobody_outside_the_search_sees_or_downloads_it(world, coach_api, stranger, request):
    export = _ready(coach_api, world.search.pk)
    api = request.getfixturevalue(stranger)

    assert api.get(f"/api/v1/exports/{export['id']}/").status_code == 404
    assert api.get(export["download_url"]).status_code == 404
    assert api.get("/api/v1/exports/").json()["results"] == []
    asked = api.post(
        "/api/v1/exports/", {"kind": "client", "client": world.search.pk}, format="json"
    )
    assert asked.status_code == 400
    assert error_of(asked)["fields"]["client"] == [f"No such record (id {world.search.pk})."]


def test_the_practice_export_is_the_owners(owner_api, coach_api):
    assert (
        coach_api.post("/api/v1/exports/", {"kind": "practice"}, format="json").status_code == 404
    )
    made = owner_api.post("/api/v1/exports/", {"kind": "practice"}, format="json")
    assert made.status_code == 202
    assert coach_api.get(f"/api/v1/exports/{made.json()['id']}/").status_code == 404


def test_another_practices_key_gets_nothing(world, coach_api, other_practice, seeded):
    export = _ready(coach_api, world.search.pk)
    with schema_context(other_practice.schema_name):
        bravo_owner = User.objects.get(role=Role.OWNER)
        _, secret = ApiKey.objects.create_key(
            name="bravo", scope=KeyScope.READ_WRITE, acts_as=bravo_owner, created_by=bravo_owner
        )
    bravo = APIClient(HTTP_HOST=seeded["b"].host)
    bravo.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    a_key_on_b = APIClient(HTTP_HOST=seeded["b"].host)
    a_key_on_b.credentials(HTTP_AUTHORIZATION=f"Api-Key {coach_api.secret}")

    scheduled = coach_api.post(
        "/api/v1/deletion-requests/", {"kind": "client", "record": world.search.pk}, format="json"
    ).json()

    assert a_key_on_b.get(export["download_url"]).status_code == 401
    assert a_key_on_b.post(f"/api/v1/deletion-requests/{scheduled['id']}/undo/").status_code == 401
    with schema_context(other_practice.schema_name):
        assert bravo.get(export["download_url"]).status_code == 404
        assert bravo.get("/api/v1/deletions/").json()["results"] == []
        assert bravo.post(f"/api/v1/deletion-requests/{scheduled['id']}/undo/").status_code == 404
        asked = {"kind": "contact", "record": world.jane.pk}
        assert bravo.post("/api/v1/deletion-requests/", asked, format="json").status_code == 400
    with schema_context(seeded["a"].schema_name):  # requests to B's host left B's schema on
        assert DeletionRequest.objects.get(pk=scheduled["id"]).status == "scheduled"
        assert Contact.objects.filter(pk=world.jane.pk).exists()


def test_deleting_a_contact_through_the_api(world, client_api, coach_api):
    interactions = list(Interaction.objects.filter(contact=world.jane).values_list("pk", flat=True))

    made = client_api.post(
        "/api/v1/deletion-requests/", {"kind": "contact", "record": world.jane.pk}, format="json"
    )

    assert made.status_code == 201, made.content
    assert (made.json()["status"], made.json()["record"]) == ("done", world.jane.pk)
    assert coach_api.get(f"/api/v1/contacts/{world.jane.pk}/").status_code == 404
    for pk in interactions:
        assert coach_api.get(f"/api/v1/interactions/{pk}/").status_code == 404


def test_another_client_cannot_delete_anything_of_this_one(
    world, other_client_api, other_coach_api
):
    for api in (other_client_api, other_coach_api):
        for kind, record in (("contact", world.jane.pk), ("client", world.search.pk)):
            refused = api.post(
                "/api/v1/deletion-requests/", {"kind": kind, "record": record}, format="json"
            )
            assert refused.status_code == 400
            assert error_of(refused)["fields"]["record"] == [f"No such record (id {record})."]
    assert Contact.objects.filter(pk=world.jane.pk).exists()
    assert not DeletionRequest.objects.exists()


def test_scheduling_and_undoing_a_client_deletion(world, coach_api, client_api, other_coach_api):
    own = client_api.post(
        "/api/v1/deletion-requests/", {"kind": "client", "record": world.search.pk}, format="json"
    )
    assert own.status_code == 403  # the client sees their search, but asks their coach

    made = coach_api.post(
        "/api/v1/deletion-requests/", {"kind": "client", "record": world.search.pk}, format="json"
    )
    assert made.status_code == 201
    body = made.json()
    assert (body["status"], body["reason"]) == ("scheduled", "requested")
    assert other_coach_api.post(f"/api/v1/deletion-requests/{body['id']}/undo/").status_code == 404
    assert client_api.get("/api/v1/clients/").status_code == 401  # locked out during grace

    undone = coach_api.post(f"/api/v1/deletion-requests/{body['id']}/undo/")

    assert undone.status_code == 200
    assert undone.json()["status"] == "cancelled"
    assert client_api.get("/api/v1/clients/").status_code == 200


def test_the_practice_deletion_needs_the_name_and_the_owner(owner_api, coach_api):
    asked = {"kind": "practice", "confirm_name": "Alpha Coaching"}
    assert coach_api.post("/api/v1/deletion-requests/", asked, format="json").status_code == 404
    wrong = owner_api.post(
        "/api/v1/deletion-requests/", {"kind": "practice", "confirm_name": "alpha"}, format="json"
    )
    assert error_of(wrong)["fields"] == {
        "confirm_name": ["Type the practice's name exactly as shown: Alpha Coaching."]
    }
    made = owner_api.post("/api/v1/deletion-requests/", asked, format="json")
    assert made.status_code == 201
    assert coach_api.get(f"/api/v1/deletion-requests/{made.json()['id']}/").status_code == 404


def test_the_deletions_feed_is_scoped_and_paged(
    world, coach_api, other_coach_api, owner_api, client_api, other_search, make_contact
):
    make_contact(other_search, name="Other")
    before = timezone.now()
    client_api.post(
        "/api/v1/deletion-requests/", {"kind": "contact", "record": world.jane.pk}, format="json"
    )
    expected = set(DeletedRecord.objects.values_list("record_type", "record_id"))
    assert ("contact", world.jane.pk) in expected

    query = urlencode({"since": before.isoformat(), "ordering": "deleted_at", "page_size": 2})
    seen, url = set(), f"/api/v1/deletions/?{query}"
    pages = 0
    while url:
        page = coach_api.get(url).json()
        seen |= {(r["type"], r["id"]) for r in page["results"]}
        assert all(r["client"] == world.search.pk for r in page["results"])
        url, pages = page["next"], pages + 1
    assert seen == expected
    assert pages > 1
    assert other_coach_api.get("/api/v1/deletions/").json()["results"] == []
    assert len(owner_api.get("/api/v1/deletions/?page_size=200").json()["results"]) == len(expected)
    assert len(client_api.get("/api/v1/deletions/?page_size=200").json()["results"]) == len(
        expected
    )
    later = (timezone.now() + timedelta(seconds=1)).isoformat()
    assert coach_api.get("/api/v1/deletions/", {"since": later}).json()["results"] == []


def test_the_feed_outlives_the_client_for_their_coach(world, coach_api, other_coach_api):
    from coaching.lifecycle.sweep import practice_sweep

    made = coach_api.post(
        "/api/v1/deletion-requests/", {"kind": "client", "record": world.search.pk}, format="json"
    ).json()
    request = DeletionRequest.objects.get(pk=made["id"])
    practice_sweep(now=request.due_at + timedelta(minutes=1))

    feed = coach_api.get("/api/v1/deletions/?type=client").json()["results"]
    assert [(r["type"], r["id"]) for r in feed] == [("client", world.search.pk)]
    assert other_coach_api.get("/api/v1/deletions/?type=client").json()["results"] == []
    assert coach_api.get(f"/api/v1/deletion-requests/{made['id']}/").json()["status"] == "done"


def test_retention_is_the_owners(owner_api, coach_api):
    assert coach_api.get("/api/v1/retention/").status_code == 404
    assert owner_api.get("/api/v1/retention/").json() == {"landed_months": None}
    changed = owner_api.patch("/api/v1/retention/", {"landed_months": 12}, format="json")
    assert changed.json() == {"landed_months": 12}
    refused = owner_api.patch("/api/v1/retention/", {"landed_months": 0}, format="json")
    assert list(error_of(refused)["fields"]) == ["landed_months"]
    assert ExportJob.objects.count() == 0
