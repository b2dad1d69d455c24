"""One event, one record: which open item of the referral chain a message settles.

A message the client sends is often the very step an introduction or a meeting waits for:

- any outreach, follow-up, ask or conversation with the **target** of an open introduction that
  has been made is the client's first contact (`first_contact_at`); so is a conversation the
  target started;
- a thank-you to someone the client **met** (a held meeting not thanked yet) is that meeting's
  thank-you (`thanked_at`); a thank-you to an **introducer** is the introduction's
  (`thanked_at`);
- an outcome report to an introducer is the introduction's `outcome_reported_at`.

`event_record` records the message and dates the step it settles, in one transaction, for every
way in (the portal's quick log, the coach's pages and the API through `interaction_record`, the
imports through `settle_imported`). When exactly one open item fits, it is settled. When several
fit, nothing is guessed: the caller names the one(s) meant (`settles`), or the choices come back
for the person to pick (`event_settle`). A quick log can be undone for a minute
(`receipt_sign` / `event_undo`).
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.core import signing
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from coaching.access import NotFound, ensure_can_write
from coaching.choices import (
    Direction,
    InteractionKind,
    IntroductionKind,
    IntroductionStatus,
    MeetingStatus,
)
from coaching.models import Client, Contact, Interaction, Introduction, Meeting
from coaching.services.interactions import interaction_add
from coaching.services.introductions import introduction_mark_step, introduction_unmark_step
from coaching.services.meetings import meeting_mark_thanked, meeting_unmark_thanked
from coaching.services.removal import record_remove
from coaching.timezones import local_date
from coaching.validation import Errors

UNDO_SECONDS = 60
"""How long after a quick log its "Undo" works (checked on the server)."""
PICK_SECONDS = 24 * 3600
"""How long the confirmation's "which one was it?" buttons work."""

_NOT_CONTACT = frozenset({InteractionKind.THANK_YOU, InteractionKind.OUTCOME_REPORT})


@dataclass(frozen=True, slots=True)
class Settlement:
    """An open item a message would settle: the record and the step it dates."""

    record: Introduction | Meeting
    step: str
    """`first_contact_at`, `thanked_at` or `outcome_reported_at` (a meeting: `thanked_at`)."""
    label: str
    """What it is, in the client's words ("the meeting on Tue 3 Mar")."""

    @property
    def key(self) -> str:
        """How a caller names it: "introduction:12", "meeting:5"."""
        return f"{self.kind}:{self.record.pk}"

    @property
    def kind(self) -> str:
        return "meeting" if isinstance(self.record, Meeting) else "introduction"


@dataclass
class Logged:
    """What one event wrote: the message, the steps it dated, and the choices left open."""

    interaction: Interaction
    settled: list[Settlement] = field(default_factory=list)
    choices: list[Settlement] = field(default_factory=list)
    """Several open items fit and none was named: the person picks (nothing was guessed)."""


def _step_for(kind: str) -> str:
    if kind == InteractionKind.THANK_YOU:
        return "thanked_at"
    if kind == InteractionKind.OUTCOME_REPORT:
        return "outcome_reported_at"
    return "first_contact_at"


def _introduced(intro: Introduction) -> str:
    verb = (
        "forwarding your resume to"
        if intro.kind == IntroductionKind.RESUME_FORWARD
        else ("introducing you to")
    )
    return f"{verb} {intro.target.name}"


def open_settlements(
    *, client: Client, contact: Contact, kind: str, direction: str, at: datetime
) -> list[Settlement]:
    """Every open item a message of `kind` and `direction` with `contact` at `at` would settle,
    oldest first. Two queries at most."""
    intros = Introduction.objects.filter(
        client=client, made_at__isnull=False, made_at__lte=at
    ).select_related("target", "introducer")
    found: list[Settlement] = []
    if kind not in _NOT_CONTACT:
        if direction == Direction.OUTBOUND or kind == InteractionKind.CONVERSATION:
            for intro in intros.filter(
                target=contact, first_contact_at__isnull=True, status=IntroductionStatus.OPEN
            ).order_by("made_at", "pk"):
                found.append(
                    Settlement(
                        intro,
                        "first_contact_at",
                        f"your first contact after {intro.introducer.name}'s introduction",
                    )
                )
        return found
    if direction != Direction.OUTBOUND:
        return found
    step = _step_for(kind)
    if kind == InteractionKind.THANK_YOU:
        meetings = Meeting.objects.filter(
            client=client,
            contact=contact,
            status=MeetingStatus.HELD,
            thanked_at__isnull=True,
            scheduled_for__lte=at,
        ).order_by("scheduled_for", "pk")
        for meeting in meetings:
            day = local_date(at=meeting.scheduled_for, tz=client.time_zone)
            found.append(
                Settlement(meeting, "thanked_at", f"the meeting on {day:%a} {day.day} {day:%b}")
            )
    unstamped = Q(**{f"{step}__isnull": True})
    for intro in intros.filter(unstamped, introducer=contact).order_by("made_at", "pk"):
        told = f"how it went with {intro.target.name}"
        what = _introduced(intro) if step == "thanked_at" else told
        found.append(Settlement(intro, step, what))
    return found


def _settle(choice: Settlement, *, at: datetime, actor: User | None, now: datetime) -> Settlement:
    if isinstance(choice.record, Meeting):
        meeting_mark_thanked(meeting=choice.record, at=at, actor=actor, now=now)
    else:
        introduction_mark_step(
            introduction=choice.record, field=choice.step, at=at, actor=actor, now=now
        )
    return choice


def _chosen(options: Sequence[Settlement], keys: Iterable[str]) -> list[Settlement]:
    by_key = {o.key: o for o in options}
    wanted = list(dict.fromkeys(keys))
    unknown = [k for k in wanted if k not in by_key]
    if unknown:
        errors = Errors()
        errors.add(
            "settles",
            "Not something this message can settle (already done, or not owed to this person).",
        )
        errors.raise_if_any()
    return [by_key[k] for k in wanted]


def settle_for(
    *,
    interaction: Interaction,
    actor: User | None,
    settles: Iterable[str] | None,
    now: datetime,
) -> Logged:
    """Date what `interaction` settles: the one open item that fits, or those named in
    `settles` (keys of `open_settlements`; an empty list: none). Inside the caller's
    transaction; its caller checked access."""
    options = open_settlements(
        client=interaction.client,
        contact=interaction.contact,
        kind=interaction.kind,
        direction=interaction.direction,
        at=interaction.occurred_at,
    )
    logged = Logged(interaction=interaction)
    if settles is None:
        if len(options) == 1:
            chosen = options
        else:
            logged.choices = options
            chosen = []
    else:
        chosen = _chosen(options, settles)
    at = interaction.occurred_at
    logged.settled = [_settle(c, at=at, actor=actor, now=now) for c in chosen]
    return logged


@transaction.atomic
def event_record(
    *,
    client: Client,
    actor: User,
    contact: Contact,
    occurred_at: datetime,
    channel: str,
    direction: str,
    kind: str,
    replied_at: datetime | None = None,
    note: str = "",
    settles: Iterable[str] | None = None,
    now: datetime | None = None,
) -> Logged:
    """Record a message and date the step of the referral chain it settles (see the module)."""
    now = now or timezone.now()
    ensure_can_write(actor=actor, client=client)
    interaction = interaction_add(
        client=client,
        actor=actor,
        contact=contact,
        occurred_at=occurred_at,
        channel=channel,
        direction=direction,
        kind=kind,
        replied_at=replied_at,
        note=note,
        now=now,
    )
    return settle_for(interaction=interaction, actor=actor, settles=settles, now=now)


@transaction.atomic
def event_settle(
    *, client: Client, actor: User, interaction: Interaction, settles: Iterable[str],
    now: datetime | None = None,
) -> Logged:  # fmt: skip
    """The person picked what an earlier message settled (the confirmation's buttons)."""
    now = now or timezone.now()
    ensure_can_write(actor=actor, client=client)
    if interaction.client_id != client.pk:
        raise NotFound("No such record.")
    return settle_for(interaction=interaction, actor=actor, settles=list(settles), now=now)


def settle_imported(
    *, client: Client, actor: User | None, interactions: Iterable[Interaction], now: datetime
) -> int:
    """After an import: each message, oldest first, dates the one open item it settles; where
    several fit, none is guessed (the client's pages still show them owed). Returns how many
    steps were dated."""
    dated = 0
    for interaction in sorted(interactions, key=lambda i: (i.occurred_at, i.pk or 0)):
        options = open_settlements(
            client=client,
            contact=interaction.contact,
            kind=interaction.kind,
            direction=interaction.direction,
            at=interaction.occurred_at,
        )
        if len(options) == 1:
            _settle(options[0], at=interaction.occurred_at, actor=actor, now=now)
            dated += 1
    return dated


# -- the quick log's receipt: undo within a minute, pick what it settled ---------------------


@dataclass(frozen=True, slots=True)
class Receipt:
    """What a quick log wrote, signed for its confirmation's buttons."""

    client_id: int
    logged_at: float
    """When it was logged (seconds since the epoch, the server's clock)."""
    interaction_id: int | None = None
    """The message it recorded (None when it only marked a reply)."""
    replied_id: int | None = None
    replied_at: str = ""
    new_contact_id: int | None = None
    settled: tuple[tuple[str, int, str, str], ...] = ()
    """(record kind, id, step, instant) for every step it dated."""


def _salt() -> str:
    # The practice's schema is part of the signature: another practice's receipt never opens.
    return f"warmpath.quick-log:{getattr(connection, 'schema_name', '')}"


def receipt_sign(receipt: Receipt) -> str:
    return signing.dumps(
        {
            "c": receipt.client_id,
            "t": receipt.logged_at,
            "i": receipt.interaction_id,
            "r": receipt.replied_id,
            "ra": receipt.replied_at,
            "n": receipt.new_contact_id,
            "s": [list(s) for s in receipt.settled],
        },
        salt=_salt(),
        compress=True,
    )


def receipt_read(*, token: str, client: Client, now: float | None = None) -> Receipt:
    """The receipt behind `token` for `client`'s search; `NotFound` for a forged one, another
    client's, another practice's, or one older than a day."""
    now = time.time() if now is None else now
    try:
        data = signing.loads(token, salt=_salt())
        receipt = Receipt(
            client_id=int(data["c"]),
            logged_at=float(data["t"]),
            interaction_id=data["i"],
            replied_id=data["r"],
            replied_at=str(data["ra"] or ""),
            new_contact_id=data["n"],
            settled=tuple((str(k), int(p), str(s), str(a)) for k, p, s, a in data["s"]),
        )
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise NotFound("No such log.") from None
    if receipt.client_id != client.pk or now - receipt.logged_at > PICK_SECONDS:
        raise NotFound("No such log.")
    return receipt


def receipt_of(
    *,
    client: Client,
    logged: Logged | None,
    logged_at: float,
    new_contact: Contact | None = None,
    replied: Interaction | None = None,
    before: Receipt | None = None,
) -> Receipt:
    """The receipt of a log (or of a pick added to an earlier receipt, `before`)."""
    settled: tuple[tuple[str, int, str, str], ...] = ()
    if logged is not None:
        at = logged.interaction.occurred_at.isoformat()
        settled = tuple((s.kind, s.record.pk, s.step, at) for s in logged.settled)
    if before is not None:
        return Receipt(
            client_id=before.client_id,
            logged_at=before.logged_at,
            interaction_id=before.interaction_id,
            replied_id=before.replied_id,
            replied_at=before.replied_at,
            new_contact_id=before.new_contact_id,
            settled=before.settled + settled,
        )
    return Receipt(
        client_id=client.pk,
        logged_at=logged_at,
        interaction_id=logged.interaction.pk if logged is not None else None,
        replied_id=replied.pk if replied is not None else None,
        replied_at=replied.replied_at.isoformat() if replied and replied.replied_at else "",
        new_contact_id=new_contact.pk if new_contact is not None else None,
        settled=settled,
    )


@transaction.atomic
def event_undo(*, client: Client, actor: User, receipt: Receipt, now: float | None = None) -> int:
    """Revert every record a quick log touched, within `UNDO_SECONDS` of it (else a
    `ValidationError` naming `undo`). Returns how many records changed (0: already undone)."""
    now = time.time() if now is None else now
    ensure_can_write(actor=actor, client=client)
    if receipt.client_id != client.pk:
        raise NotFound("No such log.")
    if now - receipt.logged_at > UNDO_SECONDS:
        errors = Errors()
        errors.add(
            "undo",
            f"Undo works for {UNDO_SECONDS} seconds after logging; this was logged "
            f"{int(now - receipt.logged_at)} seconds ago. Ask your coach to correct it.",
        )
        errors.raise_if_any()
    changed = 0
    for kind, pk, step, at_text in receipt.settled:
        at = datetime.fromisoformat(at_text)
        if kind == "meeting":
            meeting = Meeting.objects.filter(client=client, pk=pk).first()
            changed += bool(meeting and meeting_unmark_thanked(meeting=meeting, at=at, actor=actor))
        else:
            intro = Introduction.objects.filter(client=client, pk=pk).first()
            changed += bool(
                intro
                and introduction_unmark_step(introduction=intro, field=step, at=at, actor=actor)
            )
    if receipt.replied_id is not None:
        replied = Interaction.objects.filter(client=client, pk=receipt.replied_id).first()
        if (
            replied is not None
            and replied.replied_at is not None
            and (replied.replied_at.isoformat() == receipt.replied_at)
        ):
            replied.replied_at = None
            replied.save(update_fields=["replied_at", "updated_at"])
            changed += 1
    if receipt.interaction_id is not None:
        message = Interaction.objects.filter(client=client, pk=receipt.interaction_id).first()
        if message is not None:
            record_remove(
                record=message,
                client=client,
                actor=actor,
                record_type="interaction",
                fields=["contact", "occurred_at", "channel", "direction", "kind", "note"],
            )
            changed += 1
    if receipt.new_contact_id is not None:
        contact = Contact.objects.filter(client=client, pk=receipt.new_contact_id).first()
        if contact is not None and not _has_records(contact):
            record_remove(
                record=contact,
                client=client,
                actor=actor,
                record_type="contact",
                fields=["name", "company"],
            )
            changed += 1
    return changed


def _has_records(contact: Contact) -> bool:
    return (
        contact.interactions.exists()
        or contact.meetings.exists()
        or contact.follow_ups.exists()
        or Introduction.objects.filter(Q(introducer=contact) | Q(target=contact)).exists()
    )
