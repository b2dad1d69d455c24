# ruff: noqa: E501 - the case table reads best one case per line
"""Every invalid write is refused with the field and the problem, and changes nothing."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from coaching import services as s
from coaching.choices import (
    ApplicationSource,
    Channel,
    Direction,
    InteractionKind,
    MeetingPurpose,
    MeetingStatus,
)
from coaching.models import Client, Contact

from .conftest import NOW

EARLIER = NOW - timedelta(days=3)
LATER = NOW + timedelta(hours=1)


@dataclass
class World:
    search: Client
    other_search: Client
    coach: Any
    client_user: Any
    a: Contact
    b: Contact
    theirs: Contact


@pytest.fixture
def w(search, other_search, coach, client_user, make_contact) -> World:
    return World(
        search=search,
        other_search=other_search,
        coach=coach,
        client_user=client_user,
        a=make_contact(search, email="ann@example.com", linkedin_url="linkedin.com/in/ann"),
        b=make_contact(search, company="Globex"),
        theirs=make_contact(other_search),
    )


def _interaction(w: World, **over: Any) -> Any:
    args = {
        "client": w.search,
        "actor": w.coach,
        "contact": w.a,
        "occurred_at": EARLIER,
        "channel": Channel.EMAIL,
        "direction": Direction.OUTBOUND,
        "kind": InteractionKind.OUTREACH,
        "now": NOW,
    }
    return partial(s.interaction_record, **{**args, **over})


def _intro(w: World, **over: Any) -> Any:
    return _intro_call(w, **over)()


def _intro_call(w: World, **over: Any) -> Any:
    args = {
        "client": w.search,
        "actor": w.coach,
        "introducer": w.a,
        "target": w.b,
        "requested_at": EARLIER - timedelta(days=2),
        "made_at": EARLIER,
        "now": NOW,
    }
    return partial(s.introduction_create, **{**args, **over})


CASES: list[tuple[str, Callable[[World], Callable[[], Any]], set[str]]] = [
    # contacts
    ("contact without name", lambda w: partial(s.contact_create, client=w.search, actor=w.coach, name="  "), {"name"}),
    ("bad email", lambda w: partial(s.contact_create, client=w.search, actor=w.coach, name="X", email="nope"), {"email"}),
    ("not a linkedin url", lambda w: partial(s.contact_create, client=w.search, actor=w.coach, name="X", linkedin_url="https://example.com/x"), {"linkedin_url"}),
    ("how met not an enum", lambda w: partial(s.contact_create, client=w.search, actor=w.coach, name="X", how_met="bar"), {"how_met"}),
    ("willingness not an enum", lambda w: partial(s.contact_create, client=w.search, actor=w.coach, name="X", willingness="maybe"), {"willingness"}),
    ("first met tomorrow", lambda w: partial(s.contact_create, client=w.search, actor=w.coach, name="X", first_met_on=date(2024, 4, 16), now=NOW), {"first_met_on"}),
    ("duplicate email, other case", lambda w: partial(s.contact_create, client=w.search, actor=w.coach, name="X", email=" ANN@example.com"), {"email"}),
    ("duplicate linkedin, other spelling", lambda w: partial(s.contact_create, client=w.search, actor=w.coach, name="X", linkedin_url="https://www.linkedin.com/in/Ann/?trk=1"), {"linkedin_url"}),
    ("contact update unknown field", lambda w: partial(s.contact_update, contact=w.a, actor=w.coach, data={"client": 3}), {"client"}),
    ("contact update steals an email", lambda w: partial(s.contact_update, contact=w.b, actor=w.coach, data={"email": "ann@example.com"}), {"email"}),
    # interactions
    ("interaction with another client's contact", lambda w: _interaction(w, contact=w.theirs), {"contact"}),
    ("interaction in the future", lambda w: _interaction(w, occurred_at=LATER), {"occurred_at"}),
    ("naive time", lambda w: _interaction(w, occurred_at=datetime(2024, 4, 1, 9)), {"occurred_at"}),
    ("every enum wrong at once", lambda w: _interaction(w, channel="fax", direction="up", kind="gossip"), {"channel", "direction", "kind"}),
    ("reply before the message", lambda w: _interaction(w, replied_at=EARLIER - timedelta(hours=1)), {"replied_at"}),
    ("reply to an inbound message", lambda w: _interaction(w, direction=Direction.INBOUND, replied_at=NOW), {"replied_at"}),
    # introductions
    ("introduction without any date", lambda w: _intro_call(w, requested_at=None, made_at=None), {"requested_at"}),
    ("made before requested", lambda w: _intro_call(w, requested_at=EARLIER, made_at=EARLIER - timedelta(days=1)), {"made_at"}),
    ("made in the future", lambda w: _intro_call(w, made_at=LATER), {"made_at"}),
    ("introduced to themselves", lambda w: _intro_call(w, target=w.a), {"target"}),
    ("target from another search", lambda w: _intro_call(w, target=w.theirs), {"target"}),
    ("contact before the introduction was made", lambda w: partial(s.introduction_record_contact, introduction=_intro(w), at=EARLIER - timedelta(hours=1), actor=w.coach, now=NOW), {"first_contact_at"}),
    ("contact on an introduction not yet made", lambda w: partial(s.introduction_record_contact, introduction=_intro(w, made_at=None), at=EARLIER, actor=w.coach, now=NOW), {"first_contact_at"}),
    ("thanks in the future", lambda w: partial(s.introduction_record_thanks, introduction=_intro(w), at=LATER, actor=w.coach, now=NOW), {"thanked_at"}),
    ("hiring authority before made", lambda w: partial(s.introduction_record_hiring_authority, introduction=_intro(w), at=EARLIER - timedelta(days=1), actor=w.coach, now=NOW), {"reached_hiring_authority_at"}),
    ("abandon with an unknown reason", lambda w: partial(s.introduction_abandon, introduction=_intro(w), at=NOW, reason="bored", actor=w.coach, now=NOW), {"reason"}),
    ("close before it was made", lambda w: partial(s.introduction_close, introduction=_intro(w), at=EARLIER - timedelta(days=1), actor=w.coach, now=NOW), {"ended_at"}),
    # meetings
    ("meeting purpose not an enum", lambda w: partial(s.meeting_schedule, client=w.search, actor=w.coach, contact=w.a, scheduled_for=NOW, purpose="party"), {"purpose"}),
    ("meeting before its introduction", lambda w: partial(s.meeting_schedule, client=w.search, actor=w.coach, contact=w.b, scheduled_for=EARLIER - timedelta(days=1), purpose=MeetingPurpose.NETWORKING, introduction=_intro(w)), {"scheduled_for"}),
    ("held before it happened", lambda w: partial(s.meeting_record_outcome, meeting=s.meeting_schedule(client=w.search, actor=w.coach, contact=w.a, scheduled_for=LATER, purpose=MeetingPurpose.NETWORKING), actor=w.coach, status=MeetingStatus.HELD, now=NOW), {"status"}),
    ("preparation after the meeting", lambda w: partial(s.meeting_record_preparation, meeting=s.meeting_schedule(client=w.search, actor=w.coach, contact=w.a, scheduled_for=EARLIER, purpose=MeetingPurpose.NETWORKING), actor=w.coach, goal="a referral", now=NOW), {"prepared_at"}),
    ("empty preparation", lambda w: partial(s.meeting_record_preparation, meeting=s.meeting_schedule(client=w.search, actor=w.coach, contact=w.a, scheduled_for=LATER, purpose=MeetingPurpose.NETWORKING), actor=w.coach, now=NOW), {"goal"}),
    ("thanks for a meeting not held", lambda w: partial(s.meeting_record_thanks, meeting=s.meeting_schedule(client=w.search, actor=w.coach, contact=w.a, scheduled_for=EARLIER, purpose=MeetingPurpose.NETWORKING), actor=w.coach, at=NOW, now=NOW), {"status"}),
    # follow-ups
    ("follow-up for another client's contact", lambda w: partial(s.follow_up_schedule, client=w.search, actor=w.coach, contact=w.theirs, due_on=date(2024, 4, 20)), {"contact"}),
    ("follow-up channel not an enum", lambda w: partial(s.follow_up_schedule, client=w.search, actor=w.coach, contact=w.a, due_on=date(2024, 4, 20), channel="pigeon"), {"channel"}),
    ("removing the message that completed a follow-up", lambda w: partial(s.interaction_remove, interaction=s.follow_up_complete(follow_up=s.follow_up_schedule(client=w.search, actor=w.coach, contact=w.a, due_on=date(2024, 4, 10)), actor=w.coach, at=EARLIER, now=NOW).interaction, actor=w.coach), {"interaction"}),
    ("follow-up moved to a non-date", lambda w: partial(s.follow_up_reschedule, follow_up=s.follow_up_schedule(client=w.search, actor=w.coach, contact=w.a, due_on=date(2024, 4, 20)), actor=w.coach, due_on="next week"), {"due_on"}),
    ("follow-up moved after it was done", lambda w: partial(s.follow_up_reschedule, follow_up=s.follow_up_complete(follow_up=s.follow_up_schedule(client=w.search, actor=w.coach, contact=w.a, due_on=date(2024, 4, 10)), actor=w.coach, at=EARLIER, now=NOW), actor=w.coach, due_on=date(2024, 4, 30)), {"due_on"}),
    ("follow-up done in the future", lambda w: partial(s.follow_up_complete, follow_up=s.follow_up_schedule(client=w.search, actor=w.coach, contact=w.a, due_on=date(2024, 4, 20)), actor=w.coach, at=LATER, now=NOW), {"done_at"}),
    # applications
    ("application without company, bad source", lambda w: partial(s.application_create, client=w.search, actor=w.coach, company=" ", role="Analyst", source="newspaper", now=NOW), {"company", "source"}),
    ("applied tomorrow", lambda w: partial(s.application_create, client=w.search, actor=w.coach, company="Acme", role="Analyst", source=ApplicationSource.DIRECT, applied_on=date(2024, 4, 16), now=NOW), {"applied_on"}),
    ("client rates their own fit", lambda w: partial(s.application_create, client=w.search, actor=w.client_user, company="Acme", role="Analyst", source=ApplicationSource.DIRECT, fit_rating="good", now=NOW), {"fit_rating"}),
    # client profile
    ("landed without a date", lambda w: partial(s.client_set_status, client=w.search, actor=w.coach, status="landed", now=NOW), {"landed_on"}),
    ("status not an enum", lambda w: partial(s.client_set_status, client=w.search, actor=w.coach, status="retired", now=NOW), {"status"}),
    ("unknown time zone and zero goal", lambda w: partial(s.client_update, client=w.search, actor=w.coach, data={"time_zone": "Mars/Olympus", "weekly_outreach_goal": 0}), {"time_zone", "weekly_outreach_goal"}),
    ("target roles without a role", lambda w: partial(s.client_update, client=w.search, actor=w.coach, data={"target_roles": [{"family": "data"}]}), {"target_roles"}),
    ("convincing but missing story", lambda w: partial(s.client_review_leaving_story, client=w.search, actor=w.coach, verdict="ok"), {"verdict"}),
    ("checklist state not an enum", lambda w: partial(s.client_review_presentation, client=w.search, actor=w.coach, item="resume", state="meh"), {"state"}),
    ("negative threshold", lambda w: partial(s.client_set_threshold_overrides, client=w.search, actor=w.coach, overrides={"weekly_outreach_goal": -1}), {"threshold_overrides"}),
    # feedback
    ("introducer feedback without the introducer", lambda w: partial(s.feedback_record, client=w.search, actor=w.coach, source="introducer", about="overstated_credentials", received_on=date(2024, 4, 1), now=NOW), {"contact"}),
    ("feedback about something not an enum", lambda w: partial(s.feedback_record, client=w.search, actor=w.coach, source="coach", about="shoes", received_on=date(2024, 4, 1), now=NOW), {"about"}),
]  # fmt: skip


@pytest.mark.parametrize(("case", "write", "fields"), CASES, ids=[c[0] for c in CASES])
def test_invalid_write_is_refused_and_changes_nothing(case, write, fields, w, unchanged):
    call = write(w)  # writes what the case needs first (an introduction, a meeting)
    with unchanged(), pytest.raises(ValidationError) as exc:
        call()
    errors = exc.value.message_dict
    assert fields <= set(errors), errors
    assert all(msg.endswith(".") for msgs in errors.values() for msg in msgs), errors
