"""Thank-you and outcome reminders. A thank-you is owed soon after a networking meeting or an
introduction, and the introducer should hear how it went (seed 003: "a thank you is
mandatory"; the introducer needs the outcome to judge the match). What is owed, since when and
by when is the obligations' (`coaching.diagnostics.obligations`, with each client's
`thanks_days`); this job only picks the moment to remind.

- After a networking or informational meeting (or any meeting an introduction led to) held
  without a thank-you: one reminder, from three hours after it until its thank-you deadline;
  for a meeting that came from an introduction it also asks the client to tell the introducer
  how it went.
- When an introduction is closed without a thank-you or an outcome report to the introducer:
  one reminder within a week of closing.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db.models import Q

from coaching.choices import ClientStatus, IntroductionStatus, MeetingPurpose, MeetingStatus
from coaching.diagnostics.obligations import Obligation, Owed
from coaching.insights.obligations import longest_in_force, obligations_by_record
from coaching.models import Client, Introduction, Meeting
from coaching.timezones import local_date
from notifications.jobs.common import awake, first_name, queue_guarded
from notifications.kinds import Kind
from notifications.services import Outgoing

# Not right after the meeting: the client may be writing the thank-you on the way home.
MEETING_GRACE = timedelta(hours=3)
# A closed introduction is remembered for a week; after that the diagnostics carry it.
CLOSED_WITHIN = timedelta(days=7)

Owing = dict[tuple[Owed, str, int], Obligation]


@dataclass(frozen=True, slots=True)
class Counts:
    after_meeting: int = 0
    close_the_loop: int = 0


def _meetings(*, now: datetime) -> list[Meeting]:
    """Held meetings of active clients that may still owe a thank-you before their deadline
    (the obligations decide which do)."""
    active = Client.objects.filter(status=ClientStatus.ACTIVE)
    longest = timedelta(days=longest_in_force("thanks_days", clients=active))
    return list(
        Meeting.objects.filter(
            status=MeetingStatus.HELD,
            thanked_at__isnull=True,
            scheduled_for__lte=now - MEETING_GRACE,
            scheduled_for__gt=now - longest,
            client__in=active,
        )
        .filter(
            Q(purpose__in=[MeetingPurpose.NETWORKING, MeetingPurpose.INFORMATIONAL])
            | Q(introduction__isnull=False)
        )
        .select_related("client__user", "contact", "introduction__introducer")
        .order_by("scheduled_for", "pk")
    )


def _closed_introductions(*, now: datetime) -> list[Introduction]:
    return list(
        Introduction.objects.filter(
            status=IntroductionStatus.CLOSED,
            ended_at__gt=now - CLOSED_WITHIN,
            ended_at__lte=now,
            made_at__isnull=False,
            client__status__in=[ClientStatus.ACTIVE, ClientStatus.LANDED],
            client__archived_at__isnull=True,  # an archived search is no longer nudged
        )
        .filter(Q(thanked_at__isnull=True) | Q(outcome_reported_at__isnull=True))
        .select_related("client__user", "introducer", "target")
        .order_by("ended_at", "pk")
    )


def _pending(owing: Owing, owed: Owed, record: str, pk: int | None) -> Obligation | None:
    found = owing.get((owed, record, pk)) if pk is not None else None
    return found if found is not None and found.pending else None


def thank_you_reminders(*, now: datetime) -> Counts:
    meetings = _meetings(now=now)
    intros = _closed_introductions(now=now)
    if not meetings and not intros:
        return Counts()
    owing = obligations_by_record(
        client_ids={m.client_id for m in meetings} | {i.client_id for i in intros}, now=now
    )
    after_meeting = close_the_loop = 0
    for meeting in meetings:
        client = meeting.client
        thanks = _pending(owing, Owed.MEETING_THANKS, "meeting", meeting.pk)
        thank = thanks is not None and now < thanks.due_at
        report = _pending(owing, Owed.OUTCOME, "introduction", meeting.introduction_id) is not None
        if not (thank or report) or not awake(now=now, tz=client.time_zone):
            continue
        key = f"after_meeting:meeting:{meeting.pk}"
        after_meeting += queue_guarded(
            now=now,
            key=key,
            kind=Kind.AFTER_MEETING,
            user=client.user,
            build=partial(
                _after_meeting, meeting=meeting, key=key, thanks=thanks if thank else None,
                report=report,
            ),
        )  # fmt: skip
    for intro in intros:
        client = intro.client
        thank = _pending(owing, Owed.INTRODUCER_THANKS, "introduction", intro.pk) is not None
        report = _pending(owing, Owed.OUTCOME, "introduction", intro.pk) is not None
        if not (thank or report) or not awake(now=now, tz=client.time_zone):
            continue
        key = f"close_the_loop:introduction:{intro.pk}"
        close_the_loop += queue_guarded(
            now=now,
            key=key,
            kind=Kind.CLOSE_THE_LOOP,
            user=client.user,
            build=partial(_close_the_loop, intro=intro, key=key, thank=thank, report=report),
        )
    return Counts(after_meeting, close_the_loop)


def _after_meeting(
    *, meeting: Meeting, key: str, thanks: Obligation | None, report: bool
) -> Outgoing:
    user = meeting.client.user
    thank = thanks is not None
    introducer = meeting.introduction.introducer if report and meeting.introduction else None
    return Outgoing(
        dedupe_key=key,
        kind=Kind.AFTER_MEETING,
        user=user,
        subject=f"Thank {meeting.contact.name} for the meeting"
        if thank
        else f"Tell {introducer.name if introducer else 'your introducer'} how it went",
        template="after_meeting",
        context={
            "name": first_name(user),
            "meeting": meeting,
            "met_on": local_date(at=meeting.scheduled_for, tz=meeting.client.time_zone),
            "contact": meeting.contact,
            "thank": thank,
            "within_days": thanks.within_days if thanks is not None else None,
            "report_to": introducer,
            "path": "/my/meetings/",
        },
    )


def _close_the_loop(*, intro: Introduction, key: str, thank: bool, report: bool) -> Outgoing:
    user = intro.client.user
    return Outgoing(
        dedupe_key=key,
        kind=Kind.CLOSE_THE_LOOP,
        user=user,
        subject=f"Close the loop with {intro.introducer.name}",
        template="close_the_loop",
        context={
            "name": first_name(user),
            "introducer": intro.introducer,
            "target": intro.target,
            "thank": thank,
            "report": report,
            "path": "/my/introductions/",
        },
    )
