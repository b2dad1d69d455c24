"""Writes to what the coach or an introducer said about how the client comes across."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.access import ensure_can_coach
from coaching.choices import FeedbackAbout, FeedbackSource
from coaching.models import Client, Contact, Feedback
from coaching.services.activity import activity_record, field_values
from coaching.services.removal import record_remove
from coaching.validation import Errors


@transaction.atomic
def feedback_record(
    *,
    client: Client,
    actor: User,
    source: str,
    about: str,
    received_on: date,
    note: str = "",
    contact: Contact | None = None,
    now: datetime | None = None,
) -> Feedback:
    """Feedback from an introducer names that introducer; the coach's own needs no contact."""
    now = now or timezone.now()
    ensure_can_coach(actor=actor, client=client)
    errors = Errors()
    errors.choice("source", source, FeedbackSource)
    errors.choice("about", about, FeedbackAbout)
    errors.required("received_on", received_on)
    errors.day_not_future("received_on", received_on, client=client, now=now)
    errors.belongs("contact", contact, client)
    if source == FeedbackSource.INTRODUCER and contact is None:
        errors.add("contact", "Say which introducer gave this feedback.")
    if about == FeedbackAbout.OTHER and not note.strip():
        errors.add("note", "Describe the feedback when it is about something else.")
    errors.raise_if_any()
    feedback = Feedback.objects.create(
        client=client,
        source=source,
        about=about,
        received_on=received_on,
        note=note.strip(),
        contact=contact,
        recorded_by=actor,
    )
    activity_record(
        client=client,
        actor=actor,
        verb="feedback.recorded",
        subject=feedback,
        changes=field_values(feedback, ["source", "about", "received_on", "contact"]),
    )
    return feedback


@transaction.atomic
def feedback_remove(*, feedback: Feedback, actor: User) -> None:
    """Take out feedback recorded by mistake (the coach's judgement, so the coach's to remove)."""
    record_remove(
        record=feedback,
        client=feedback.client,
        actor=actor,
        record_type="feedback",
        fields=["source", "about", "received_on", "contact", "note"],
        coach_only=True,
    )
