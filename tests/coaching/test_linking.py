"""One event, one record (`coaching.services.linking`): a message dates the step of the referral
chain it settles, through the service every way in uses, and never guesses between two."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from accounts.models import User
from coaching.choices import (
    Channel,
    Direction,
    ImportKind,
    InteractionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
)
from coaching.models import Client, Contact, Interaction, Introduction, Meeting
from coaching.services import interaction_record
from coaching.services.imports import import_run, import_start
from coaching.services.linking import event_record, open_settlements

from .conftest import NOW

Make = Callable[..., Contact]


def _intro(search: Client, introducer: Contact, target: Contact, *, days: float) -> Introduction:
    return Introduction.objects.create(
        client=search, introducer=introducer, target=target, made_at=NOW - timedelta(days=days)
    )


def _message(search: Client, coach: User, to: Contact, kind: str, **kw: Any) -> Interaction:
    return interaction_record(
        client=search,
        actor=coach,
        contact=to,
        occurred_at=NOW - timedelta(hours=1),
        channel=Channel.PHONE,
        direction=Direction.OUTBOUND,
        kind=kind,
        now=NOW,
        **kw,
    )


def test_any_outreach_to_the_target_is_the_first_contact(
    search: Client, coach: User, make_contact: Make
) -> None:
    intro = _intro(search, make_contact(search), make_contact(search, name="Chloe"), days=9)
    message = _message(search, coach, intro.target, InteractionKind.FOLLOW_UP)
    intro.refresh_from_db()
    assert intro.first_contact_at == message.occurred_at


def test_a_message_before_the_introduction_or_to_an_ended_one_settles_nothing(
    search: Client, coach: User, make_contact: Make
) -> None:
    target = make_contact(search)
    fresh = _intro(search, make_contact(search), target, days=0)  # made after the message
    ended = _intro(search, make_contact(search), target, days=5)
    ended.status, ended.ended_at = IntroductionStatus.CLOSED, NOW - timedelta(days=1)
    ended.save()
    _message(search, coach, target, InteractionKind.OUTREACH)
    fresh.refresh_from_db()
    ended.refresh_from_db()
    assert fresh.first_contact_at is None
    assert ended.first_contact_at is None


def test_two_possible_items_are_never_guessed_and_can_be_named(
    search: Client, coach: User, make_contact: Make
) -> None:
    kate = make_contact(search, name="Kate")
    intro = _intro(search, kate, make_contact(search), days=4)
    meeting = Meeting.objects.create(
        client=search,
        contact=kate,
        scheduled_for=NOW - timedelta(days=2),
        purpose=MeetingPurpose.NETWORKING,
        status=MeetingStatus.HELD,
    )
    unsure = event_record(
        client=search,
        actor=coach,
        contact=kate,
        occurred_at=NOW - timedelta(hours=1),
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        kind=InteractionKind.THANK_YOU,
        now=NOW,
    )
    assert unsure.settled == []
    assert [c.key for c in unsure.choices] == [f"meeting:{meeting.pk}", f"introduction:{intro.pk}"]
    named = _message(
        search, coach, kate, InteractionKind.THANK_YOU, settles=[f"introduction:{intro.pk}"]
    )
    intro.refresh_from_db()
    meeting.refresh_from_db()
    assert intro.thanked_at == named.occurred_at
    assert meeting.thanked_at is None
    with pytest.raises(ValidationError) as refused:
        _message(search, coach, kate, InteractionKind.THANK_YOU, settles=["meeting:999999"])
    assert "settles" in refused.value.message_dict


def test_an_outcome_report_to_the_introducer_is_recorded(
    search: Client, coach: User, make_contact: Make
) -> None:
    ada = make_contact(search, name="Ada")
    intro = _intro(search, ada, make_contact(search), days=6)
    logged = event_record(
        client=search,
        actor=coach,
        contact=ada,
        occurred_at=NOW,
        channel=Channel.EMAIL,
        direction=Direction.OUTBOUND,
        kind=InteractionKind.OUTCOME_REPORT,
        now=NOW,
    )
    intro.refresh_from_db()
    assert intro.outcome_reported_at == NOW
    assert [s.label for s in logged.settled] == [f"how it went with {intro.target.name}"]


def test_a_reply_from_someone_settles_nothing_but_a_conversation_does(
    search: Client, coach: User, make_contact: Make
) -> None:
    target = make_contact(search)
    intro = _intro(search, make_contact(search), target, days=3)
    assert not open_settlements(
        client=search,
        contact=target,
        kind=InteractionKind.OUTREACH,
        direction=Direction.INBOUND,
        at=NOW,
    )
    assert (
        open_settlements(
            client=search,
            contact=target,
            kind=InteractionKind.CONVERSATION,
            direction=Direction.INBOUND,
            at=NOW,
        )[0].record
        == intro
    )


def test_an_import_dates_the_step_its_messages_settle(
    search: Client, coach: User, make_contact: Make, monkeypatch: pytest.MonkeyPatch
) -> None:
    from coaching import tasks

    monkeypatch.setattr(tasks.import_run_task, "delay", lambda job_id: None)
    target = make_contact(search, name="Tara Target", email="tara@example.com")
    intro = _intro(search, make_contact(search), target, days=20)
    when = (NOW - timedelta(days=10)).isoformat()
    row = f"tara@example.com,{when},email,outbound,outreach\n"
    payload = b"contact_email,occurred_at,channel,direction,kind\n" + row.encode()
    job = import_start(
        client=search,
        actor=coach,
        kind=ImportKind.INTERACTIONS_CSV,
        payload=payload,
        filename="f.csv",
    )
    job = import_run(job_id=job.pk, now=NOW)
    assert job.status == "succeeded", job.errors
    intro.refresh_from_db()
    assert intro.first_contact_at == NOW - timedelta(days=10)
