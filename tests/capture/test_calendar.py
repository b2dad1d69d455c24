"""Calendar files as meetings: time zones, recurrence, updates that move, cancellations."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from coaching.capture.models import CapturedEvent
from coaching.choices import ImportKind, ImportMode, ImportStatus, MeetingPurpose, MeetingStatus
from coaching.imports.wording import outcome_sentences
from coaching.models import Contact, ImportJob, Meeting
from coaching.services.imports import import_run, import_start

from .conftest import NOW

VTIMEZONE = """BEGIN:VTIMEZONE
TZID:America/New_York
BEGIN:DAYLIGHT
TZOFFSETFROM:-0500
TZOFFSETTO:-0400
TZNAME:EDT
DTSTART:19700308T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:-0400
TZOFFSETTO:-0500
TZNAME:EST
DTSTART:19701101T020000
RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU
END:STANDARD
END:VTIMEZONE
"""


def ics(*events: str, method: str = "REQUEST", tz: bool = True) -> bytes:
    body = "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//Test//Calendar//EN\nMETHOD:" + method + "\n"
    body += (VTIMEZONE if tz else "") + "".join(events) + "END:VCALENDAR\n"
    return body.replace("\n", "\r\n").encode()


def event(
    uid: str = "evt-1@example.test",
    start: str = "DTSTART;TZID=America/New_York:20240410T093000",
    title: str = "Coffee with Ann",
    sequence: int = 0,
    extra: str = "",
    attendee: str = "ann@example.test",
    status: str = "CONFIRMED",
) -> str:
    return (
        "BEGIN:VEVENT\n"
        f"UID:{uid}\nDTSTAMP:20240401T000000Z\n{start}\nDURATION:PT1H\n"
        f"SUMMARY:{title}\nSEQUENCE:{sequence}\nSTATUS:{status}\n"
        "ORGANIZER;CN=Cleo Client:mailto:client@alpha.example.com\n"
        f"ATTENDEE;CN=Ann Archer;ROLE=REQ-PARTICIPANT:mailto:{attendee}\n"
        "ATTENDEE;CN=Cleo Client:mailto:client@alpha.example.com\n"
        f"{extra}END:VEVENT\n"
    )


def run(search, actor, payload: bytes) -> ImportJob:
    job = import_start(
        client=search,
        actor=actor,
        kind=ImportKind.CALENDAR,
        payload=payload,
        filename="invite.ics",
        mode=ImportMode.GOOD_ROWS,
    )
    return import_run(job_id=job.pk, now=NOW)


def test_an_event_in_new_york_time_becomes_a_meeting_at_that_instant(
    search, client_user, make_contact
):
    ann = make_contact(search, name="Ann Archer", email="ann@example.test")
    job = run(search, client_user, ics(event()))
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    meeting = Meeting.objects.get(client=search)
    assert meeting.contact == ann
    assert meeting.scheduled_for == datetime(2024, 4, 10, 13, 30, tzinfo=UTC)  # EDT is -4
    assert meeting.purpose == MeetingPurpose.INFORMATIONAL
    assert outcome_sentences(
        kind=job.kind, mode=job.mode, status=job.status, summary=job.summary
    ) == ["1 new meeting."]


def test_an_attendee_who_is_not_a_contact_becomes_one(search, client_user):
    run(search, client_user, ics(event(title="Interview: data team", attendee="hr@acme.test")))
    contact = Contact.objects.get(client=search)
    assert (contact.name, contact.email) == ("Ann Archer", "hr@acme.test")
    assert Meeting.objects.get(client=search).purpose == MeetingPurpose.INTERVIEW


def test_an_update_moves_the_meeting_and_an_older_one_does_not(search, client_user):
    run(search, client_user, ics(event()))
    moved = event(start="DTSTART;TZID=America/New_York:20240412T150000", sequence=2)
    job = run(search, client_user, ics(moved))
    assert job.summary == {"rows": 1, "meetings_moved": 1, "skipped_rows": 0, "dropped_values": 0}
    meeting = Meeting.objects.get(client=search)
    assert meeting.scheduled_for == datetime(2024, 4, 12, 19, 0, tzinfo=UTC)
    stale = event(start="DTSTART;TZID=America/New_York:20240411T150000", sequence=1)
    run(search, client_user, ics(stale))
    meeting.refresh_from_db()
    assert meeting.scheduled_for == datetime(2024, 4, 12, 19, 0, tzinfo=UTC)
    # The same file again changes nothing.
    again = run(search, client_user, ics(moved))
    assert again.summary.get("meetings_known") == 1
    assert Meeting.objects.filter(client=search).count() == 1


@pytest.mark.parametrize("how", ["method", "status"])
def test_a_cancellation_cancels_it(search, client_user, how):
    run(search, client_user, ics(event()))
    if how == "method":
        payload = ics(event(sequence=1), method="CANCEL")
    else:
        payload = ics(event(sequence=1, status="CANCELLED"))
    job = run(search, client_user, payload)
    assert job.summary.get("meetings_cancelled") == 1
    meeting = Meeting.objects.get(client=search)
    assert meeting.status == MeetingStatus.CANCELLED
    assert meeting.cancelled_at is not None


def test_a_recurring_event_is_one_meeting_per_occurrence_with_exceptions(search, client_user):
    weekly = event(
        uid="weekly@example.test",
        start="DTSTART;TZID=America/New_York:20240304T090000",
        title="Weekly networking call",
        extra=("RRULE:FREQ=WEEKLY;COUNT=4\nEXDATE;TZID=America/New_York:20240318T090000\n"),
    )
    moved_one = event(
        uid="weekly@example.test",
        start="DTSTART;TZID=America/New_York:20240312T110000",
        title="Weekly networking call",
        extra="RECURRENCE-ID;TZID=America/New_York:20240311T090000\n",
    )
    job = run(search, client_user, ics(weekly, moved_one))
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    times = sorted(Meeting.objects.filter(client=search).values_list("scheduled_for", flat=True))
    assert times == [
        datetime(2024, 3, 4, 14, 0, tzinfo=UTC),  # EST, -5
        datetime(2024, 3, 12, 15, 0, tzinfo=UTC),  # the moved one, EDT -4
        datetime(2024, 3, 25, 13, 0, tzinfo=UTC),  # EDT; the 18th is excepted
    ]
    assert CapturedEvent.objects.filter(client=search).count() == 3


def test_utc_and_floating_times(search, client_user):
    utc = event(uid="u1", start="DTSTART:20240402T080000Z")
    floating = event(uid="u2", start="DTSTART:20240403T080000")  # the client's zone (Berlin)
    run(search, client_user, ics(utc, floating, tz=False))
    times = sorted(Meeting.objects.filter(client=search).values_list("scheduled_for", flat=True))
    assert times == [
        datetime(2024, 4, 2, 8, 0, tzinfo=UTC),
        datetime(2024, 4, 3, 6, 0, tzinfo=UTC),  # CEST is +2
    ]


def test_events_that_cannot_be_used_are_listed_in_words(search, client_user):
    nobody = event(uid="n1", attendee="client@alpha.example.com")
    ancient = event(uid="n2", start="DTSTART:18000101T000000Z")
    job = run(search, client_user, ics(nobody, ancient, event(uid="ok")))
    assert job.summary["meetings_created"] == 1
    messages = [e["message"] for e in job.errors]
    assert any("names nobody but the client" in m for m in messages)
    assert any("before 1950-01-01" in m for m in messages)


def test_not_a_calendar_is_refused(search, client_user):
    job = run(search, client_user, b"hello, this is not a calendar")
    assert job.status == ImportStatus.FAILED
    assert "not a calendar file" in job.errors[0]["message"]


def test_the_same_uid_in_another_client_or_practice_is_another_event(
    search, other_search, client_user, other_client_user
):
    run(search, client_user, ics(event()))
    run(other_search, other_client_user, ics(event(attendee="bob@example.test")))
    assert Meeting.objects.filter(client=search).count() == 1
    assert Meeting.objects.filter(client=other_search).count() == 1
    cancel = ics(event(sequence=5), method="CANCEL")
    run(other_search, other_client_user, cancel)
    assert Meeting.objects.get(client=search).status == MeetingStatus.SCHEDULED
