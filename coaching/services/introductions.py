"""Writes to the referral chain. Each step is dated, and nothing can happen to an introduction
before it was made: from that moment the target expects the client's call."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.access import ensure_can_write
from coaching.choices import (
    AbandonReason,
    Channel,
    Direction,
    InteractionKind,
    IntroductionKind,
    IntroductionStatus,
)
from coaching.events import introduction_made_announce
from coaching.models import Application, Client, Contact, Introduction
from coaching.services.activity import activity_record, field_values
from coaching.services.interactions import interaction_add
from coaching.services.removal import record_remove
from coaching.validation import Errors

_STEP_NAMES = {
    "made_at": "the introduction being made",
    "first_contact_at": "the client's first contact with the target",
    "thanked_at": "the thank-you to the introducer",
    "outcome_reported_at": "the outcome reported to the introducer",
    "reached_hiring_authority_at": "reaching a hiring authority",
}


@transaction.atomic
def introduction_create(
    *,
    client: Client,
    actor: User,
    introducer: Contact,
    target: Contact,
    requested_at: datetime | None = None,
    made_at: datetime | None = None,
    kind: str = IntroductionKind.INTRODUCTION,
    application: Application | None = None,
    note: str = "",
    now: datetime | None = None,
) -> Introduction:
    """An introduction the client asked for (`requested_at`), or one already made (`made_at`)."""
    now = now or timezone.now()
    ensure_can_write(actor=actor, client=client)
    errors = Errors()
    errors.belongs("introducer", introducer, client)
    errors.belongs("target", target, client)
    errors.belongs("application", application, client)
    if introducer.pk == target.pk:
        errors.add("target", "The introducer cannot introduce the client to themselves.")
    errors.choice("kind", kind, IntroductionKind)
    if requested_at is None and made_at is None:
        errors.add("requested_at", "Give when the introduction was requested, made, or both.")
    errors.not_future("requested_at", requested_at, now=now)
    errors.not_future("made_at", made_at, now=now)
    errors.not_before("made_at", made_at, requested_at, "it was requested")
    errors.raise_if_any()
    introduction = Introduction.objects.create(
        client=client,
        introducer=introducer,
        target=target,
        requested_at=requested_at,
        made_at=made_at,
        kind=kind,
        application=application,
        note=note.strip(),
    )
    activity_record(
        client=client,
        actor=actor,
        verb="introduction.created",
        subject=introduction,
        changes=field_values(
            introduction,
            ["kind", "introducer", "target", "application", "requested_at", "made_at"],
        ),
    )
    if made_at is not None:
        introduction_made_announce(introduction=introduction)
    return introduction


def _check_step(
    errors: Errors,
    introduction: Introduction,
    *,
    field: str,
    at: datetime,
    now: datetime,
    while_ended: bool = False,
) -> None:
    recorded = getattr(introduction, field)
    if recorded is not None:
        errors.add(field, f"Already recorded: {_STEP_NAMES[field]} on {recorded:%Y-%m-%d}.")
    if introduction.status != IntroductionStatus.OPEN and not while_ended:
        errors.add("status", f"This introduction is {introduction.status}; reopen it first.")
    errors.not_future(field, at, now=now)
    if field == "made_at":
        errors.not_before(field, at, introduction.requested_at, "it was requested")
    elif introduction.made_at is None:
        errors.add(field, "The introduction has not been made yet: record when it was made first.")
    else:
        errors.not_before(field, at, introduction.made_at, "the introduction was made")


def _record_step(
    introduction: Introduction,
    *,
    actor: User,
    field: str,
    at: datetime,
    now: datetime | None,
    while_ended: bool = False,
    message_kind: str | None = None,
    message_to: Contact | None = None,
    channel: str = Channel.EMAIL,
    note: str = "",
) -> Introduction:
    """Date one step; steps that are a message (contact, thanks, outcome) also record it."""
    now = now or timezone.now()
    client = introduction.client
    ensure_can_write(actor=actor, client=client)
    errors = Errors()
    _check_step(errors, introduction, field=field, at=at, now=now, while_ended=while_ended)
    if message_kind is not None:
        errors.choice("channel", channel, Channel)
    errors.raise_if_any()
    if message_kind is not None and message_to is not None:
        interaction_add(
            client=client,
            actor=actor,
            contact=message_to,
            occurred_at=at,
            channel=channel,
            direction=Direction.OUTBOUND,
            kind=message_kind,
            note=note,
            now=now,
        )
    setattr(introduction, field, at)
    introduction.save(update_fields=[field, "updated_at"])
    activity_record(
        client=client,
        actor=actor,
        verb=f"introduction.{field.removesuffix('_at')}",
        subject=introduction,
        changes={field: at},
    )
    if field == "made_at":
        introduction_made_announce(introduction=introduction)
    return introduction


@transaction.atomic
def introduction_record_made(
    *, introduction: Introduction, at: datetime, actor: User, now: datetime | None = None
) -> Introduction:
    return _record_step(introduction, actor=actor, field="made_at", at=at, now=now)


@transaction.atomic
def introduction_record_contact(
    *,
    introduction: Introduction,
    at: datetime,
    actor: User,
    channel: str = Channel.EMAIL,
    note: str = "",
    now: datetime | None = None,
) -> Introduction:
    """The client reached out to the target; also recorded as outreach to the target."""
    return _record_step(
        introduction,
        actor=actor,
        field="first_contact_at",
        at=at,
        now=now,
        message_kind=InteractionKind.OUTREACH,
        message_to=introduction.target,
        channel=channel,
        note=note,
    )


@transaction.atomic
def introduction_record_thanks(
    *,
    introduction: Introduction,
    at: datetime,
    actor: User,
    channel: str = Channel.EMAIL,
    note: str = "",
    now: datetime | None = None,
) -> Introduction:
    """The client thanked the introducer (also recorded as a thank-you interaction)."""
    return _record_step(
        introduction,
        actor=actor,
        field="thanked_at",
        at=at,
        now=now,
        while_ended=True,
        message_kind=InteractionKind.THANK_YOU,
        message_to=introduction.introducer,
        channel=channel,
        note=note,
    )


@transaction.atomic
def introduction_record_outcome(
    *,
    introduction: Introduction,
    at: datetime,
    actor: User,
    channel: str = Channel.EMAIL,
    note: str = "",
    now: datetime | None = None,
) -> Introduction:
    """The client told the introducer how it went (also recorded as an outcome report)."""
    return _record_step(
        introduction,
        actor=actor,
        field="outcome_reported_at",
        at=at,
        now=now,
        while_ended=True,
        message_kind=InteractionKind.OUTCOME_REPORT,
        message_to=introduction.introducer,
        channel=channel,
        note=note,
    )


@transaction.atomic
def introduction_record_hiring_authority(
    *, introduction: Introduction, at: datetime, actor: User, now: datetime | None = None
) -> Introduction:
    """The path reached someone who can hire (the target, or someone the target passed it to)."""
    return _record_step(
        introduction, actor=actor, field="reached_hiring_authority_at", at=at, now=now
    )


def _end(
    introduction: Introduction,
    *,
    actor: User,
    at: datetime,
    status: str,
    reason: str = "",
    note: str = "",
    now: datetime | None,
) -> Introduction:
    now = now or timezone.now()
    client = introduction.client
    ensure_can_write(actor=actor, client=client)
    errors = Errors()
    if introduction.status != IntroductionStatus.OPEN:
        errors.add("status", f"This introduction is already {introduction.status}.")
    errors.not_future("ended_at", at, now=now)
    last_step = max(
        (
            t
            for t in (
                introduction.requested_at,
                introduction.made_at,
                introduction.first_contact_at,
                introduction.reached_hiring_authority_at,
            )
            if t is not None
        ),
        default=None,
    )
    errors.not_before("ended_at", at, last_step, "its last recorded step")
    if status == IntroductionStatus.ABANDONED:
        errors.choice("reason", reason, AbandonReason)
        if reason == AbandonReason.OTHER and not note.strip():
            errors.add("note", "Say why the introduction was dropped.")
    errors.raise_if_any()
    introduction.status = status
    introduction.ended_at = at
    introduction.abandon_reason = reason
    if note.strip():
        introduction.note = "\n".join(filter(None, [introduction.note, note.strip()]))
    introduction.save(update_fields=["status", "ended_at", "abandon_reason", "note", "updated_at"])
    activity_record(
        client=client,
        actor=actor,
        verb=f"introduction.{status}",
        subject=introduction,
        changes={"status": status, "ended_at": at, "abandon_reason": reason},
    )
    return introduction


@transaction.atomic
def introduction_close(
    *,
    introduction: Introduction,
    at: datetime,
    actor: User,
    note: str = "",
    now: datetime | None = None,
) -> Introduction:
    """The path ran its course (a meeting, an interview, or a clear no)."""
    return _end(
        introduction, actor=actor, at=at, status=IntroductionStatus.CLOSED, note=note, now=now
    )


@transaction.atomic
def introduction_abandon(
    *,
    introduction: Introduction,
    at: datetime,
    actor: User,
    reason: str,
    note: str = "",
    now: datetime | None = None,
) -> Introduction:
    """The path was dropped, e.g. `took_other_offer`; the reason tells whose doing it was."""
    return _end(
        introduction,
        actor=actor,
        at=at,
        status=IntroductionStatus.ABANDONED,
        reason=reason,
        note=note,
        now=now,
    )


@transaction.atomic
def introduction_remove(*, introduction: Introduction, actor: User) -> None:
    """Take out an introduction recorded by mistake. The messages its steps recorded (outreach,
    thanks, outcome) are interactions of their own and stay; meetings it led to lose the link.
    The timeline keeps every dated step."""
    record_remove(
        record=introduction,
        client=introduction.client,
        actor=actor,
        record_type="introduction",
        fields=[
            "kind", "introducer", "target", "application", "requested_at", "made_at",
            "first_contact_at", "thanked_at", "outcome_reported_at",
            "reached_hiring_authority_at", "status", "ended_at", "abandon_reason", "note",
        ],
        coach_only=True,
    )  # fmt: skip


MESSAGE_STEPS = ("first_contact_at", "thanked_at", "outcome_reported_at")
"""The steps that are a message the client sends; `coaching.services.linking` dates them from a
message recorded on its own (the quick log, the API, the coach's pages, an import)."""


def introduction_mark_step(
    *, introduction: Introduction, field: str, at: datetime, actor: User | None, now: datetime
) -> Introduction:
    """Date a message step from a message already recorded, inside the caller's transaction
    (its caller checked access). Every rule of `_check_step` holds."""
    if field not in MESSAGE_STEPS:
        raise ValueError(f"{field} is not a message step")
    errors = Errors()
    _check_step(
        errors,
        introduction,
        field=field,
        at=at,
        now=now,
        while_ended=field != "first_contact_at",
    )
    errors.raise_if_any()
    setattr(introduction, field, at)
    introduction.save(update_fields=[field, "updated_at"])
    activity_record(
        client=introduction.client,
        actor=actor,
        verb=f"introduction.{field.removesuffix('_at')}",
        subject=introduction,
        changes={field: at},
    )
    return introduction


def introduction_unmark_step(
    *, introduction: Introduction, field: str, at: datetime, actor: User
) -> bool:
    """Undo `introduction_mark_step`: clear the step if it still holds `at` (nothing else
    dated it since). True when it did."""
    if field not in MESSAGE_STEPS or getattr(introduction, field) != at:
        return False
    setattr(introduction, field, None)
    introduction.save(update_fields=[field, "updated_at"])
    activity_record(
        client=introduction.client,
        actor=actor,
        verb=f"introduction.{field.removesuffix('_at')}_undone",
        subject=introduction,
        changes={field: None},
    )
    return True
