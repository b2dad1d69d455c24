"""Deleting a contact: gone at once, with everything only about them; the timeline keeps its
entries, anonymised; nothing readable of the person stays anywhere in the practice's schema."""

import json

import pytest
from django.core.exceptions import ValidationError

from coaching.access import NotFound
from coaching.lifecycle.deletion import contact_delete
from coaching.lifecycle.models import DeletedRecord, DeletionRequest
from coaching.models import (
    ActivityEvent,
    Contact,
    Feedback,
    FollowUp,
    Interaction,
    Introduction,
    Meeting,
)
from coaching.selectors import client_timeline
from integrations.models import WebhookDelivery

from .conftest import JANE_TRACES, schema_texts_containing


def test_the_world_really_has_jane_everywhere(world):
    """The fixture is only a fair test if Jane is copied into every kind of place first."""
    tables = {table for table, _, _ in schema_texts_containing(JANE_TRACES)}
    assert {
        "coaching_contact",
        "coaching_interaction",
        "coaching_introduction",
        "coaching_followup",
        "coaching_application",
        "coaching_activityevent",
        "coaching_importjob",
        "notifications_notification",
        "api_webhookdelivery",
        "api_idempotencyrecord",
    } <= tables, tables


def test_nothing_readable_of_the_contact_remains(world, coach):
    contact_delete(contact=world.jane, actor=coach)

    assert schema_texts_containing(JANE_TRACES) == []


def test_her_records_go_and_everyone_elses_stay(world, coach):
    jane_id = world.jane.pk
    interactions = list(Interaction.objects.filter(contact_id=jane_id).values_list("pk", flat=True))

    contact_delete(contact=world.jane, actor=coach)

    assert not Contact.objects.filter(pk=jane_id).exists()
    assert not Interaction.objects.filter(pk__in=interactions).exists()
    assert not Meeting.objects.filter(contact_id=jane_id).exists()
    assert not FollowUp.objects.filter(contact_id=jane_id).exists()
    assert not Introduction.objects.filter(pk=world.introduction.pk).exists()
    assert Contact.objects.filter(pk__in=[world.ann.pk, world.bob.pk]).count() == 2
    bob_note = Interaction.objects.get(contact=world.bob).note
    assert bob_note == "Bob says a deleted contact is hiring"
    assert Contact.objects.get(pk=world.ann.pk).notes == "Knows a deleted contact from school"
    feedback = Feedback.objects.get(client=world.search)
    assert (feedback.contact_id, feedback.note) == (None, "a deleted contact found him sharp")


def test_the_timeline_keeps_her_history_as_a_deleted_contact(world, coach):
    before = ActivityEvent.objects.filter(client=world.search).count()

    contact_delete(contact=world.jane, actor=coach)

    timeline = client_timeline(actor=coach, client_id=world.search.pk, limit=500)
    assert len(timeline) == before + 1  # nothing removed; one entry says it was deleted
    assert timeline[0].verb == "contact.deleted"
    about_her = [
        e for e in timeline if e.subject_type == "contact" and e.subject_id == world.jane.pk
    ]
    assert [e.verb for e in about_her] == ["contact.deleted", "contact.updated", "contact.created"]
    assert all(e.changes == {"erased": "a deleted contact"} for e in about_her)


def test_the_deletion_reaches_the_feed_and_the_webhook(world, coach):
    jane_id = world.jane.pk
    interactions = set(Interaction.objects.filter(contact_id=jane_id).values_list("pk", flat=True))
    intro_id = world.introduction.pk

    contact_delete(contact=world.jane, actor=coach)

    tombstones = set(DeletedRecord.objects.values_list("record_type", "record_id"))
    assert ("contact", jane_id) in tombstones
    assert ("introduction", intro_id) in tombstones
    assert {("interaction", pk) for pk in interactions} <= tombstones
    assert set(DeletedRecord.objects.values_list("client_id", "coach_id")) == {
        (world.search.pk, coach.pk)
    }
    delivery = WebhookDelivery.objects.get(event="record.deleted")
    data = json.loads(delivery.body)["data"]
    assert (data["type"], data["id"], data["client"]) == ("contact", jane_id, world.search.pk)
    request = DeletionRequest.objects.get(kind="contact")
    assert (request.status, request.record_id, request.requested_by) == ("done", jane_id, coach)


def test_the_client_may_delete_their_own_contact(world, client_user):
    contact_delete(contact=world.jane, actor=client_user)
    assert not Contact.objects.filter(pk=world.jane.pk).exists()


@pytest.mark.parametrize("who", ["other_coach", "other_client_user"])
def test_nobody_outside_the_search_can_delete_its_contact(world, who, request):
    actor = request.getfixturevalue(who)
    with pytest.raises(NotFound):
        contact_delete(contact=world.jane, actor=actor)
    assert Contact.objects.filter(pk=world.jane.pk).exists()


def test_undoing_a_contact_deletion_is_refused_in_words(world, coach):
    from coaching.lifecycle.deletion import deletion_request_cancel

    request = contact_delete(contact=world.jane, actor=coach)
    with pytest.raises(ValidationError) as exc:
        deletion_request_cancel(request=request, actor=coach)
    assert "status" in exc.value.message_dict
