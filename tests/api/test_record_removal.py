"""DELETE on every record the coach's pages remove (api/views.py `destroy`), through the same
services: 204, then 404; the timeline keeps it; the deletions feed shows the tombstone; the
webhooks hear `record.deleted`. A client's key is refused (403, the portal removes none of these),
and nobody outside the search, the practice or the coach's clients reaches a record (404)."""

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from django_tenants.utils import schema_context
from rest_framework.test import APIClient

from accounts.models import User
from coaching.choices import ApplicationSource, FeedbackAbout, FeedbackSource, MeetingPurpose
from coaching.models import ActivityEvent, Client, Contact
from coaching.services import (
    application_create,
    feedback_record,
    follow_up_schedule,
    introduction_create,
    meeting_schedule,
)
from integrations.models import ApiKey, KeyScope, WebhookDelivery, WebhookEndpoint
from tests.api.conftest import error_of
from tests.coaching.conftest import NOW
from tests.conftest import SeededPractice

# API path -> the type the feed and the webhooks name it by.
KINDS = {
    "applications": "application",
    "introductions": "introduction",
    "follow-ups": "follow_up",
    "meetings": "meeting",
    "feedback": "feedback",
}


@pytest.fixture
def subscribed(search: Client) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        url="https://crm.example.com/hooks", events=["record.deleted"], secret="s" * 32
    )


def _records(search: Client, make_contact: Callable[..., Contact]) -> dict[str, int]:
    coach = search.coach
    ann, ben = make_contact(search, name="Ann"), make_contact(search, name="Ben")
    application = application_create(
        client=search, actor=coach, company="Acme", role="Analyst",
        source=ApplicationSource.JOB_BOARD, now=NOW,
    )  # fmt: skip
    introduction = introduction_create(
        client=search, actor=coach, introducer=ann, target=ben,
        made_at=NOW - timedelta(days=2), application=application, now=NOW,
    )  # fmt: skip
    follow_up = follow_up_schedule(
        client=search, actor=coach, contact=ann, due_on=NOW.date() + timedelta(days=2)
    )
    meeting = meeting_schedule(
        client=search, actor=coach, contact=ben, scheduled_for=NOW + timedelta(days=1),
        purpose=MeetingPurpose.NETWORKING, introduction=introduction,
    )  # fmt: skip
    feedback = feedback_record(
        client=search, actor=coach, source=FeedbackSource.COACH, about=FeedbackAbout.OTHER,
        received_on=NOW.date() - timedelta(days=1), note="Rambles", now=NOW,
    )  # fmt: skip
    return {
        "applications": application.pk,
        "introductions": introduction.pk,
        "follow-ups": follow_up.pk,
        "meetings": meeting.pk,
        "feedback": feedback.pk,
    }


def _announced() -> list[dict[str, object]]:
    rows = WebhookDelivery.objects.filter(event="record.deleted").order_by("pk")
    return [json.loads(d.body)["data"] for d in rows]


@pytest.mark.usefixtures("subscribed")
def test_the_coach_removes_each_record_and_the_history_and_the_feed_keep_it(
    coach_api: APIClient, search: Client, make_contact: Callable[..., Contact]
) -> None:
    records = _records(search, make_contact)
    for path, pk in records.items():
        url = f"/api/v1/{path}/{pk}/"
        assert coach_api.get(url).status_code == 200, path
        response = coach_api.delete(url)
        assert response.status_code == 204, (path, response.content)
        assert coach_api.get(url).status_code == 404, path
        assert coach_api.delete(url).status_code == 404, path
        verbs = ActivityEvent.objects.filter(subject_id=pk).values_list("verb", flat=True)
        assert f"{KINDS[path]}.removed" in set(verbs), path
    feed = coach_api.get("/api/v1/deletions/?limit=100").json()["results"]
    tombstones = {(row["type"], row["id"]) for row in feed}
    for path, pk in records.items():
        assert (KINDS[path], pk) in tombstones, path
    announced = [(d["type"], d["id"]) for d in _announced()]
    assert announced == [(KINDS[path], pk) for path, pk in records.items()]


@pytest.mark.usefixtures("subscribed")
def test_a_contact_is_deleted_as_the_lifecycle_deletes_it(
    client_api: APIClient, coach_api: APIClient, search: Client,
    make_contact: Callable[..., Contact],
) -> None:  # fmt: skip
    records = _records(search, make_contact)
    ann = Contact.objects.get(client=search, name="Ann")
    response = client_api.delete(f"/api/v1/contacts/{ann.pk}/")  # the portal deletes contacts
    assert response.status_code == 204, response.content
    assert coach_api.get(f"/api/v1/contacts/{ann.pk}/").status_code == 404
    # Ann's follow-up and the introduction she made went with her, each with a tombstone.
    assert coach_api.get(f"/api/v1/follow-ups/{records['follow-ups']}/").status_code == 404
    feed = {(r["type"], r["id"]) for r in coach_api.get("/api/v1/deletions/").json()["results"]}
    assert {("contact", ann.pk), ("follow_up", records["follow-ups"])} <= feed
    assert ("contact", ann.pk) in {(d["type"], d["id"]) for d in _announced()}
    assert ActivityEvent.objects.filter(verb="contact.deleted", subject_id=ann.pk).exists()
    listed = coach_api.get("/api/v1/deletion-requests/?kind=contact").json()["results"]
    assert [row["record"] for row in listed] == [ann.pk]


def test_a_client_may_not_remove_what_the_portal_does_not_remove(
    client_api: APIClient, api_for: Callable[..., APIClient], coach: User, search: Client,
    make_contact: Callable[..., Contact],
) -> None:  # fmt: skip
    records = _records(search, make_contact)
    reader = api_for(coach, scope=KeyScope.READ)
    for path, pk in records.items():
        url = f"/api/v1/{path}/{pk}/"
        refused = client_api.delete(url)
        assert refused.status_code == 403, (path, refused.content)
        assert error_of(refused)["message"]
        assert reader.delete(url).status_code == 403, path
        assert client_api.get(url).status_code == 200, path
    assert not WebhookDelivery.objects.filter(event="record.deleted").exists()


def test_nobody_outside_the_search_removes_a_record(
    other_coach_api: APIClient, other_client_api: APIClient, coach_api: APIClient,
    search: Client, other_search: Client, make_contact: Callable[..., Contact],
) -> None:  # fmt: skip
    records = _records(search, make_contact)
    theirs = _records(other_search, make_contact)
    contact = Contact.objects.filter(client=search).first()
    assert contact is not None
    for api in (other_coach_api, other_client_api):
        for path, pk in records.items():
            assert api.delete(f"/api/v1/{path}/{pk}/").status_code == 404, path
        assert api.delete(f"/api/v1/contacts/{contact.pk}/").status_code == 404
    for path, pk in theirs.items():  # Cora does not coach Carl
        assert coach_api.delete(f"/api/v1/{path}/{pk}/").status_code == 404, path
    for path, pk in records.items():
        assert coach_api.get(f"/api/v1/{path}/{pk}/").status_code == 200, path
    assert Contact.objects.filter(pk=contact.pk).exists()


def test_another_practice_removes_nothing(
    coach_api: APIClient, seeded: dict[str, SeededPractice], search: Client,
    make_contact: Callable[..., Contact],
) -> None:  # fmt: skip
    records = _records(search, make_contact)
    with schema_context(seeded["b"].schema_name):
        b_owner = User.objects.get(email="owner@bravo.example.com")
        _, secret = ApiKey.objects.create_key(name="b", acts_as=b_owner, scope=KeyScope.READ_WRITE)
    on_b = APIClient(HTTP_HOST=seeded["b"].host)
    on_b.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    for path, pk in records.items():
        assert on_b.delete(f"/api/v1/{path}/{pk}/").status_code == 404, path
    # Practice A's key on B's host is unknown there.
    alien = APIClient(HTTP_HOST=seeded["b"].host)
    alien.credentials(HTTP_AUTHORIZATION=f"Api-Key {coach_api.secret}")  # type: ignore[attr-defined]
    assert alien.delete(f"/api/v1/applications/{records['applications']}/").status_code == 401
    for path, pk in records.items():
        assert coach_api.get(f"/api/v1/{path}/{pk}/").status_code == 200, path
