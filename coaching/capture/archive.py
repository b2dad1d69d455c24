"""The zip LinkedIn's "Get a copy of your data" produces, as the client's record.

- `Connections.csv` becomes contacts, exactly like the Connections.csv import.
- `messages.csv` becomes captured exchanges (pending review), one per message and person,
  grouped by conversation: the client's own messages are outbound, the others inbound; a
  contact's reply marks the client's message it answers.
- `Invitations.csv` becomes outreach on LinkedIn (sent: outbound; received: inbound), with the
  person proposed as "LinkedIn connection only" when they are not a contact yet.
- `Recommendations_Received.csv`, when present: a recommender is willing to help.

The client's own profile address is recognised from the archive: the inviter of their sent
invitations, else the sender whose name is the one in `Profile.csv`, else the party present in
the most conversations. Every exchange has a stable key (the conversation, sender, time and
person), so a later archive adds only what is new. Message text is read only to be skipped
unless the practice keeps message content.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from coaching.capture.models import CapturedInteraction, CaptureSettings, CaptureSource
from coaching.capture.people import ContactFinder, Party, proposed_fields
from coaching.capture.plans import CapturePlan, Progress
from coaching.choices import Channel, Direction, HowMet, ImportKind, InteractionKind, Willingness
from coaching.imports.contacts import ContactPlan, plan_contacts
from coaching.imports.formats import LINKEDIN_CONNECTIONS
from coaching.imports.reading import FileSpec, ImportFileError, RowError, Table, decode, read_table
from coaching.models import Client, Contact, ImportJob
from coaching.validation import instant_problems, shown

BATCH_SIZE = 2000
MAX_MEMBER_BYTES = 400 * 1024 * 1024  # one file unpacked; more is not a LinkedIn export
RECOMMENDER_TAG = "recommended you"

NOT_A_ZIP = (
    "This is not a zip file. Upload the .zip file LinkedIn sent you (Settings → Data privacy → "
    "Get a copy of your data) as it is, without unpacking it."
)
NOTHING_TO_READ = (
    "This zip file has none of LinkedIn's Connections.csv, messages.csv or Invitations.csv. "
    "Ask LinkedIn for the larger archive (connections, messages and invitations) and upload it."
)

MESSAGES = FileSpec(
    columns={
        "conversation_id": "CONVERSATION ID",
        "conversation_title": "CONVERSATION TITLE",
        "sender": "FROM",
        "sender_url": "SENDER PROFILE URL",
        "recipients": "TO",
        "recipient_urls": "RECIPIENT PROFILE URLS",
        "date": "DATE",
        "subject": "SUBJECT",
        "content": "CONTENT",
        "folder": "FOLDER",
    },
    required=frozenset({"conversation_id", "sender_url", "recipient_urls", "date"}),
)
# Without the text columns: when content is not kept it is never even held in memory.
MESSAGES_WITHOUT_TEXT = FileSpec(
    columns={
        k: v
        for k, v in MESSAGES.columns.items()
        if k not in ("content", "subject", "conversation_title")
    },
    required=MESSAGES.required,
)
INVITATIONS = FileSpec(
    columns={
        "sender": "From",
        "recipient": "To",
        "sent_at": "Sent At",
        "message": "Message",
        "direction": "Direction",
        "inviter_url": "inviterProfileUrl",
        "invitee_url": "inviteeProfileUrl",
    },
    required=frozenset({"sent_at", "direction"}),
)
PROFILE = FileSpec(
    columns={"first_name": "First Name", "last_name": "Last Name"},
    required=frozenset({"first_name"}),
)
RECOMMENDATIONS = FileSpec(
    columns={
        "first_name": "First Name",
        "last_name": "Last Name",
        "company": "Company",
        "title": "Job Title",
        "created": "Creation Date",
        "status": "Status",
    },
    required=frozenset({"first_name", "last_name"}),
)
_FILES = {
    "connections.csv": "connections",
    "messages.csv": "messages",
    "invitations.csv": "invitations",
    "profile.csv": "profile",
    "recommendations_received.csv": "recommendations",
}
_SPLIT_URLS = re.compile(r"[\s,;]+")
_SKIPPED_FOLDERS = frozenset({"spam", "trash"})


def read_archive(payload: bytes) -> dict[str, bytes]:
    """The LinkedIn files in the zip (wherever they sit in it), by their short names."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(payload))
    except (zipfile.BadZipFile, ValueError):
        raise ImportFileError(NOT_A_ZIP) from None
    files: dict[str, bytes] = {}
    with archive:
        for info in archive.infolist():
            name = _FILES.get(info.filename.replace("\\", "/").rsplit("/", 1)[-1].casefold())
            if name is None or info.is_dir():
                continue
            if info.file_size > MAX_MEMBER_BYTES:
                raise ImportFileError(
                    f"{info.filename} is larger than {MAX_MEMBER_BYTES // 2**20} MB unpacked, "
                    "more than a LinkedIn archive holds; this is not a file LinkedIn made."
                )
            try:
                files[name] = archive.read(info)
            except (zipfile.BadZipFile, OSError, EOFError, RuntimeError):
                raise ImportFileError(
                    f"{info.filename} in the zip file is damaged: download the archive from "
                    "LinkedIn again and upload it as it is."
                ) from None
    if not {"connections", "messages", "invitations"} & set(files):
        raise ImportFileError(NOTHING_TO_READ)
    return files


def _table(files: dict[str, bytes], name: str, spec: FileSpec, label: str) -> Table:
    if name not in files:
        return Table()
    try:
        text, _ = decode(files[name])
        return read_table(text, spec=spec)
    except ImportFileError as exc:
        if "no rows" in exc.error.message or "is empty" in exc.error.message:
            return Table()
        raise ImportFileError(f"In {label}: {exc.error.message}", line=exc.error.line) from None


def parse_linkedin_time(value: str) -> datetime | None:
    """LinkedIn's timestamps: "2024-03-05 14:22:11 UTC" (messages), "3/5/24, 2:22 PM"
    (invitations, recommendations), or ISO 8601; all in UTC unless they say otherwise."""
    v = value.strip()
    if not v:
        return None
    if v.endswith(" UTC"):
        v = v[:-4]
    moment: datetime | None
    try:
        moment = datetime.fromisoformat(v)
    except ValueError:
        moment = None
        for pattern in ("%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%y", "%m/%d/%Y"):
            try:
                moment = datetime.strptime(v, pattern)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _key(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]


@dataclass(slots=True)
class Message:
    line: int
    conversation: str
    sender: Party
    recipients: list[Party]
    at: datetime
    raw_date: str
    subject: str = ""
    content: str = ""


def _parties(names: str, urls: str) -> list[Party]:
    links = [u for u in _SPLIT_URLS.split(urls.strip()) if u]
    labels = [n.strip() for n in names.split(",")] if names.strip() else []
    if len(labels) != len(links):
        labels = [""] * len(links)
    return [Party.of(name=n, linkedin_url=u) for n, u in zip(labels, links, strict=True)]


def own_profile_url(*, messages: list[Message], invitations: Table, profile: Table) -> str:
    """The client's own LinkedIn address, as the archive shows it."""
    sent = Counter(
        Party.of(linkedin_url=cells.get("inviter_url", "")).linkedin_url
        for _, cells in invitations.rows
        if cells.get("direction", "").strip().casefold() == "outgoing"
    )
    sent.pop("", None)
    if sent:
        return sent.most_common(1)[0][0]
    if profile.rows:
        cells = profile.rows[0][1]
        name = f"{cells.get('first_name', '')} {cells.get('last_name', '')}".strip().casefold()
        named = Counter(m.sender.linkedin_url for m in messages if m.sender.name.casefold() == name)
        named.pop("", None)
        if named:
            return named.most_common(1)[0][0]
    seen: Counter[str] = Counter()
    # One pass: the parties of each conversation, counted once per conversation.
    parties: dict[str, set[str]] = defaultdict(set)
    for m in messages:
        parties[m.conversation].update(p.linkedin_url for p in (m.sender, *m.recipients))
    for urls in parties.values():
        seen.update(urls - {""})
    return seen.most_common(1)[0][0] if seen else ""


@dataclass(slots=True)
class ArchivePlan(CapturePlan):
    client: Client | None = None
    contacts: ContactPlan | None = None
    captured: list[CapturedInteraction] = field(default_factory=list)
    answers: list[tuple[CapturedInteraction, CapturedInteraction | int]] = field(
        default_factory=list
    )
    recommended: list[Contact] = field(default_factory=list)

    def write(self, job: ImportJob) -> None:
        if self.contacts is not None:
            Contact.objects.bulk_create(self.contacts.new, batch_size=BATCH_SIZE)
            if self.contacts.updated:
                stamp = timezone.now()
                for contact in self.contacts.updated:
                    contact.updated_at = stamp
                Contact.objects.bulk_update(
                    self.contacts.updated,
                    [*sorted(self.contacts.updated_fields), "updated_at"],
                    batch_size=BATCH_SIZE,
                )
        existing = [c for c in self.recommended if c.pk is not None]
        if existing:
            Contact.objects.bulk_update(
                existing, ["willingness", "tags", "updated_at"], batch_size=BATCH_SIZE
            )
        for item in self.captured:
            item.import_job = job
        CapturedInteraction.objects.bulk_create(self.captured, batch_size=BATCH_SIZE)
        linked = []
        for reply, answered in self.answers:
            reply.answers_id = answered if isinstance(answered, int) else answered.pk
            linked.append(reply)
        CapturedInteraction.objects.bulk_update(linked, ["answers"], batch_size=BATCH_SIZE)


def plan_archive(
    payload: bytes,
    *,
    client: Client,
    now: datetime,
    forgiving: bool,
    progress: Progress,
    total: Progress,
) -> ArchivePlan:
    files = read_archive(payload)
    keep_text = _keeps_content()
    connections = _table(files, "connections", LINKEDIN_CONNECTIONS, "Connections.csv")
    messages_table = _table(
        files, "messages", MESSAGES if keep_text else MESSAGES_WITHOUT_TEXT, "messages.csv"
    )
    invitations = _table(files, "invitations", INVITATIONS, "Invitations.csv")
    profile = _table(files, "profile", PROFILE, "Profile.csv")
    recommendations = _table(
        files, "recommendations", RECOMMENDATIONS, "Recommendations_Received.csv"
    )
    del files
    plan = ArchivePlan(client=client)
    plan.rows = sum(
        len(t.rows) + len(t.errors) for t in (connections, messages_table, invitations)
    ) + len(recommendations.rows)
    total(plan.rows)

    if connections.rows or connections.errors:
        plan.contacts = plan_contacts(
            connections,
            kind=ImportKind.LINKEDIN_CONNECTIONS,
            client=client,
            now=now,
            forgiving=forgiving,
        )
        plan.errors += _in_file(plan.contacts.errors, "Connections.csv")
        plan.dropped += _in_file(plan.contacts.dropped, "Connections.csv")
        plan.count("contacts_created", len(plan.contacts.new))
        plan.count("contacts_merged", plan.contacts.merged_rows)
    progress(len(connections.rows))

    contacts = list(Contact.objects.filter(client=client))
    new_contacts = plan.contacts.new if plan.contacts else []
    finder = ContactFinder([*contacts, *new_contacts])
    known = dict(CapturedInteraction.objects.filter(client=client).values_list("key", "pk"))
    messages = _messages(messages_table, plan, keep_text=keep_text)
    own = own_profile_url(messages=messages, invitations=invitations, profile=profile)
    _plan_messages(messages, plan, client=client, own=own, finder=finder, known=known, now=now)
    progress(len(connections.rows) + len(messages_table.rows))
    _plan_invitations(
        invitations, plan, client=client, own=own, finder=finder, known=known, now=now,
        keep_text=keep_text,
    )  # fmt: skip
    _plan_recommendations(recommendations, plan, contacts=[*contacts, *new_contacts], now=now)
    people = {
        (c.person_linkedin_url or c.person_email or c.person_name)
        for c in plan.captured
        if c.contact is None
    }
    plan.count("people_proposed", len(people))
    progress(plan.rows)
    return plan


def _keeps_content() -> bool:
    return bool(
        CaptureSettings.objects.filter(singleton=True)
        .values_list("store_message_content", flat=True)
        .first()
    )


def _in_file(errors: Iterable[RowError], label: str) -> list[RowError]:
    return [RowError(e.line, e.field, f"In {label}: {e.message}") if e.line else e for e in errors]


def _messages(table: Table, plan: ArchivePlan, *, keep_text: bool) -> list[Message]:
    plan.errors += _in_file(table.errors, "messages.csv")
    messages = []
    for line, cells in table.rows:
        if cells.get("folder", "").strip().casefold() in _SKIPPED_FOLDERS:
            continue
        sender = Party.of(name=cells.get("sender", ""), linkedin_url=cells.get("sender_url", ""))
        if not sender.linkedin_url:
            continue  # LinkedIn's own notices and sponsored messages have no sender profile
        raw = cells.get("date", "")
        at = parse_linkedin_time(raw)
        if at is None:
            plan.errors.append(
                RowError(line, "messages.csv", f"DATE {shown(raw)} is not a date and time.")
            )
            continue
        messages.append(
            Message(
                line=line,
                conversation=cells.get("conversation_id", "").strip(),
                sender=sender,
                recipients=_parties(cells.get("recipients", ""), cells.get("recipient_urls", "")),
                at=at,
                raw_date=raw.strip(),
                subject=(cells.get("subject") or cells.get("conversation_title") or "")[:300]
                if keep_text
                else "",
                content=cells.get("content", "") if keep_text else "",
            )
        )
    messages.sort(key=lambda m: (m.conversation, m.at, m.line))
    return messages


def _person(
    party: Party, *, finder: ContactFinder, how_met: str = HowMet.LINKEDIN_ONLY
) -> dict[str, Any]:
    contact = finder.find(party)
    if contact is not None:
        return {"contact": contact}
    return proposed_fields(party, how_met=how_met)


def _plan_messages(
    messages: list[Message],
    plan: ArchivePlan,
    *,
    client: Client,
    own: str,
    finder: ContactFinder,
    known: dict[str, int],
    now: datetime,
) -> None:
    """One exchange per message and person, kinds from the conversation's course: the client's
    first message to someone is outreach, one after their answer a conversation, one after an
    unanswered message a follow-up; their messages are conversation and answer the client's
    last unanswered message in the conversation."""
    # (conversation, person) -> the client's last unanswered message (new row or known pk)
    waiting: dict[tuple[str, str], CapturedInteraction | int] = {}
    last: dict[tuple[str, str], str] = {}
    for m in messages:
        outbound = bool(own) and m.sender.linkedin_url == own
        if outbound:
            others = [p for p in m.recipients if p.linkedin_url != own]
        elif not own or any(p.linkedin_url == own for p in m.recipients):
            others = [m.sender]
        else:
            continue  # a message between other people in a group conversation
        problems = instant_problems(m.at, now=now)
        if problems:
            plan.errors.append(RowError(m.line, "messages.csv", f"DATE: {problems[0]}"))
            continue
        for person in others:
            thread = (m.conversation, person.key)
            previous = last.get(thread)
            if outbound:
                kind = (
                    InteractionKind.OUTREACH
                    if previous is None
                    else InteractionKind.FOLLOW_UP
                    if previous == Direction.OUTBOUND
                    else InteractionKind.CONVERSATION
                )
            else:
                kind = InteractionKind.CONVERSATION
            direction = Direction.OUTBOUND if outbound else Direction.INBOUND
            last[thread] = direction
            key = "li:m:" + _key(
                m.conversation, m.sender.linkedin_url, m.raw_date, person.linkedin_url
            )
            if key in known:
                plan.count("messages_known")
                if outbound:
                    waiting[thread] = known[key]
                else:
                    waiting.pop(thread, None)
                continue
            known[key] = 0
            item = CapturedInteraction(
                client=client,
                source=CaptureSource.LINKEDIN_ARCHIVE,
                key=key,
                thread_key=f"li:{m.conversation}"[:200],
                occurred_at=m.at,
                channel=Channel.LINKEDIN,
                direction=direction,
                kind=kind,
                subject=m.subject,
                content=m.content,
                **_person(person, finder=finder),
            )
            plan.captured.append(item)
            plan.count("messages_created")
            if outbound:
                waiting[thread] = item
            elif thread in waiting:
                plan.answers.append((item, waiting.pop(thread)))


def _plan_invitations(
    table: Table,
    plan: ArchivePlan,
    *,
    client: Client,
    own: str,
    finder: ContactFinder,
    known: dict[str, int],
    now: datetime,
    keep_text: bool,
) -> None:
    plan.errors += _in_file(table.errors, "Invitations.csv")
    for line, cells in table.rows:
        direction_cell = cells.get("direction", "").strip().casefold()
        if direction_cell not in ("outgoing", "incoming"):
            plan.errors.append(
                RowError(
                    line,
                    "Invitations.csv",
                    f"Direction {shown(cells.get('direction', ''))} is neither OUTGOING nor "
                    "INCOMING.",
                )
            )
            continue
        outbound = direction_cell == "outgoing"
        person = (
            Party.of(name=cells.get("recipient", ""), linkedin_url=cells.get("invitee_url", ""))
            if outbound
            else Party.of(name=cells.get("sender", ""), linkedin_url=cells.get("inviter_url", ""))
        )
        if not (person.linkedin_url or person.name) or person.linkedin_url == own:
            plan.errors.append(
                RowError(line, "Invitations.csv", "The invitation does not say who it was with.")
            )
            continue
        raw = cells.get("sent_at", "")
        at = parse_linkedin_time(raw)
        problems = ["Sent At is not a date and time."] if at is None else []
        problems = problems or instant_problems(at, now=now)
        if problems or at is None:
            plan.errors.append(RowError(line, "Invitations.csv", f"Sent At: {problems[0]}"))
            continue
        key = "li:i:" + _key(direction_cell, person.key, raw.strip())
        if key in known:
            plan.count("invitations_known")
            continue
        known[key] = 0
        plan.captured.append(
            CapturedInteraction(
                client=client,
                source=CaptureSource.LINKEDIN_ARCHIVE,
                key=key,
                thread_key=f"li:invitation:{person.key}"[:200],
                occurred_at=at,
                channel=Channel.LINKEDIN,
                direction=Direction.OUTBOUND if outbound else Direction.INBOUND,
                kind=InteractionKind.OUTREACH,
                content=cells.get("message", "") if keep_text else "",
                **_person(person, finder=finder),
            )
        )
        plan.count("invitations_created")


def _plan_recommendations(
    table: Table, plan: ArchivePlan, *, contacts: list[Contact], now: datetime
) -> None:
    """A recommender is willing to help; they are matched by name (the file has no address)."""
    by_name: dict[str, list[Contact]] = defaultdict(list)
    for contact in contacts:
        by_name[contact.name.casefold()].append(contact)
    for _line, cells in table.rows:
        name = f"{cells.get('first_name', '')} {cells.get('last_name', '')}"
        same = by_name.get(" ".join(name.split()).casefold(), [])
        if len(same) != 1:
            continue
        contact = same[0]
        changed = False
        if contact.willingness == Willingness.UNKNOWN:
            contact.willingness = Willingness.WILLING
            changed = True
        if RECOMMENDER_TAG not in contact.tags:
            contact.tags = sorted({*contact.tags, RECOMMENDER_TAG})
            changed = True
        if changed:
            contact.updated_at = timezone.now()
            plan.recommended.append(contact)
            plan.count("recommendations")
