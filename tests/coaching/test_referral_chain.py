"""A referral followed through end to end, and what the timeline and selectors show of it.

Query bounds count django-tenants' `SET search_path`, issued once per cursor: a selector with
two queries may show four.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from coaching import selectors
from coaching import services as s
from coaching.choices import (
    AbandonReason,
    ApplicationStatus,
    Channel,
    ClientStatus,
    ContactTier,
    Direction,
    InteractionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
)
from coaching.models import Interaction

from .conftest import NOW

DAY = timedelta(days=1)


def test_every_step_is_dated_and_messages_are_recorded_once(
    search, coach, client_user, make_contact
):
    ann = make_contact(search, name="Ann Introducer", is_key_influencer=True)
    bob = make_contact(search, name="Bob Target", company="Acme", is_hiring_authority=True)
    intro = s.introduction_create(
        client=search, actor=client_user, introducer=ann, target=bob,
        requested_at=NOW - 10 * DAY, now=NOW,
    )  # fmt: skip
    s.introduction_record_made(introduction=intro, at=NOW - 9 * DAY, actor=coach, now=NOW)
    s.introduction_record_contact(introduction=intro, at=NOW - 8 * DAY, actor=client_user, now=NOW)
    meeting = s.meeting_schedule(
        client=search, actor=client_user, contact=bob, scheduled_for=NOW - 5 * DAY,
        purpose=MeetingPurpose.INFORMATIONAL, introduction=intro,
    )  # fmt: skip
    s.meeting_record_preparation(
        meeting=meeting, actor=client_user, company_research="10-K", goal="meet the VP",
        at=NOW - 6 * DAY, now=NOW,
    )  # fmt: skip
    s.meeting_record_outcome(meeting=meeting, actor=client_user, status=MeetingStatus.HELD, now=NOW)
    s.meeting_record_thanks(meeting=meeting, actor=client_user, at=NOW - 4 * DAY, now=NOW)
    s.introduction_record_thanks(
        introduction=intro, at=NOW - 4 * DAY + timedelta(hours=1), actor=client_user, now=NOW
    )
    s.introduction_record_hiring_authority(
        introduction=intro, at=NOW - 3 * DAY, actor=coach, now=NOW
    )
    s.introduction_close(introduction=intro, at=NOW - 2 * DAY, actor=coach, now=NOW)
    s.introduction_record_outcome(introduction=intro, at=NOW - DAY, actor=client_user, now=NOW)

    intro.refresh_from_db()
    meeting.refresh_from_db()
    assert intro.status == IntroductionStatus.CLOSED
    assert intro.outcome_reported_at == NOW - DAY
    assert meeting.was_prepared
    assert meeting.thanked_at == NOW - 4 * DAY
    kinds = list(
        Interaction.objects.filter(client=search)
        .order_by("occurred_at")
        .values_list("kind", "contact__name")
    )
    assert kinds == [
        (InteractionKind.OUTREACH, "Bob Target"),
        (InteractionKind.THANK_YOU, "Bob Target"),
        (InteractionKind.THANK_YOU, "Ann Introducer"),
        (InteractionKind.OUTCOME_REPORT, "Ann Introducer"),
    ]
    with pytest.raises(ValidationError, match="Already recorded"):
        s.introduction_record_thanks(introduction=intro, at=NOW, actor=client_user, now=NOW)

    timeline = selectors.client_timeline(actor=coach, client_id=search.pk)
    verbs = [e.verb for e in timeline]
    assert verbs[0] == "introduction.outcome_reported"
    assert verbs[-1] == "client.created"
    assert {"introduction.made", "introduction.first_contact", "meeting.held"} <= set(verbs)
    assert {e.actor for e in timeline} == {coach, client_user}


def test_abandoning_records_whose_doing_it_was(search, coach, make_contact):
    intro = s.introduction_create(
        client=search, actor=coach, introducer=make_contact(search), target=make_contact(search),
        made_at=NOW - 3 * DAY, now=NOW,
    )  # fmt: skip
    s.introduction_abandon(
        introduction=intro,
        at=NOW - DAY,
        actor=coach,
        reason=AbandonReason.TOOK_OTHER_OFFER,
        now=NOW,
    )
    assert (intro.status, intro.abandon_reason) == ("abandoned", "took_other_offer")
    with pytest.raises(ValidationError) as exc:
        s.introduction_record_contact(introduction=intro, at=NOW, actor=coach, now=NOW)
    assert "status" in exc.value.message_dict


def test_accepting_an_offer_lands_the_client(search, coach):
    app = s.application_create(
        client=search, actor=coach, company="Acme", role="Engineer", source="referral",
        applied_on=date(2024, 3, 1), now=NOW,
    )  # fmt: skip
    s.application_update(
        application=app, actor=coach, data={"status": ApplicationStatus.ACCEPTED}, now=NOW
    )
    search.refresh_from_db()
    assert search.status == ClientStatus.LANDED
    assert search.landed_on == date(2024, 4, 15)


def test_services_default_to_the_current_time(search, coach, make_contact):
    contact = make_contact(search)
    with time_machine.travel(NOW, tick=False):
        with pytest.raises(ValidationError):
            s.interaction_record(
                client=search, actor=coach, contact=contact, occurred_at=NOW + DAY,
                channel=Channel.EMAIL, direction=Direction.OUTBOUND, kind=InteractionKind.OUTREACH,
            )  # fmt: skip
        s.interaction_record(
            client=search, actor=coach, contact=contact, occurred_at=NOW,
            channel=Channel.EMAIL, direction=Direction.OUTBOUND, kind=InteractionKind.OUTREACH,
        )  # fmt: skip


def test_contact_freshness_by_tier(search, coach, make_contact, django_assert_max_num_queries):
    vip = make_contact(search, name="Vera VIP", is_key_influencer=True)
    boss = make_contact(search, name="Hank Hiring", is_hiring_authority=True)
    make_contact(search, name="Nora Never")
    recent = make_contact(search, name="Rita Recent")
    for contact, days in ((vip, 40), (boss, 3), (recent, 1)):
        s.interaction_record(
            client=search, actor=coach, contact=contact, occurred_at=NOW - days * DAY,
            channel=Channel.PHONE, direction=Direction.OUTBOUND, kind=InteractionKind.CONVERSATION,
            now=NOW,
        )  # fmt: skip
    meeting = s.meeting_schedule(
        client=search, actor=coach, contact=vip, scheduled_for=NOW - 10 * DAY,
        purpose=MeetingPurpose.NETWORKING,
    )  # fmt: skip
    s.meeting_record_outcome(meeting=meeting, actor=coach, status=MeetingStatus.HELD, now=NOW)
    with django_assert_max_num_queries(4):
        rows = selectors.contact_freshness(actor=coach, client_id=search.pk, now=NOW)
    assert [(r.contact.name, r.tier, r.days_quiet) for r in rows] == [
        ("Vera VIP", ContactTier.KEY_INFLUENCER, 10),  # the held meeting is the last touch
        ("Hank Hiring", ContactTier.HIRING_AUTHORITY, 3),
        ("Nora Never", ContactTier.OTHER, None),
        ("Rita Recent", ContactTier.OTHER, 1),
    ]


def test_follow_ups_due_in_the_clients_zone(
    search, coach, make_contact, django_assert_max_num_queries
):
    contact = make_contact(search)
    late = NOW.replace(hour=22, minute=30)  # already Tuesday 00:30 in Berlin
    for due in (date(2024, 4, 10), date(2024, 4, 15), date(2024, 4, 16), date(2024, 4, 30)):
        s.follow_up_schedule(client=search, actor=coach, contact=contact, due_on=due)
    done = s.follow_up_schedule(
        client=search, actor=coach, contact=contact, due_on=date(2024, 4, 1)
    )
    s.follow_up_complete(follow_up=done, actor=coach, at=NOW - DAY, now=NOW)
    with django_assert_max_num_queries(4):
        due = selectors.follow_ups_due(actor=coach, client_id=search.pk, now=late)
    assert due.today == date(2024, 4, 16)
    assert [(d.follow_up.due_on.day, d.days_overdue) for d in due.overdue] == [(10, 6), (15, 1)]
    assert [d.follow_up.due_on.day for d in due.due_today] == [16]
    assert due.upcoming == []  # the 30th is beyond the 7-day horizon


def test_introductions_waiting_on_client(
    search, coach, make_contact, django_assert_max_num_queries
):
    ann, bob, cid, dan = (make_contact(search) for _ in range(4))
    waiting = s.introduction_create(
        client=search, actor=coach, introducer=ann, target=bob, made_at=NOW - 9 * DAY, now=NOW
    )
    s.introduction_create(
        client=search, actor=coach, introducer=ann, target=cid, requested_at=NOW - DAY, now=NOW
    )
    acted = s.introduction_create(
        client=search, actor=coach, introducer=ann, target=dan, made_at=NOW - 5 * DAY, now=NOW
    )
    s.introduction_record_contact(introduction=acted, at=NOW - 4 * DAY, actor=coach, now=NOW)
    with django_assert_max_num_queries(4):
        rows = selectors.introductions_waiting_on_client(actor=coach, client_id=search.pk, now=NOW)
        names = [(r.introduction.target.name, r.introduction.introducer.name) for r in rows]
    assert [r.introduction for r in rows] == [waiting]
    assert rows[0].days_waiting == 9
    assert names == [(bob.name, ann.name)]


def test_who_do_i_know_at_a_company(search, other_search, coach, make_contact):
    make_contact(search, name="Zed", company="  ACME   Corp ")
    make_contact(search, name="Amy", company="Acme Corp", is_hiring_authority=True)
    make_contact(search, name="Other", company="Acme Corporation")
    make_contact(other_search, name="Not yours", company="Acme Corp")
    found = selectors.contacts_at_company(actor=coach, client_id=search.pk, company="acme corp")
    # legal forms do not count: "Acme Corporation" is the same company (coaching.normalize)
    assert [c.name for c in found] == ["Amy", "Other", "Zed"]
    assert not selectors.contacts_at_company(
        actor=coach, client_id=search.pk, company="  "
    ).exists()


def test_timeline_and_client_list_query_counts(
    search, other_search, owner, make_contact, django_assert_max_num_queries
):
    for _ in range(5):
        make_contact(search)
        make_contact(other_search)
    with django_assert_max_num_queries(4):
        events = selectors.client_timeline(actor=owner, client_id=search.pk)
        assert all(e.actor is not None for e in events)
    with django_assert_max_num_queries(2):
        assert [c.user.email for c in selectors.client_list(actor=owner)]
