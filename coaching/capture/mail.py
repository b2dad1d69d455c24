"""A message received at a client's address, read into the record (in the worker).

Parsed with the standard library (`email`, policy.default), never by hand:

- **Forwarded** (an attached message, or the inline block that Gmail — "---------- Forwarded
  message ---------", Outlook — "From: … Sent: …" after a rule or "-----Original Message-----",
  and Apple Mail — "Begin forwarded message:" write): the original's sender and recipients
  decide. Whoever forwards to the private address is the client.
- **Sent with the address in BCC** (it is not among the visible recipients): the client sent it,
  to every To and Cc recipient.
- **Anything else** (the address visible in To or Cc, e.g. a contact answering all): from the
  sender to the client; the client's own account email always counts as the client.

Each exchange is one captured row per person (pending review), its direction from the headers,
its date from the message (the one date rule applies; a clock a few hours ahead is taken as now).
A reply (In-Reply-To/References, or a forward of the same subject) answers the client's last
unanswered message to that person in the thread. A calendar invite in the message becomes a
meeting (`coaching.capture.calendar`). Nothing of the message is kept once it is read: bodies
only when the practice keeps message text, attachments never.
"""

from __future__ import annotations

import hashlib
import logging
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Any

from dateutil import parser as date_parser
from django.db import transaction
from django.utils import timezone

from coaching.capture.archive import _keeps_content
from coaching.capture.calendar import calendar_write, plan_calendar
from coaching.capture.models import (
    CapturedInteraction,
    CaptureSource,
    InboundMail,
    InboundMailStatus,
)
from coaching.capture.people import ContactFinder, Party, proposed_fields
from coaching.choices import Channel, Direction, InteractionKind
from coaching.imports.reading import ImportFileError
from coaching.models import Client, Contact
from coaching.timezones import zone
from coaching.validation import instant_problems

logger = logging.getLogger(__name__)

CLOCK_SKEW = timedelta(hours=12)
MAX_KEPT_TEXT = 20_000
_SUBJECT_PREFIX = re.compile(r"^\s*((re|fwd?|aw|wg|sv|tr)\s*(\[\d+\])?\s*:\s*)+", re.I)
_MARKERS = re.compile(
    r"^(-{5,}\s*Forwarded message\s*-{5,}|-{3,}\s*Original Message\s*-{3,}|"
    r"Begin forwarded message:|_{10,}|From:\s.+)\s*$",
    re.I | re.M,
)
_HEADER_LINE = re.compile(r"^\s*\**(From|Sent|Date|To|Cc|Subject)\**\s*:\s*(.*)$", re.I)
UNREADABLE = "This message could not be read (it is damaged or in a form Warmpath does not know)."


@dataclass(slots=True)
class Original:
    """The message an exchange is about: the mail itself, or the one it forwards."""

    sender: Party
    recipients: list[Party]
    at: datetime | None
    subject: str
    message_id: str
    thread_root: str
    body: str
    forwarded: bool


def _parties(value: Any) -> list[Party]:
    return [Party.of(name=n, email=a) for n, a in getaddresses([str(value or "")]) if "@" in a]


def _header(message: Message, name: str) -> str:
    try:
        return str(message.get(name) or "").strip()
    except Exception:
        return ""


def _date(message: Message) -> datetime | None:
    try:
        header = message.get("Date")
        value = getattr(header, "datetime", None)
        if value is None and header:
            value = parsedate_to_datetime(str(header))
    except Exception:
        return None
    return value if isinstance(value, datetime) and value.tzinfo else None


def _text_body(message: Message) -> str:
    try:
        if isinstance(message, EmailMessage):
            body = message.get_body(preferencelist=("plain", "html"))
            if body is not None:
                content = body.get_content()
                if body.get_content_type() == "text/html":
                    content = re.sub(r"<[^>]+>", "\n", content)
                return str(content)
    except Exception:
        logger.info("a message body could not be decoded", exc_info=True)
    return ""


def _root(message: Message) -> str:
    references = _header(message, "References").split()
    reply_to = _header(message, "In-Reply-To").split()
    return (references or reply_to or [_header(message, "Message-ID")])[0]


def _clean_subject(subject: str) -> str:
    return " ".join(_SUBJECT_PREFIX.sub("", subject).split()).casefold()


def _attached_original(message: Message) -> Message | None:
    for part in message.walk():
        if part.get_content_type() == "message/rfc822":
            payload = part.get_payload()
            if isinstance(payload, list) and payload and isinstance(payload[0], Message):
                return payload[0]
    return None


def _inline_original(body: str, *, tz: str) -> dict[str, str] | None:
    """The header block of an inline forward: the first marker followed by From: and a date."""
    for marker in _MARKERS.finditer(body):
        lines = body[marker.start() :].splitlines()
        fields: dict[str, str] = {}
        for line in lines[:14]:
            match = _HEADER_LINE.match(line)
            if match:
                fields.setdefault(match.group(1).casefold(), match.group(2).strip())
            elif fields and not line.strip():
                break
        if "from" in fields and ("date" in fields or "sent" in fields):
            fields["date"] = fields.get("date") or fields.get("sent", "")
            return fields
    return None


def _loose_date(text: str, *, tz: str) -> datetime | None:
    """A date as a mail program writes it in a forward ("Tue, 2 Apr 2024 at 09:00",
    "Tuesday, April 2, 2024 9:00 AM", "2 April 2024 at 09:00:00 CEST"); without a zone it is
    in the client's zone."""
    cleaned = re.sub(r"\bat\b", " ", text)
    cleaned = re.sub(r"\b(CEST|CET|BST|EEST|EET)\b", lambda m: _ZONES[m.group(1)], cleaned)
    try:
        value = date_parser.parse(cleaned, fuzzy=True)
    except (ValueError, OverflowError):
        return None
    return value if value.tzinfo else value.replace(tzinfo=zone(tz))


_ZONES = {"CEST": "+0200", "CET": "+0100", "BST": "+0100", "EEST": "+0300", "EET": "+0200"}


def read_original(message: Message, *, tz: str) -> Original:
    body = _text_body(message)
    attached = _attached_original(message)
    if attached is not None:
        return Original(
            sender=(_parties(_header(attached, "From")) or [Party()])[0],
            recipients=_parties(_header(attached, "To")) + _parties(_header(attached, "Cc")),
            at=_date(attached),
            subject=_header(attached, "Subject"),
            message_id=_header(attached, "Message-ID"),
            thread_root=_root(attached),
            body=_text_body(attached),
            forwarded=True,
        )
    inline = _inline_original(body, tz=tz)
    if inline is not None:
        subject = inline.get("subject", "") or _header(message, "Subject")
        return Original(
            sender=(_parties(inline["from"]) or [Party()])[0],
            recipients=_parties(inline.get("to", "")) + _parties(inline.get("cc", "")),
            at=_loose_date(inline["date"], tz=tz),
            subject=subject,
            message_id="",
            thread_root="",
            body=body,
            forwarded=True,
        )
    return Original(
        sender=(_parties(_header(message, "From")) or [Party()])[0],
        recipients=_parties(_header(message, "To")) + _parties(_header(message, "Cc")),
        at=_date(message),
        subject=_header(message, "Subject"),
        message_id=_header(message, "Message-ID"),
        thread_root=_root(message),
        body=body,
        forwarded=False,
    )


def _calendar_parts(message: Message) -> list[bytes]:
    found = []
    for part in message.walk():
        if part.get_content_type() in ("text/calendar", "application/ics"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload:
                found.append(payload)
    return found


def _key(*parts: str) -> str:
    return "mail:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


def mail_process(*, mail_id: int, now: datetime | None = None) -> InboundMail | None:
    """Read one received message into the record, exactly once: the row is locked (a copy of
    the task running elsewhere skips it) and everything, including marking it read, commits
    together, so a worker killed half-way leaves it waiting, not half-read. A message that
    cannot be read rolls all of that back and is marked failed in a transaction of its own (no
    savepoint on the common path: one round trip fewer each way)."""
    now = now or timezone.now()
    try:
        with transaction.atomic():
            mail = _locked(mail_id)
            if mail is None:
                return None
            mail.summary = capture_message(bytes(mail.raw), client=mail.client, now=now)
            _finish(mail, status=InboundMailStatus.DONE, now=now)
            return mail
    except Exception:
        logger.exception("inbound mail %s could not be read", mail_id)
    with transaction.atomic():
        mail = _locked(mail_id)
        if mail is None:
            return None
        mail.error = UNREADABLE
        _finish(mail, status=InboundMailStatus.FAILED, now=now)
        return mail


def _locked(mail_id: int) -> InboundMail | None:
    return (
        InboundMail.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("client", "client__user")
        .filter(pk=mail_id, status=InboundMailStatus.QUEUED)
        .first()
    )


def _finish(mail: InboundMail, *, status: str, now: datetime) -> None:
    mail.attempts += 1
    mail.status = status
    mail.raw = b""  # attachments and bodies are never kept
    mail.processed_at = now
    mail.save()


def capture_message(raw: bytes, *, client: Client, now: datetime) -> dict[str, int]:
    message = BytesParser(policy=policy.default).parsebytes(raw)
    counts: dict[str, int] = {}

    def count(name: str, by: int = 1) -> None:
        counts[name] = counts.get(name, 0) + by

    for payload in _calendar_parts(message):
        try:
            plan = plan_calendar(
                payload, client=client, now=now, progress=lambda n: None, total=lambda n: None
            )
        except ImportFileError:
            count("calendar_unreadable")
            continue
        calendar_write(plan, client=client, actor=client.user, now=now)
        for name, value in plan.counts.items():
            count(name, value)

    original = read_original(message, tz=client.time_zone)
    own = {client.user.email.casefold()} if client.user.email else set()
    outer_from = (_parties(_header(message, "From")) or [Party()])[0]
    visible = {p.email for p in _parties(_header(message, "To")) + _parties(_header(message, "Cc"))}
    log_addresses = {e for e in visible if e.startswith("log+")}
    if original.forwarded or not log_addresses:
        own.add(outer_from.email)  # only the client knows the private address
    own.discard("")
    if original.sender.email in own:
        direction, people = (
            Direction.OUTBOUND,
            [
                p
                for p in original.recipients
                if p.email not in own and not p.email.startswith("log+")
            ],
        )
    else:
        direction, people = Direction.INBOUND, [original.sender]
    people = [p for p in people if p.email]
    at = original.at or _date(message)
    if at is not None and now < at <= now + CLOCK_SKEW:
        at = now
    if at is None or instant_problems(at, now=now) or not people:
        count("messages_unusable")
        return counts

    keep_text = _keeps_content()
    finder = ContactFinder(
        Contact.objects.filter(client=client, email__in=[p.email for p in people])
    )
    subject = _clean_subject(original.subject)
    identity = original.message_id or f"{original.sender.email}|{at.isoformat()}|{subject}"
    for person in people:
        if original.thread_root and not original.forwarded:
            thread = f"mail:{original.thread_root}"
        else:
            thread = f"mail:fwd:{subject}|{person.key}"
        thread = thread[:200]
        key = _key(identity, person.key)
        if CapturedInteraction.objects.filter(client=client, key=key).exists():
            count("messages_known")
            continue
        contact = finder.find(person)
        same_person = {"contact": contact} if contact else {"person_email": person.email}
        earlier = (
            CapturedInteraction.objects.filter(
                client=client, thread_key=thread, occurred_at__lte=at, **same_person
            )
            .order_by("-occurred_at", "-pk")
            .first()
        )
        if direction == Direction.OUTBOUND:
            kind = (
                InteractionKind.OUTREACH
                if earlier is None
                else InteractionKind.FOLLOW_UP
                if earlier.direction == Direction.OUTBOUND
                else InteractionKind.CONVERSATION
            )
        else:
            kind = InteractionKind.CONVERSATION
        answers = None
        if direction == Direction.INBOUND:
            answers = (
                CapturedInteraction.objects.filter(
                    client=client,
                    thread_key=thread,
                    direction=Direction.OUTBOUND,
                    occurred_at__lte=at,
                    answered_by__isnull=True,
                    **same_person,
                )
                .order_by("-occurred_at", "-pk")
                .first()
            )
        CapturedInteraction.objects.create(
            client=client,
            source=CaptureSource.MAIL,
            key=key,
            thread_key=thread,
            occurred_at=at,
            channel=Channel.EMAIL,
            direction=direction,
            kind=kind,
            answers=answers,
            subject=original.subject[:300] if keep_text else "",
            content=original.body[:MAX_KEPT_TEXT] if keep_text else "",
            **({"contact": contact} if contact else proposed_fields(person)),
        )
        count("messages_created")
    return counts
