"""Creating, changing and removing each kind of record from the coach's pages: the same services
as the API (the timeline says it), problems next to the field with what was typed kept, and a
removal that keeps the history and tells integrations."""

from datetime import timedelta

from django.test import Client as HttpClient
from django.utils import timezone

from coaching.choices import ApplicationStatus, ClientStatus, IntroductionStatus, MeetingStatus
from coaching.lifecycle.models import DeletedRecord
from coaching.models import (
    ActivityEvent,
    Application,
    Contact,
    Feedback,
    FollowUp,
    Interaction,
    Introduction,
    Meeting,
)
from tests.frontend.records.conftest import Records


def _verbs(recs: Records) -> list[str]:
    return list(
        ActivityEvent.objects.filter(client=recs.client)
        .order_by("pk")
        .values_list("verb", flat=True)
    )


def _base(recs: Records) -> str:
    return f"/clients/{recs.client.pk}/"


def test_a_contact_is_added_edited_in_every_field_and_merged(
    as_coach: HttpClient, recs: Records
) -> None:
    base = _base(recs)
    response = as_coach.post(
        base + "contacts/new/",
        {"name": "Dana Dup", "company": "Acme", "how_met": "colleague", "willingness": "willing"},
    )
    assert response.status_code == 302
    dana = Contact.objects.get(name="Dana Dup")
    response = as_coach.post(
        base + f"contacts/{dana.pk}/edit/",
        {
            "name": "Dana Duplicate",
            "company": "Acme Inc",
            "title": "CTO",
            "email": "dana@acme.example.com",
            "linkedin_url": "",
            "how_met": "friend",
            "first_met_on": "2020-05-01",
            "willingness": "unwilling",
            "is_key_influencer": "on",
            "is_hiring_authority": "on",
            "tags": "alumni, fintech",
            "notes": "Met at PyCon",
        },
    )
    assert response.status_code == 302
    dana.refresh_from_db()
    assert (dana.name, dana.how_met, dana.willingness) == ("Dana Duplicate", "friend", "unwilling")
    assert dana.is_key_influencer
    assert dana.is_hiring_authority
    assert dana.tags == ["alumni", "fintech"]

    response = as_coach.post(base + f"contacts/{recs.ann.pk}/merge/", {"duplicate": dana.pk})
    assert response.status_code == 302
    assert not Contact.objects.filter(pk=dana.pk).exists()
    recs.ann.refresh_from_db()
    assert recs.ann.email == "dana@acme.example.com"
    assert recs.ann.is_hiring_authority
    assert "contact.merged" in _verbs(recs)
    assert DeletedRecord.objects.filter(record_type="contact", record_id=dana.pk).exists()


def test_a_refused_contact_keeps_what_was_typed_and_says_where(
    as_coach: HttpClient, recs: Records
) -> None:
    response = as_coach.post(
        _base(recs) + "contacts/new/",
        {"name": "Eve", "company": "Initech", "email": "not-an-address", "how_met": "other",
         "willingness": "unknown"},
    )  # fmt: skip
    assert response.status_code == 400
    page = response.content.decode()
    assert "is not a valid email address" in page
    assert 'value="Initech"' in page
    assert 'aria-describedby="id_email-error"' in page
    assert not Contact.objects.filter(name="Eve").exists()


def test_an_interaction_is_recorded_in_the_clients_zone_corrected_and_removed(
    as_coach: HttpClient, recs: Records
) -> None:
    base = _base(recs)
    form = as_coach.get(base + "interactions/new/").content.decode()
    assert "In Cleo Client&#x27;s time zone (Europe/Berlin)." in form
    response = as_coach.post(
        base + "interactions/new/",
        {"contact": recs.ben.pk, "occurred_at": "2025-01-10T09:30", "kind": "outreach",
         "channel": "email", "direction": "outbound"},
    )  # fmt: skip
    assert response.status_code == 302
    made = Interaction.objects.get(contact=recs.ben, kind="outreach")
    assert made.occurred_at.isoformat() == "2025-01-10T08:30:00+00:00"  # 09:30 in Berlin
    response = as_coach.post(
        base + f"interactions/{made.pk}/edit/",
        {"contact": recs.ben.pk, "occurred_at": "2025-01-10T10:00", "kind": "conversation",
         "channel": "phone", "direction": "outbound", "note": "Good call"},
    )  # fmt: skip
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.kind, made.channel, made.note) == ("conversation", "phone", "Good call")
    assert as_coach.post(base + f"interactions/{made.pk}/remove/").status_code == 302
    assert not Interaction.objects.filter(pk=made.pk).exists()
    assert {"interaction.recorded", "interaction.updated", "interaction.removed"} <= set(
        _verbs(recs)
    )


def test_a_future_interaction_is_refused_next_to_its_field(
    as_coach: HttpClient, recs: Records
) -> None:
    later = (timezone.now() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    response = as_coach.post(
        _base(recs) + "interactions/new/",
        {"contact": recs.ben.pk, "occurred_at": later, "kind": "outreach", "channel": "email",
         "direction": "outbound"},
    )  # fmt: skip
    assert response.status_code == 400
    assert 'id="id_occurred_at-error"' in response.content.decode()


def test_an_introduction_is_dated_step_by_step_and_abandoned_with_a_reason(
    as_coach: HttpClient, recs: Records
) -> None:
    intro = recs.introduction
    base = _base(recs) + f"introductions/{intro.pk}/"
    at = (timezone.localtime(timezone.now()) - timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    for step in ("contacted", "thanked", "reached_hiring_authority"):
        response = as_coach.post(
            base + f"steps/{step}/", {f"{step}-at": at, f"{step}-channel": "email"}
        )
        assert response.status_code == 302, response.content.decode()[:2000]
    again = as_coach.post(
        base + "steps/contacted/", {"contacted-at": at, "contacted-channel": "email"}
    )
    assert again.status_code == 400
    assert "Already recorded" in again.content.decode()
    refused = as_coach.post(base + "end/", {"outcome": "abandoned", "at": at, "reason": ""})
    assert refused.status_code == 400
    response = as_coach.post(
        base + "end/", {"outcome": "abandoned", "at": at, "reason": "took_other_offer"}
    )
    assert response.status_code == 302
    intro.refresh_from_db()
    assert intro.status == IntroductionStatus.ABANDONED
    assert intro.first_contact_at
    assert intro.thanked_at
    assert intro.reached_hiring_authority_at


def test_a_follow_up_is_scheduled_moved_done_and_another_removed(
    as_coach: HttpClient, recs: Records
) -> None:
    base = _base(recs)
    day = (timezone.localdate() + timedelta(days=5)).isoformat()
    assert (
        as_coach.post(
            base + "follow-ups/new/", {"contact": recs.ann.pk, "due_on": day, "channel": "phone"}
        ).status_code
        == 302
    )
    made = FollowUp.objects.get(contact=recs.ann)
    later = (timezone.localdate() + timedelta(days=9)).isoformat()
    assert as_coach.post(base + f"follow-ups/{made.pk}/", {"due_on": later}).status_code == 302
    made.refresh_from_db()
    assert made.due_on.isoformat() == later
    now = timezone.localtime(timezone.now()).strftime("%Y-%m-%dT%H:%M")
    assert as_coach.post(base + f"follow-ups/{made.pk}/done/", {"at": now}).status_code == 302
    made.refresh_from_db()
    assert made.done_at is not None
    assert made.interaction_id is not None
    other = recs.follow_up
    assert as_coach.post(base + f"follow-ups/{other.pk}/remove/").status_code == 302
    assert not FollowUp.objects.filter(pk=other.pk).exists()
    assert "follow_up.removed" in _verbs(recs)


def test_an_application_is_recorded_edited_and_removed_keeping_its_history(
    as_coach: HttpClient, recs: Records
) -> None:
    base = _base(recs)
    response = as_coach.post(
        base + "applications/new/",
        {"company": "Initech", "role": "Analyst", "source": "job_board", "fit_rating": "poor",
         "status": "applied"},
    )  # fmt: skip
    assert response.status_code == 302
    made = Application.objects.get(company="Initech")
    response = as_coach.post(
        base + f"applications/{made.pk}/",
        {"company": "Initech", "role": "Senior analyst", "source": "referral",
         "fit_rating": "good", "status": "interviewing"},
    )  # fmt: skip
    assert response.status_code == 302
    made.refresh_from_db()
    assert (made.role, made.source, made.status) == ("Senior analyst", "referral", "interviewing")
    assert as_coach.post(base + f"applications/{made.pk}/remove/").status_code == 302
    assert not Application.objects.filter(pk=made.pk).exists()
    removed = ActivityEvent.objects.get(verb="application.removed", subject_id=made.pk)
    assert removed.changes["role"] == "Senior analyst"
    assert DeletedRecord.objects.filter(record_type="application", record_id=made.pk).exists()


def test_a_refused_application_keeps_the_data(as_coach: HttpClient, recs: Records) -> None:
    response = as_coach.post(
        _base(recs) + "applications/new/",
        {"company": "Initech", "role": "", "source": "job_board", "fit_rating": "good",
         "status": "applied"},
    )  # fmt: skip
    assert response.status_code == 400
    assert 'value="Initech"' in response.content.decode()


def test_a_meeting_is_scheduled_prepared_cancelled_and_removed(
    as_coach: HttpClient, recs: Records
) -> None:
    base = _base(recs)
    when = (timezone.localtime(timezone.now()) + timedelta(days=4)).strftime("%Y-%m-%dT%H:%M")
    response = as_coach.post(
        base + "meetings/new/",
        {"contact": recs.ann.pk, "scheduled_for": when, "purpose": "networking"},
    )
    assert response.status_code == 302
    made = Meeting.objects.get(contact=recs.ann)
    refused = as_coach.post(base + f"meetings/{made.pk}/outcome/", {"status": "held"})
    assert refused.status_code == 400
    assert "still ahead" in refused.content.decode()
    assert (
        as_coach.post(
            base + f"meetings/{made.pk}/prepare/", {"goal": "A referral to the data team"}
        ).status_code
        == 302
    )
    assert (
        as_coach.post(base + f"meetings/{made.pk}/outcome/", {"status": "cancelled"}).status_code
        == 302
    )
    made.refresh_from_db()
    assert made.status == MeetingStatus.CANCELLED
    assert made.was_prepared
    assert as_coach.post(base + f"meetings/{made.pk}/remove/").status_code == 302
    assert not Meeting.objects.filter(pk=made.pk).exists()


def test_feedback_is_recorded_and_removed(as_coach: HttpClient, recs: Records) -> None:
    base = _base(recs)
    refused = as_coach.post(
        base + "feedback/new/",
        {"source": "introducer", "about": "overstated_credentials",
         "received_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert refused.status_code == 400
    assert "Say which introducer" in refused.content.decode()
    response = as_coach.post(
        base + "feedback/new/",
        {"source": "introducer", "contact": recs.ann.pk, "about": "overstated_credentials",
         "received_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    assert response.status_code == 302
    made = Feedback.objects.get(contact=recs.ann)
    assert as_coach.post(base + f"feedback/{made.pk}/remove/").status_code == 302
    assert not Feedback.objects.filter(pk=made.pk).exists()


def test_an_introduction_is_recorded_and_removed(as_coach: HttpClient, recs: Records) -> None:
    base = _base(recs)
    at = (timezone.localtime(timezone.now()) - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = as_coach.post(
        base + "introductions/new/",
        {"introducer": recs.ben.pk, "target": recs.ann.pk, "kind": "introduction",
         "requested_at": at},
    )  # fmt: skip
    assert response.status_code == 302
    made = Introduction.objects.get(introducer=recs.ben)
    assert as_coach.post(base + f"introductions/{made.pk}/remove/").status_code == 302
    assert not Introduction.objects.filter(pk=made.pk).exists()
    assert "introduction.removed" in _verbs(recs)


def test_the_client_lands_with_the_offer_and_only_the_owner_reassigns(
    http: HttpClient, coach: object, owner: object, other_coach: object, recs: Records
) -> None:
    base = _base(recs)
    http.force_login(coach)  # type: ignore[arg-type]
    response = http.post(
        base + "status/",
        {"status": "landed", "landed_on": timezone.localdate().isoformat(),
         "offer": recs.application.pk},
    )  # fmt: skip
    assert response.status_code == 302
    recs.client.refresh_from_db()
    recs.application.refresh_from_db()
    assert recs.client.status == ClientStatus.LANDED
    assert recs.application.status == ApplicationStatus.ACCEPTED
    assert http.post(base + "reassign/", {"coach": other_coach.pk}).status_code == 404  # type: ignore[attr-defined]
    http.force_login(owner)  # type: ignore[arg-type]
    assert http.post(base + "reassign/", {"coach": other_coach.pk}).status_code == 302  # type: ignore[attr-defined]
    recs.client.refresh_from_db()
    assert recs.client.coach_id == other_coach.pk  # type: ignore[attr-defined]


def test_a_refused_status_says_why_next_to_the_field(as_coach: HttpClient, recs: Records) -> None:
    response = as_coach.post(_base(recs) + "status/", {"status": "landed"})
    assert response.status_code == 400
    assert 'id="id_landed_on-error"' in response.content.decode()
