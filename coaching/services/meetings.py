"""Writes to meetings: networking and informational conversations, and interviews."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.access import ensure_can_write
from coaching.choices import Channel, Direction, InteractionKind, MeetingPurpose, MeetingStatus
from coaching.models import Application, Client, Contact, Introduction, Meeting
from coaching.services.activity import activity_record, field_values
from coaching.services.interactions import interaction_add
from coaching.services.removal import record_remove
from coaching.validation import Errors

_OUTCOMES = (MeetingStatus.HELD, MeetingStatus.NO_SHOW, MeetingStatus.CANCELLED)


@transaction.atomic
def meeting_schedule(
    *,
    client: Client,
    actor: User,
    contact: Contact,
    scheduled_for: datetime,
    purpose: str,
    introduction: Introduction | None = None,
    application: Application | None = None,
    note: str = "",
) -> Meeting:
    """A meeting at a given time; `introduction` links it to the referral it came from."""
    ensure_can_write(actor=actor, client=client)
    errors = Errors()
    errors.belongs("contact", contact, client)
    errors.belongs("introduction", introduction, client)
    errors.belongs("application", application, client)
    errors.choice("purpose", purpose, MeetingPurpose)
    if errors.aware("scheduled_for", scheduled_for) and introduction is not None:
        if introduction.made_at is None:
            errors.add("introduction", "This introduction has not been made yet.")
        else:
            errors.not_before(
                "scheduled_for", scheduled_for, introduction.made_at, "the introduction was made"
            )
    errors.raise_if_any()
    meeting = Meeting.objects.create(
        client=client,
        contact=contact,
        scheduled_for=scheduled_for,
        purpose=purpose,
        introduction=introduction,
        application=application,
        note=note.strip(),
    )
    activity_record(
        client=client,
        actor=actor,
        verb="meeting.scheduled",
        subject=meeting,
        changes=field_values(
            meeting, ["contact", "scheduled_for", "purpose", "introduction", "application"]
        ),
    )
    return meeting


@transaction.atomic
def meeting_record_preparation(
    *,
    meeting: Meeting,
    actor: User,
    company_research: str = "",
    questions: str = "",
    goal: str = "",
    at: datetime | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Research, questions and a goal, written down before the meeting (that is what counts)."""
    now = now or timezone.now()
    at = at or now
    ensure_can_write(actor=actor, client=meeting.client)
    errors = Errors()
    prep = {
        "prep_company_research": company_research.strip(),
        "prep_questions": questions.strip(),
        "prep_goal": goal.strip(),
    }
    if not any(prep.values()):
        errors.add("goal", "Record at least one of: company research, questions, goal.")
    errors.not_future("prepared_at", at, now=now)
    if "prepared_at" not in errors and at > meeting.scheduled_for:
        errors.add(
            "prepared_at",
            "Preparation is what was done before the meeting "
            f"({meeting.scheduled_for:%Y-%m-%d %H:%M}).",
        )
    errors.raise_if_any()
    for field, value in prep.items():
        setattr(meeting, field, value)
    meeting.prepared_at = at
    meeting.save(update_fields=[*prep, "prepared_at", "updated_at"])
    activity_record(
        client=meeting.client,
        actor=actor,
        verb="meeting.prepared",
        subject=meeting,
        changes={"prepared_at": at, **prep},
    )
    return meeting


@transaction.atomic
def meeting_record_outcome(
    *,
    meeting: Meeting,
    actor: User,
    status: str,
    at: datetime | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Held, no-show (missed without cancelling) or cancelled (`at` is when it was called off)."""
    now = now or timezone.now()
    ensure_can_write(actor=actor, client=meeting.client)
    errors = Errors()
    if status not in _OUTCOMES:
        errors.add("status", f"{status!r} is not an outcome; use one of: {', '.join(_OUTCOMES)}.")
    if meeting.status != MeetingStatus.SCHEDULED:
        errors.add("status", f"This meeting is already marked {meeting.status}.")
    cancelled_at = None
    if status == MeetingStatus.CANCELLED:
        cancelled_at = at or now
        errors.not_future("cancelled_at", cancelled_at, now=now)
    elif meeting.scheduled_for > now:
        errors.add(
            "status", f"The meeting is still ahead ({meeting.scheduled_for:%Y-%m-%d %H:%M})."
        )
    errors.raise_if_any()
    meeting.status = status
    meeting.cancelled_at = cancelled_at
    meeting.save(update_fields=["status", "cancelled_at", "updated_at"])
    activity_record(
        client=meeting.client,
        actor=actor,
        verb=f"meeting.{status}",
        subject=meeting,
        changes={"status": status, "cancelled_at": cancelled_at},
    )
    return meeting


def _thanks_errors(*, meeting: Meeting, at: datetime, now: datetime) -> Errors:
    """What stops `at` from being the day the client thanked the person she met."""
    errors = Errors()
    if meeting.status != MeetingStatus.HELD:
        errors.add("status", "Only a meeting that took place can be followed by a thank-you.")
    if meeting.thanked_at is not None:
        errors.add("thanked_at", f"Already recorded on {meeting.thanked_at:%Y-%m-%d}.")
    errors.not_future("thanked_at", at, now=now)
    errors.not_before("thanked_at", at, meeting.scheduled_for, "the meeting")
    return errors


def _date_thanks(*, meeting: Meeting, at: datetime, actor: User | None) -> Meeting:
    meeting.thanked_at = at
    meeting.save(update_fields=["thanked_at", "updated_at"])
    activity_record(
        client=meeting.client,
        actor=actor,
        verb="meeting.thanked",
        subject=meeting,
        changes={"thanked_at": at},
    )
    return meeting


@transaction.atomic
def meeting_record_thanks(
    *,
    meeting: Meeting,
    actor: User,
    at: datetime,
    channel: str = Channel.EMAIL,
    note: str = "",
    now: datetime | None = None,
) -> Meeting:
    """The client thanked the person they met (also recorded as a thank-you interaction)."""
    now = now or timezone.now()
    ensure_can_write(actor=actor, client=meeting.client)
    errors = _thanks_errors(meeting=meeting, at=at, now=now)
    errors.choice("channel", channel, Channel)
    errors.raise_if_any()
    interaction_add(
        client=meeting.client,
        actor=actor,
        contact=meeting.contact,
        occurred_at=at,
        channel=channel,
        direction=Direction.OUTBOUND,
        kind=InteractionKind.THANK_YOU,
        note=note,
        now=now,
    )
    return _date_thanks(meeting=meeting, at=at, actor=actor)


@transaction.atomic
def meeting_remove(*, meeting: Meeting, actor: User) -> None:
    """Take out a meeting recorded by mistake; a thank-you already sent stays an interaction of
    its own. The timeline keeps what the meeting said."""
    record_remove(
        record=meeting,
        client=meeting.client,
        actor=actor,
        record_type="meeting",
        fields=["contact", "scheduled_for", "purpose", "status", "introduction", "application"],
        coach_only=True,
    )


def meeting_mark_thanked(
    *, meeting: Meeting, at: datetime, actor: User | None, now: datetime
) -> Meeting:
    """Date the thank-you from a thank-you message already recorded, inside the caller's
    transaction (`coaching.services.linking`; its caller checked access)."""
    errors = _thanks_errors(meeting=meeting, at=at, now=now)
    errors.raise_if_any()
    return _date_thanks(meeting=meeting, at=at, actor=actor)


def meeting_unmark_thanked(*, meeting: Meeting, at: datetime, actor: User) -> bool:
    """Undo `meeting_mark_thanked` if the thank-you still holds `at`. True when it did."""
    if meeting.thanked_at != at:
        return False
    meeting.thanked_at = None
    meeting.save(update_fields=["thanked_at", "updated_at"])
    activity_record(
        client=meeting.client,
        actor=actor,
        verb="meeting.thanked_undone",
        subject=meeting,
        changes={"thanked_at": None},
    )
    return True
