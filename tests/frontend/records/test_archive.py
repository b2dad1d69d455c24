"""Archiving a client from the coach's status page and restoring them
(frontend/views/records/clients.py `client_archive_page`); the dashboard's working list and its
"archived" filter; the archived client's portal, which says so and changes nothing. The client,
another coach and another practice cannot archive (404)."""

from datetime import timedelta

from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from coaching.models import ActivityEvent, Client, FollowUp
from coaching.services.archive import client_archive
from tests.frontend.records.conftest import Records


def _url(client: Client) -> str:
    return reverse("client_archive", args=[client.pk])


def test_the_coach_archives_and_restores_from_the_status_page(
    as_coach: HttpClient, recs: Records, other_search: Client
) -> None:
    client = recs.client
    page = as_coach.get(reverse("client_edit", args=[client.pk])).content.decode()
    assert "Archive client" in page
    assert _url(client) in page
    response = as_coach.post(_url(client), {"action": "archive"})
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.archived_at is not None
    assert client.status == "paused"
    page = as_coach.get(reverse("client_edit", args=[client.pk])).content.decode()
    assert "Restore client" in page
    assert "Archived" in page
    home = as_coach.get("/").content.decode()
    assert client.user.name not in home  # off the working list
    shelf = as_coach.get("/?archived=1").content.decode()
    assert client.user.name in shelf
    again = as_coach.post(_url(client), {"action": "archive"}, follow=True)
    assert "already archived" in again.content.decode()
    response = as_coach.post(_url(client), {"action": "restore"})
    assert response.status_code == 302
    client.refresh_from_db()
    assert client.archived_at is None
    verbs = set(ActivityEvent.objects.filter(client=client).values_list("verb", flat=True))
    assert {"client.archived", "client.restored"} <= verbs
    assert client.user.name in as_coach.get("/").content.decode()


def test_nobody_else_archives_from_the_page(
    http: HttpClient, other_http: HttpClient, client_user: User, other_coach: User,
    coach: User, recs: Records, other_search: Client,
) -> None:  # fmt: skip
    for user in (client_user, other_coach):
        http.force_login(user)
        assert http.post(_url(recs.client), {"action": "archive"}).status_code == 404, user.role
    http.force_login(coach)
    assert http.post(_url(other_search), {"action": "archive"}).status_code == 404
    assert http.get(_url(recs.client)).status_code == 405  # a button, not a page
    response = other_http.post(_url(recs.client), {"action": "archive"})
    assert response.status_code in (302, 403, 404)
    http.get("/")  # back on practice A's schema
    recs.client.refresh_from_db()
    other_search.refresh_from_db()
    assert recs.client.archived_at is None
    assert other_search.archived_at is None


def test_the_archived_clients_portal_says_so_and_changes_nothing(
    http: HttpClient, client_user: User, coach: User, recs: Records
) -> None:
    http.force_login(client_user)
    assert "Your search is archived" not in http.get("/").content.decode()
    client_archive(client=recs.client, actor=coach)
    for path in ("/", reverse("portal_follow_ups"), reverse("portal_applications")):
        response = http.get(path)
        assert response.status_code == 200, path
        assert "Your search is archived" in response.content.decode(), path
    contact = recs.follow_up.contact
    before = FollowUp.objects.filter(client=recs.client).count()
    soon = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = http.post(
        reverse("portal_follow_ups"),
        {"contact": contact.pk, "due_on": soon, "channel": "email"},
        follow=True,
    )
    assert "can be read, not changed" in response.content.decode()
    assert FollowUp.objects.filter(client=recs.client).count() == before
