"""The "Your data" pages: export with progress and an expiring download link, deletion with its
date and Undo, the owner's settings; and every way in from outside the scope fails."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client as HttpClient
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import Role, User
from accounts.tokens import Purpose, token_make
from audit.models import AuditEvent
from billing.services import billing_account_for
from coaching.lifecycle.deletion import client_deletion_schedule
from coaching.lifecycle.exports import export_request, export_run
from coaching.lifecycle.models import DeletionRequest, ExportJob, RetentionPolicy
from coaching.models import Contact
from tenants.models import Practice
from tests.billing.conftest import stripe_api

__all__ = ["stripe_api"]


def _signed_in(http: HttpClient, user: User) -> HttpClient:
    http.force_login(user)
    return http


def _download_link(page: bytes) -> str:
    found = re.search(rb'href="(/exports/\d+/download/\?token=[^"]+)"', page)
    assert found, page
    return found[1].decode().replace("&amp;", "&")


@pytest.fixture
def ready_export(world, coach) -> ExportJob:
    job = export_request(actor=coach, client=world.search)
    export_run(export_id=job.pk)
    job.refresh_from_db()
    return job


def test_the_client_page_offers_export_and_delete(world, coach, http):
    _signed_in(http, coach)
    page = http.get(f"/clients/{world.search.pk}/?tab=settings")
    assert f'hx-get="/clients/{world.search.pk}/data/"'.encode() in page.content

    section = http.get(f"/clients/{world.search.pk}/data/", HTTP_HX_REQUEST="true")

    assert section.status_code == 200
    assert b"Export this search" in section.content
    assert b"Delete this search" in section.content


def test_exporting_shows_progress_then_a_link_that_downloads(world, coach, http):
    _signed_in(http, coach)

    asked = http.post(f"/clients/{world.search.pk}/export/")

    job = ExportJob.objects.get()
    assert asked.url == f"/exports/{job.pk}/"
    waiting = http.get(asked.url, HTTP_HX_REQUEST="true")
    assert b'hx-trigger="every 1s"' in waiting.content  # htmx polls until it is done
    assert b"waiting to start" in waiting.content
    export_run(export_id=job.pk)  # what the worker does
    done = http.get(asked.url, HTTP_HX_REQUEST="true")
    assert b"hx-trigger" not in done.content
    link = _download_link(done.content)

    download = http.get(link)

    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    assert download["Content-Disposition"].startswith('attachment; filename="warmpath-cleo-client-')
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "README.txt" in archive.namelist()
    assert AuditEvent.objects.filter(action="export.downloaded", actor_id=coach.pk).count() == 1


def test_the_client_exports_from_their_portal(world, client_user, http):
    _signed_in(http, client_user)
    assert b"Export my search" in http.get("/my/data/").content

    asked = http.post(f"/clients/{world.search.pk}/export/")

    assert asked.status_code == 302
    assert ExportJob.objects.get().requested_by == client_user


@pytest.mark.parametrize("who", ["other_coach", "other_client_user"])
def test_someone_outside_the_search_gets_nothing(world, ready_export, coach, who, request, http):
    _signed_in(http, coach)
    link = _download_link(http.get(f"/exports/{ready_export.pk}/").content)
    stranger = _signed_in(
        HttpClient(HTTP_HOST=http.defaults["HTTP_HOST"]), request.getfixturevalue(who)
    )

    assert stranger.get(link).status_code == 404
    assert stranger.get(f"/exports/{ready_export.pk}/").status_code == 404
    assert stranger.post(f"/clients/{world.search.pk}/export/").status_code == 404
    assert stranger.get(f"/clients/{world.search.pk}/data/").status_code == 404
    assert not AuditEvent.objects.filter(action="export.downloaded").exists()


def test_the_link_alone_is_not_enough(ready_export, coach, http):
    _signed_in(http, coach)
    link = _download_link(http.get(f"/exports/{ready_export.pk}/").content)
    anonymous = HttpClient(HTTP_HOST=http.defaults["HTTP_HOST"])

    response = anonymous.get(link)

    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_a_signed_in_person_still_needs_the_link(ready_export, coach, http):
    _signed_in(http, coach)
    assert http.get(f"/exports/{ready_export.pk}/download/").status_code == 404
    assert http.get(f"/exports/{ready_export.pk}/download/?token=forged").status_code == 404


def test_an_expired_link_says_so(ready_export, coach, http):
    _signed_in(http, coach)
    link = _download_link(http.get(f"/exports/{ready_export.pk}/").content)

    with time_machine.travel(datetime.now(UTC) + timedelta(hours=25)):
        response = http.get(link)

    assert response.status_code == 404
    assert b"has expired" in response.content


def test_a_link_for_another_export_or_another_practice_fails(
    world, ready_export, coach, http, other_practice
):
    other = export_request(actor=coach, client=world.search)  # a second export (queued)
    ExportJob.objects.filter(pk=other.pk).update(
        status="ready", file_name=ready_export.file_name, expires_at=ready_export.expires_at
    )
    _signed_in(http, coach)
    link = _download_link(http.get(f"/exports/{ready_export.pk}/").content)
    token = link.split("token=")[1]
    foreign = token_make(
        purpose=Purpose.EXPORT_DOWNLOAD,
        data={"export": ready_export.pk},
        schema_name=other_practice.schema_name,
    )
    other_purpose = token_make(purpose=Purpose.CALENDAR_FEED, data={"export": ready_export.pk})

    assert http.get(f"/exports/{other.pk}/download/?token={token}").status_code == 404
    assert http.get(f"/exports/{ready_export.pk}/download/?token={foreign}").status_code == 404
    assert (
        http.get(f"/exports/{ready_export.pk}/download/?token={other_purpose}").status_code == 404
    )
    assert http.get(link).status_code == 200


def test_another_practices_host_knows_nothing(
    ready_export, coach, http, other_http, other_practice
):
    _signed_in(http, coach)
    link = _download_link(http.get(f"/exports/{ready_export.pk}/").content)
    with schema_context(other_practice.schema_name):  # B's session lives in B's schema
        _signed_in(other_http, User.objects.get(role=Role.OWNER))

    assert other_http.get(link).status_code == 404
    assert other_http.get(f"/exports/{ready_export.pk}/").status_code == 404
    assert other_http.get("/settings/data/").status_code == 200  # their own page works
    carried = HttpClient(HTTP_HOST=other_http.defaults["HTTP_HOST"])
    carried.cookies = http.cookies  # A's session cookie means nothing on B's host
    assert carried.get(link).status_code == 302


def test_scheduling_and_undoing_a_client_deletion_in_pages(
    world, coach, client_user, http, practice
):
    practice.time_zone = "America/New_York"
    Practice.objects.filter(pk=practice.pk).update(time_zone="America/New_York")
    _signed_in(http, coach)
    confirm = http.get(f"/clients/{world.search.pk}/delete/")
    assert b"Schedule the deletion" in confirm.content

    with time_machine.travel(datetime(2024, 4, 15, 2, 0, tzinfo=UTC), tick=False):
        http.post(f"/clients/{world.search.pk}/delete/")
    request = DeletionRequest.objects.get()
    section = http.get(f"/clients/{world.search.pk}/data/", HTTP_HX_REQUEST="true").content

    # Due on May 15 at 02:00 UTC: still May 14 in the practice's zone.
    assert b"Scheduled for deletion on May 14, 2024" in section
    assert b"Undo the deletion" in section
    assert f"/deletions/{request.pk}/undo/".encode() in section
    http.post(f"/deletions/{request.pk}/undo/")
    request.refresh_from_db()
    assert request.status == "cancelled"
    client_user.refresh_from_db()
    assert client_user.is_active


@pytest.mark.parametrize("who", ["other_coach", "client_user"])
def test_only_the_coach_or_owner_may_delete_a_search(world, who, request, http):
    _signed_in(http, request.getfixturevalue(who))
    assert http.post(f"/clients/{world.search.pk}/delete/").status_code == 404
    assert not DeletionRequest.objects.exists()


def test_an_undo_outside_the_scope_is_not_found(world, coach, other_coach, http):
    scheduled = client_deletion_schedule(client=world.search, actor=coach)
    _signed_in(http, other_coach)
    assert http.post(f"/deletions/{scheduled.pk}/undo/").status_code == 404
    scheduled.refresh_from_db()
    assert scheduled.status == "scheduled"


def test_deleting_a_contact_from_the_coachs_page(world, coach, http):
    _signed_in(http, coach)
    contact_page = http.get(f"/clients/{world.search.pk}/contacts/{world.jane.pk}/")
    assert (
        f"/clients/{world.search.pk}/contacts/{world.jane.pk}/delete/".encode()
        in contact_page.content
    )
    confirm = http.get(f"/clients/{world.search.pk}/contacts/{world.jane.pk}/delete/")
    assert b"1 interaction, 1 meeting, 1 follow-up and 1 introduction" in confirm.content

    done = http.post(f"/clients/{world.search.pk}/contacts/{world.jane.pk}/delete/")

    assert done.url == f"/clients/{world.search.pk}/?tab=contacts"
    assert not Contact.objects.filter(pk=world.jane.pk).exists()
    timeline = http.get(f"/clients/{world.search.pk}/?tab=activity").content.decode()
    assert "Contact deleted · a deleted contact" in timeline
    assert "Jane Doe" not in timeline


def test_a_client_deletes_their_own_contact_but_not_anothers(
    world, client_user, other_client_user, http
):
    _signed_in(http, client_user)
    assert f"/contacts/{world.bob.pk}/delete/".encode() in http.get("/my/contacts/").content
    stranger = _signed_in(HttpClient(HTTP_HOST=http.defaults["HTTP_HOST"]), other_client_user)

    assert (
        stranger.post(f"/clients/{world.search.pk}/contacts/{world.bob.pk}/delete/").status_code
        == 404
    )
    assert (
        http.post(f"/clients/{world.search.pk}/contacts/{world.bob.pk}/delete/").url
        == "/my/contacts/"
    )
    assert not Contact.objects.filter(pk=world.bob.pk).exists()


def test_the_owners_data_page(owner, coach, http):
    _signed_in(http, owner)
    assert b"Your data" in http.get("/settings/").content
    page = http.get("/settings/data/")
    assert b"Export the practice" in page.content

    saved = http.post("/settings/data/", {"action": "retention", "landed_months": "6"})
    assert saved.status_code == 302
    assert RetentionPolicy.objects.get().landed_months == 6
    wrong = http.post("/settings/data/", {"action": "delete_practice", "confirm_name": "Alpha"})
    assert wrong.status_code == 400
    assert b"exactly as shown: Alpha Coaching" in wrong.content
    assert not DeletionRequest.objects.exists()
    http.post("/settings/data/", {"action": "delete_practice", "confirm_name": "Alpha Coaching"})
    scheduled = http.get("/settings/data/").content
    assert b"The practice is scheduled for deletion on" in scheduled
    request = DeletionRequest.objects.get(kind="practice")
    http.post(f"/deletions/{request.pk}/undo/")
    assert DeletionRequest.objects.get(pk=request.pk).status == "cancelled"
    exported = http.post("/settings/data/", {"action": "export"})
    assert exported.url == f"/exports/{ExportJob.objects.get(kind='practice').pk}/"


@pytest.mark.parametrize("who", ["coach", "client_user"])
def test_the_owners_data_page_is_not_there_for_others(who, request, http):
    _signed_in(http, request.getfixturevalue(who))
    assert http.get("/settings/data/").status_code == 404
    assert http.post("/settings/data/", {"action": "export"}).status_code == 404
    assert not ExportJob.objects.exists()


def test_the_portal_page_is_the_clients_own(coach, http):
    _signed_in(http, coach)
    assert http.get("/my/data/").status_code == 404


def test_a_read_only_practice_can_still_take_its_data_away(
    world, coach, practice, http, stripe_api, api_for
):
    account = billing_account_for(practice=practice)
    account.trial_ends_at = timezone.now() - timedelta(days=1)  # the trial is over, unpaid
    account.save()
    _signed_in(http, coach)
    api = api_for(coach)
    made = {"client": world.search.pk, "name": "Someone new"}
    assert api.post("/api/v1/contacts/", made, format="json").status_code == 402  # read-only

    assert http.post(f"/clients/{world.search.pk}/export/").status_code == 302
    assert (
        http.post(f"/clients/{world.search.pk}/contacts/{world.bob.pk}/delete/").status_code == 302
    )
    exported = api.post(
        "/api/v1/exports/", {"kind": "client", "client": world.search.pk}, format="json"
    )
    assert exported.status_code == 202
    deleted = api.post(
        "/api/v1/deletion-requests/", {"kind": "contact", "record": world.ann.pk}, format="json"
    )
    assert deleted.status_code == 201
    assert not Contact.objects.filter(pk__in=[world.bob.pk, world.ann.pk]).exists()
