"""Removing a record logged by mistake (coaching.services.removal and each kind's `*_remove`),
merging two contacts of one person (coaching.services.contact_merge), correcting an interaction
and landing with an offer (coaching.services.landing)."""

import json
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from coaching.access import NotFound
from coaching.choices import (
    ApplicationSource,
    ApplicationStatus,
    ClientStatus,
    FeedbackAbout,
    FeedbackSource,
    HowMet,
    MeetingPurpose,
    Willingness,
)
from coaching.lifecycle.models import DeletedRecord
from coaching.models import ActivityEvent, Client, Contact, Interaction, Meeting
from coaching.services import (
    application_create,
    feedback_record,
    follow_up_schedule,
    interaction_record,
    introduction_create,
    meeting_schedule,
)
from coaching.services.applications import application_remove
from coaching.services.contact_merge import contact_merge
from coaching.services.feedback import feedback_remove
from coaching.services.follow_ups import follow_up_remove
from coaching.services.interactions import interaction_remove, interaction_update
from coaching.services.introductions import introduction_remove
from coaching.services.landing import client_status_with_offer
from coaching.services.meetings import meeting_remove
from integrations.models import WebhookDelivery, WebhookEndpoint
from tests.coaching.conftest import NOW


@pytest.fixture
def subscribed(search: Client) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        url="https://crm.example.com/hooks", events=["record.deleted"], secret="s" * 32
    )


def _deleted() -> list[dict[str, object]]:
    rows = WebhookDelivery.objects.filter(event="record.deleted").order_by("pk")
    return [json.loads(d.body)["data"] for d in rows]


def _records(
    search: Client, coach: User, make_contact: Callable[..., Contact]
) -> dict[str, object]:
    ann, ben = make_contact(search, name="Ann"), make_contact(search, name="Ben")
    application = application_create(
        client=search, actor=coach, company="Acme", role="Analyst",
        source=ApplicationSource.JOB_BOARD, now=NOW,
    )  # fmt: skip
    introduction = introduction_create(
        client=search, actor=coach, introducer=ann, target=ben,
        made_at=NOW - timedelta(days=2), application=application, now=NOW,
    )  # fmt: skip
    return {
        "application": application,
        "introduction": introduction,
        "follow_up": follow_up_schedule(
            client=search, actor=coach, contact=ann, due_on=NOW.date() + timedelta(days=2)
        ),
        "meeting": meeting_schedule(
            client=search,
            actor=coach,
            contact=ben,
            scheduled_for=NOW + timedelta(days=1),
            purpose=MeetingPurpose.NETWORKING,
            introduction=introduction,
        ),
        "feedback": feedback_record(
            client=search,
            actor=coach,
            source=FeedbackSource.COACH,
            about=FeedbackAbout.OTHER,
            received_on=NOW.date() - timedelta(days=1),
            note="Rambles",
            now=NOW,
        ),
    }


REMOVE = {
    "application": lambda r, a: application_remove(application=r, actor=a),
    "introduction": lambda r, a: introduction_remove(introduction=r, actor=a),
    "follow_up": lambda r, a: follow_up_remove(follow_up=r, actor=a),
    "meeting": lambda r, a: meeting_remove(meeting=r, actor=a),
    "feedback": lambda r, a: feedback_remove(feedback=r, actor=a),
}


@pytest.mark.usefixtures("subscribed")
def test_each_removal_keeps_the_timeline_leaves_a_tombstone_and_is_announced(
    search: Client, coach: User, make_contact: Callable[..., Contact]
) -> None:
    records = _records(search, coach, make_contact)
    for kind, record in records.items():
        pk = record.pk  # type: ignore[attr-defined]
        model = type(record)
        REMOVE[kind](record, coach)
        assert not model.objects.filter(pk=pk).exists(), kind  # type: ignore[attr-defined]
        history = ActivityEvent.objects.filter(subject_type=model._meta.model_name, subject_id=pk)
        verbs = set(history.values_list("verb", flat=True))
        assert f"{kind}.removed" in verbs, kind
        assert len(verbs) > 1, kind  # what came before the removal stays
        assert DeletedRecord.objects.filter(record_type=kind, record_id=pk).exists(), kind
    announced = [p["type"] for p in _deleted()]
    assert announced == list(REMOVE)


def test_only_the_coach_removes_records_and_nobody_outside_the_search_removes_anything(
    search: Client, coach: User, other_coach: User, client_user: User,
    make_contact: Callable[..., Contact],
) -> None:  # fmt: skip
    records = _records(search, coach, make_contact)
    for kind, record in records.items():  # the portal removes none of these: the coach's
        with pytest.raises(PermissionDenied):
            REMOVE[kind](record, client_user)
    for kind, record in records.items():
        with pytest.raises(NotFound):
            REMOVE[kind](record, other_coach)
    assert Meeting.objects.filter(pk=records["meeting"].pk).exists()  # type: ignore[attr-defined]


@pytest.mark.usefixtures("subscribed")
def test_a_merge_keeps_every_record_and_fills_the_gaps(
    search: Client, coach: User, make_contact: Callable[..., Contact]
) -> None:
    keep = make_contact(search, name="Pat Lee", company="Acme")
    dup = make_contact(
        search, name="Patricia Lee", email="pat@acme.example.com", how_met=HowMet.COLLEAGUE,
        willingness=Willingness.WILLING, is_key_influencer=True, tags=["alumni"], notes="Ex-boss",
    )  # fmt: skip
    other = make_contact(search, name="Sam")
    interaction_record(
        client=search, actor=coach, contact=dup, occurred_at=NOW - timedelta(days=1),
        channel="email", direction="outbound", kind="outreach", now=NOW,
    )  # fmt: skip
    intro = introduction_create(
        client=search, actor=coach, introducer=dup, target=other,
        made_at=NOW - timedelta(days=1), now=NOW,
    )  # fmt: skip

    dup_id = dup.pk
    contact_merge(keep=keep, duplicate=dup, actor=coach, now=NOW)

    keep.refresh_from_db()
    intro.refresh_from_db()
    assert not Contact.objects.filter(pk=dup_id).exists()
    assert Interaction.objects.filter(contact=keep).count() == 1
    assert intro.introducer_id == keep.pk
    assert keep.email == "pat@acme.example.com"
    assert (keep.how_met, keep.willingness) == (HowMet.COLLEAGUE, Willingness.WILLING)
    assert keep.is_key_influencer
    assert keep.tags == ["alumni"]
    assert keep.notes == "Ex-boss"
    merged = ActivityEvent.objects.get(verb="contact.merged")
    assert merged.changes["merged"] == {"id": dup_id, "name": "Patricia Lee"}
    assert [(p["type"], p["id"]) for p in _deleted()] == [("contact", dup_id)]


def test_two_people_of_one_introduction_are_not_merged(
    search: Client, coach: User, make_contact: Callable[..., Contact]
) -> None:
    a, b = make_contact(search, name="A"), make_contact(search, name="B")
    introduction_create(
        client=search, actor=coach, introducer=a, target=b, made_at=NOW - timedelta(days=1),
        now=NOW,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        contact_merge(keep=a, duplicate=b, actor=coach, now=NOW)
    assert "introduced the client to" in refused.value.message_dict["duplicate"][0]
    assert Contact.objects.filter(pk=b.pk).exists()


def test_a_corrected_interaction_obeys_the_rules_of_a_new_one(
    search: Client, coach: User, make_contact: Callable[..., Contact]
) -> None:
    ann = make_contact(search, name="Ann")
    made = interaction_record(
        client=search, actor=coach, contact=ann, occurred_at=NOW - timedelta(days=2),
        channel="email", direction="outbound", kind="outreach", now=NOW,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        interaction_update(
            interaction=made, actor=coach, data={"occurred_at": NOW + timedelta(days=1)}, now=NOW
        )
    assert "occurred_at" in refused.value.message_dict
    interaction_update(interaction=made, actor=coach, data={"channel": "phone"}, now=NOW)
    made.refresh_from_db()
    assert made.channel == "phone"
    event = ActivityEvent.objects.get(verb="interaction.updated")
    assert event.changes == {"channel": ["email", "phone"]}


@pytest.mark.usefixtures("subscribed")
def test_removing_an_interaction_is_announced(
    search: Client, coach: User, make_contact: Callable[..., Contact]
) -> None:
    ann = make_contact(search, name="Ann")
    made = interaction_record(
        client=search, actor=coach, contact=ann, occurred_at=NOW - timedelta(days=2),
        channel="email", direction="outbound", kind="outreach", now=NOW,
    )  # fmt: skip
    pk = made.pk
    interaction_remove(interaction=made, actor=coach)
    assert [(p["type"], p["id"]) for p in _deleted()] == [("interaction", pk)]


def test_landing_with_an_offer_accepts_it_and_a_wrong_offer_changes_nothing(
    search: Client, other_search: Client, coach: User, other_coach: User
) -> None:
    mine = application_create(
        client=search, actor=coach, company="Acme", role="Analyst",
        source=ApplicationSource.REFERRAL, status=ApplicationStatus.OFFER, now=NOW,
    )  # fmt: skip
    theirs = application_create(
        client=other_search, actor=other_coach, company="Globex", role="Lead",
        source=ApplicationSource.REFERRAL, now=NOW,
    )  # fmt: skip
    with pytest.raises(ValidationError):
        client_status_with_offer(
            client=search, actor=coach, status=ClientStatus.LANDED, landed_on=NOW.date(),
            offer=theirs, now=NOW,
        )  # fmt: skip
    search.refresh_from_db()
    assert search.status == ClientStatus.ACTIVE
    client_status_with_offer(
        client=search, actor=coach, status=ClientStatus.LANDED, landed_on=NOW.date(),
        offer=mine, now=NOW,
    )  # fmt: skip
    mine.refresh_from_db()
    assert mine.status == ApplicationStatus.ACCEPTED
    assert search.status == ClientStatus.LANDED
