"""The LinkedIn data archive as the record: contacts, messages, invitations, recommendations;
the client's own profile recognised; a later archive adds only what is new."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

import pytest

from coaching.capture.models import CapturedInteraction, CaptureSettings, ReviewState
from coaching.capture.review import capture_review, pending_summary
from coaching.choices import (
    Channel,
    Direction,
    HowMet,
    ImportKind,
    ImportMode,
    ImportStatus,
    InteractionKind,
    Willingness,
)
from coaching.imports.wording import outcome_sentences
from coaching.models import Contact, ImportJob, Interaction
from coaching.services.imports import import_run, import_start

from .archive_factory import OWN_URL, Archive, person_url
from .conftest import NOW


def run(search, actor, payload: bytes, mode=ImportMode.GOOD_ROWS) -> ImportJob:
    job = import_start(
        client=search,
        actor=actor,
        kind=ImportKind.LINKEDIN_ARCHIVE,
        payload=payload,
        filename="Basic_LinkedInDataExport.zip",
        mode=mode,
    )
    return import_run(job_id=job.pk, now=NOW)


def captured(search):
    return CapturedInteraction.objects.filter(client=search).order_by("occurred_at", "pk")


def test_a_small_archive_becomes_contacts_and_pending_exchanges(search, client_user):
    archive = Archive(connections=10, messages=20, invitations=3, strangers=1)
    job = run(search, client_user, archive.zip())
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.errors == []
    assert job.summary["contacts_created"] == 10
    assert job.summary["messages_created"] == 20
    assert job.summary["invitations_created"] == 3
    assert job.summary["people_proposed"] == 1 + 3  # the stranger and the invited
    assert Contact.objects.filter(client=search).count() == 10
    assert not Interaction.objects.filter(client=search).exists()  # pending: nothing counts yet

    rows = list(captured(search))
    assert {r.state for r in rows} == {ReviewState.PENDING}
    first = [r for r in rows if r.thread_key == "li:2-00000001=="]
    assert [(r.direction, r.kind) for r in first] == [
        (Direction.OUTBOUND, InteractionKind.OUTREACH),
        (Direction.INBOUND, InteractionKind.CONVERSATION),
        (Direction.OUTBOUND, InteractionKind.CONVERSATION),
        (Direction.INBOUND, InteractionKind.CONVERSATION),
        (Direction.OUTBOUND, InteractionKind.CONVERSATION),
    ]
    assert {r.contact.linkedin_url for r in first if r.contact} == {person_url(1)}
    assert first[1].answers_id == first[0].pk
    assert first[3].answers_id == first[2].pk
    assert all(r.channel == Channel.LINKEDIN for r in rows)
    # The stranger is proposed, not created.
    stranger = [r for r in rows if r.thread_key == "li:2-00000000=="]
    assert {(r.contact_id, r.person_name) for r in stranger} == {
        (None, "Person900000 Tester900000")
    }
    # Invitations: outreach on LinkedIn, the person "LinkedIn connection only".
    invitations = [r for r in rows if r.thread_key.startswith("li:invitation:")]
    assert [(r.direction, r.kind, r.person_how_met) for r in invitations] == [
        (Direction.OUTBOUND, InteractionKind.OUTREACH, HowMet.LINKEDIN_ONLY),
        (Direction.OUTBOUND, InteractionKind.OUTREACH, HowMet.LINKEDIN_ONLY),
        (Direction.INBOUND, InteractionKind.OUTREACH, HowMet.LINKEDIN_ONLY),
    ]
    # Dates are LinkedIn's, in UTC.
    assert rows[0].occurred_at.tzinfo is not None
    # The recommender is willing to help.
    recommender = Contact.objects.get(client=search, linkedin_url=person_url(0))
    assert recommender.willingness == Willingness.WILLING
    assert "recommended you" in recommender.tags
    assert pending_summary(client=search).sentence() == (
        "23 new messages with 7 contacts — 4 new people"
    )


def test_message_content_is_not_stored_unless_the_practice_keeps_it(search, client_user):
    run(search, client_user, Archive(messages=5, invitations=1).zip())
    assert not captured(search).exclude(content="").exists()
    assert not captured(search).exclude(subject="").exists()

    CaptureSettings.objects.create(store_message_content=True)
    run(search, client_user, Archive(messages=10, invitations=2).zip())
    kept = captured(search).exclude(content="")
    assert kept.count() == 5 + 1  # only the new messages and the new invitation
    assert "shall we talk" in kept.filter(thread_key__startswith="li:2-").first().content


def test_the_same_archive_again_adds_nothing_and_a_later_one_only_the_new(search, client_user):
    run(search, client_user, Archive(messages=20, invitations=3).zip())
    before = captured(search).count()
    again = run(search, client_user, Archive(messages=20, invitations=3).zip())
    assert again.status == ImportStatus.SUCCEEDED
    assert "messages_created" not in again.summary
    assert again.summary.get("messages_known") == 20
    assert again.summary.get("invitations_known") == 3
    assert captured(search).count() == before
    assert outcome_sentences(
        kind=again.kind, mode=again.mode, status=again.status, summary=again.summary
    ) == ["10 contacts already in your list and 20 messages already recorded."]

    later = Archive(messages=30, invitations=5)  # the same history and more
    job = run(search, client_user, later.zip())
    assert job.summary["messages_created"] == 10
    assert job.summary["invitations_created"] == 2
    assert captured(search).count() == before + 12
    assert Contact.objects.filter(client=search).count() == 10


def test_a_reply_in_a_later_archive_answers_the_message_already_captured(search, client_user):
    run(search, client_user, Archive(messages=6, strangers=0).zip())  # ends with the client
    run(search, client_user, Archive(messages=7, strangers=0).zip())
    reply = captured(search).get(thread_key="li:2-00000001==", direction=Direction.INBOUND)
    answered = reply.answers
    assert answered is not None
    assert (answered.direction, answered.thread_key) == (Direction.OUTBOUND, reply.thread_key)


def test_confirming_makes_them_interactions_with_replies_marked(search, client_user):
    archive = Archive(connections=5, messages=10, invitations=0, strangers=1)
    run(search, client_user, archive.zip())
    result = capture_review(client=search, actor=client_user, now=NOW)
    assert (result.confirmed, result.people_created) == (10, 1)
    interactions = Interaction.objects.filter(client=search)
    assert interactions.count() == 10
    conversation = list(
        interactions.filter(contact__linkedin_url=person_url(1)).order_by("occurred_at")
    )
    assert [i.direction for i in conversation] == ["outbound", "inbound"] * 2 + ["outbound"]
    assert conversation[0].replied_at == conversation[1].occurred_at
    assert conversation[2].replied_at == conversation[3].occurred_at
    assert conversation[4].replied_at is None
    assert not CapturedInteraction.objects.filter(client=search, state="pending").exists()
    # A re-import after confirming adds nothing either.
    again = run(search, client_user, archive.zip())
    assert "messages_created" not in again.summary
    assert Interaction.objects.filter(client=search).count() == 10


@pytest.mark.parametrize("how", ["profile", "most_frequent"])
def test_the_clients_own_profile_is_recognised_without_sent_invitations(search, client_user, how):
    archive = Archive(messages=10, invitations=3, own_invitations=False)
    archive.with_profile = how == "profile"
    run(search, client_user, archive.zip())
    first = captured(search).filter(thread_key="li:2-00000001==").first()
    assert first is not None
    assert first.direction == Direction.OUTBOUND
    assert OWN_URL not in set(captured(search).values_list("person_linkedin_url", flat=True))


def test_dates_obey_the_one_rule(search, client_user):
    archive = Archive(messages=5, origin=datetime(2024, 4, 13, tzinfo=UTC))
    job = run(search, client_user, archive.zip())
    late = [e for e in job.errors if "messages.csv" in e["field"]]
    assert late, job.errors
    assert all("cannot be in the future" in e["message"] for e in late)
    strict = run(search, client_user, archive.zip(), mode=ImportMode.ALL_OR_NOTHING)
    assert strict.status == ImportStatus.FAILED


@pytest.mark.parametrize(
    ("payload", "words"),
    [
        (b"First Name,Last Name\n", "not a zip file"),
        (b"PK\x03\x04broken", "not a zip file"),
    ],
)
def test_files_that_are_not_archives_are_refused_in_words(search, client_user, payload, words):
    job = run(search, client_user, payload)
    assert job.status == ImportStatus.FAILED
    assert words in job.errors[0]["message"]


def test_a_zip_without_linkedin_files_is_refused(search, client_user):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("holiday.jpg", b"\xff\xd8")
    job = run(search, client_user, out.getvalue())
    assert job.status == ImportStatus.FAILED
    assert "none of LinkedIn's Connections.csv" in job.errors[0]["message"]


def test_one_clients_archive_never_reaches_another(search, other_search, client_user, coach):
    run(search, client_user, Archive(messages=10).zip())
    assert not CapturedInteraction.objects.filter(client=other_search).exists()
    assert not Contact.objects.filter(client=other_search).exists()
    from coaching.access import NotFound

    with pytest.raises(NotFound):
        import_start(
            client=other_search,
            actor=client_user,
            kind=ImportKind.LINKEDIN_ARCHIVE,
            payload=Archive().zip(),
        )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):  # the coach never confirms what may be personal
        capture_review(client=search, actor=coach)
