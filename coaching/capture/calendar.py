"""Calendar files (.ics, uploaded or forwarded as an invite) as meetings.

- Each event (each occurrence of a recurring one, up to a year ahead) is one meeting at the
  instant the file names (its TZID, or UTC), with the person: the first attendee (or organizer)
  who is not the client, matched to a contact by email, or created as a new contact.
- An event has a stable key: its UID and, for an occurrence of a recurring event, the start of
  that occurrence. The same key again with a later (or equal) SEQUENCE moves the meeting; a
  cancellation (METHOD:CANCEL, STATUS:CANCELLED) cancels it; older versions change nothing.
- The purpose is read from the title: "interview" → interview, "informational"/"coffee" →
  informational, else networking.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from dateutil.rrule import rruleset, rrulestr
from django.db import transaction
from django.utils import timezone
from icalendar import Calendar

from accounts.models import User
from coaching.capture.models import CapturedEvent
from coaching.capture.people import ContactFinder, Party
from coaching.capture.plans import CapturePlan, Progress
from coaching.choices import HowMet, MeetingPurpose, MeetingStatus
from coaching.imports.reading import ImportFileError, RowError
from coaching.models import Client, Contact, ImportJob
from coaching.services.activity import activity_record
from coaching.services.meetings import meeting_record_outcome, meeting_schedule
from coaching.timezones import zone
from coaching.validation import instant_problems

MAX_OCCURRENCES = 100
AHEAD = timedelta(days=366)
NOT_A_CALENDAR = (
    "This is not a calendar file. Export the event or calendar as .ics (iCalendar) and upload "
    "that file, or forward the invitation email."
)


@dataclass(slots=True)
class Occurrence:
    key: str
    uid: str
    sequence: int
    start: datetime
    title: str
    cancelled: bool
    person: Party
    others: list[str]


@dataclass(slots=True)
class CalendarPlan(CapturePlan):
    client: Client | None = None
    occurrences: list[Occurrence] = field(default_factory=list)
    actor: User | None = None

    def write(self, job: ImportJob) -> None:
        assert self.client is not None
        calendar_write(
            self,
            client=self.client,
            actor=job.created_by or self.client.user,
            now=timezone.now(),
        )


def _text(value: Any) -> str:
    return str(value or "").strip()


def _address(value: Any) -> str:
    text = _text(value)
    return text[7:] if text.casefold().startswith("mailto:") else text


def _party(prop: Any) -> Party:
    params = getattr(prop, "params", {}) or {}
    return Party.of(name=_text(params.get("CN", "")), email=_address(prop))


def _as_instant(value: Any, *, tz: str) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone(tz))
    if isinstance(value, date):
        return datetime.combine(value, time(12, 0), tzinfo=zone(tz))
    raise ValueError("not a date")


def read_calendar(
    payload: bytes, *, client: Client, now: datetime
) -> tuple[list[Occurrence], list[RowError]]:
    """The occurrences in `payload`, and what could not be used."""
    try:
        calendar = Calendar.from_ical(payload)
    except Exception:
        raise ImportFileError(NOT_A_CALENDAR) from None
    method = _text(calendar.get("METHOD")).upper()
    own = {client.user.email.casefold()} if client.user.email else set()
    occurrences: list[Occurrence] = []
    errors: list[RowError] = []
    overrides: dict[str, set[str]] = {}
    events = list(calendar.walk("VEVENT"))
    if not events:
        raise ImportFileError("The calendar file has no events in it.")
    for event in events:
        if event.get("RECURRENCE-ID") is not None:
            uid = _text(event.get("UID"))
            original = _as_instant(event.decoded("RECURRENCE-ID"), tz=client.time_zone)
            overrides.setdefault(uid, set()).add(_stamp(original))
    for number, event in enumerate(events, start=1):
        uid = _text(event.get("UID"))
        title = _text(event.get("SUMMARY"))[:200]
        where = f"Event {number}" + (f" ({title})" if title else "")
        if not uid:
            errors.append(RowError(0, "file", f"{where} has no UID, so it cannot be tracked."))
            continue
        try:
            start = _as_instant(event.decoded("DTSTART"), tz=client.time_zone)
        except Exception:
            errors.append(RowError(0, "file", f"{where} has no start time that can be read."))
            continue
        people = [_party(p) for p in _list(event.get("ATTENDEE"))]
        organizer = event.get("ORGANIZER")
        if organizer is not None:
            people.append(_party(organizer))
        others = [p for p in people if p.email and p.email not in own]
        if not others:
            errors.append(RowError(0, "file", f"{where} names nobody but the client."))
            continue
        cancelled = method == "CANCEL" or _text(event.get("STATUS")).upper() == "CANCELLED"
        sequence = int(_text(event.get("SEQUENCE")) or 0)
        labels = [p.label() for p in others[1:]]
        recurrence = event.get("RECURRENCE-ID")
        starts: list[tuple[datetime | None, datetime]]
        if recurrence is not None:
            starts = [(_as_instant(event.decoded("RECURRENCE-ID"), tz=client.time_zone), start)]
        elif event.get("RRULE") is not None:
            starts = [
                (s, s)
                for s in _expand(event, start, now=now)
                if _stamp(s) not in overrides.get(uid, set())
            ]
        else:
            starts = [(None, start)]
        for occurrence_of, at in starts:
            problems = instant_problems(at)
            if problems:
                errors.append(RowError(0, "file", f"{where}: {problems[0]}"))
                continue
            occurrences.append(
                Occurrence(
                    key=f"{uid}|{_stamp(occurrence_of)}" if occurrence_of else uid,
                    uid=uid,
                    sequence=sequence,
                    start=at,
                    title=title,
                    cancelled=cancelled,
                    person=others[0],
                    others=labels,
                )
            )
    return occurrences, errors


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _stamp(at: datetime) -> str:
    return at.astimezone(zone("UTC")).strftime("%Y%m%dT%H%M%SZ")


def _expand(event: Any, start: datetime, *, now: datetime) -> list[datetime]:
    rules = rruleset()
    rules.rrule(rrulestr(event.get("RRULE").to_ical().decode(), dtstart=start))
    for exdate in _list(event.get("EXDATE")):
        for d in exdate.dts:
            rules.exdate(_as_instant(d.dt, tz=str(start.tzinfo)))
    until = max(now, start) + AHEAD
    found: list[datetime] = []
    for at in rules:
        if at > until or len(found) >= MAX_OCCURRENCES:
            break
        found.append(at)
    return found


def _purpose(title: str) -> str:
    lowered = title.casefold()
    if "interview" in lowered:
        return MeetingPurpose.INTERVIEW
    if "informational" in lowered or "coffee" in lowered:
        return MeetingPurpose.INFORMATIONAL
    return MeetingPurpose.NETWORKING


def plan_calendar(
    payload: bytes, *, client: Client, now: datetime, progress: Progress, total: Progress
) -> CalendarPlan:
    occurrences, errors = read_calendar(payload, client=client, now=now)
    plan = CalendarPlan(client=client, occurrences=occurrences, errors=errors)
    plan.rows = len(occurrences) + len(errors)
    total(plan.rows)
    progress(plan.rows)
    return plan


def calendar_write(plan: CalendarPlan, *, client: Client, actor: User, now: datetime) -> None:
    """Create, move or cancel the meetings (inside the caller's transaction)."""
    finder = ContactFinder(Contact.objects.filter(client=client))
    known = {
        e.key: e
        for e in CapturedEvent.objects.select_for_update(of=("self",))
        .select_related("meeting")
        .filter(client=client, key__in=[o.key for o in plan.occurrences])
    }
    for occurrence in plan.occurrences:
        seen = known.get(occurrence.key)
        if seen is None:
            if occurrence.cancelled:
                plan.count("meetings_known")
                continue
            contact = finder.find(occurrence.person)
            if contact is None:
                contact = Contact.objects.create(
                    client=client,
                    name=occurrence.person.name or occurrence.person.email,
                    email=occurrence.person.email,
                    how_met=HowMet.OTHER,
                )
                finder.add(contact)
                plan.count("contacts_created")
            note = occurrence.title
            if occurrence.others:
                note += f" (also: {', '.join(occurrence.others)})"
            with transaction.atomic():
                meeting = meeting_schedule(
                    client=client,
                    actor=actor,
                    contact=contact,
                    scheduled_for=occurrence.start,
                    purpose=_purpose(occurrence.title),
                    note=note,
                )
            known[occurrence.key] = CapturedEvent.objects.create(
                client=client,
                key=occurrence.key[:300],
                sequence=occurrence.sequence,
                meeting=meeting,
            )
            plan.count("meetings_created")
            continue
        existing = seen.meeting
        if occurrence.sequence < seen.sequence or existing is None:
            plan.count("meetings_known")
            continue
        meeting = existing
        if meeting.status != MeetingStatus.SCHEDULED:
            plan.count("meetings_known")
        elif occurrence.cancelled:
            meeting_record_outcome(
                meeting=meeting, actor=actor, status=MeetingStatus.CANCELLED, at=now, now=now
            )
            plan.count("meetings_cancelled")
        elif occurrence.start != meeting.scheduled_for:
            if meeting.prepared_at is not None and meeting.prepared_at > occurrence.start:
                plan.errors.append(
                    RowError(0, "file", f"{occurrence.title or 'A meeting'} moved before the "
                             "preparation recorded for it; move it by hand.")
                )  # fmt: skip
                continue
            previous = meeting.scheduled_for
            meeting.scheduled_for = occurrence.start
            meeting.save(update_fields=["scheduled_for", "updated_at"])
            activity_record(
                client=client,
                actor=actor,
                verb="meeting.moved",
                subject=meeting,
                changes={"scheduled_for": [previous, occurrence.start]},
            )
            plan.count("meetings_moved")
        else:
            plan.count("meetings_known")
        seen.sequence = occurrence.sequence
        seen.save(update_fields=["sequence"])
