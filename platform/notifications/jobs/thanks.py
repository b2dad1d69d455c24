"""Thank-you and outcome reminders. A thank-you is owed within two days of a networking meeting
or an introduction, and the introducer should hear how it went (seed 003: "a thank you is
mandatory"; the introducer needs the outcome to judge the match).

- After a networking or informational meeting (or any meeting an introduction led to) held
  without a thank-you: one reminder, from three hours to two days after it; for a meeting that
  came from an introduction it also asks the client to tell the introducer how it went.
- When an introduction is closed without a thank-you or an outcome report to the introducer:
  one reminder within a week of closing.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial

from django.db.models import Q

from coaching.choices import (
    ClientStatus,
    Direction,
    InteractionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
)
from coaching.models import Interaction, Introduction, Meeting
from coaching.timezones import local_date
from notifications.jobs.common import awake, first_name, queue_guarded
from notifications.kinds import Kind
from notifications.services import Outgoing

MEETING_GRACE = timedelta(hours=3)
THANKS_WITHIN = timedelta(days=2)
CLOSED_WITHIN = timedelta(days=7)


@dataclass(frozen=True, slots=True)
class Counts:
    after_meeting: int = 0
    close_the_loop: int = 0


class _Sent:
    """Outbound thank-yous and outcome reports per contact, to check what was already done."""

    def __init__(self, *, contact_ids: set[int], since: datetime) -> None:
        self._at: dict[tuple[int, str], list[datetime]] = defaultdict(list)
        rows = Interaction.objects.filter(
            contact_id__in=contact_ids,
            direction=Direction.OUTBOUND,
            kind__in=[InteractionKind.THANK_YOU, InteractionKind.OUTCOME_REPORT],
            occurred_at__gte=since,
        ).values_list("contact_id", "kind", "occurred_at")
        for contact_id, kind, at in rows:
            self._at[(contact_id, kind)].append(at)

    def since(self, *, contact_id: int, kind: str, moment: datetime) -> bool:
        return any(at >= moment for at in self._at.get((contact_id, kind), []))


def _meetings(*, now: datetime) -> list[Meeting]:
    return list(
        Meeting.objects.filter(
            status=MeetingStatus.HELD,
            thanked_at__isnull=True,
            scheduled_for__lte=now - MEETING_GRACE,
            scheduled_for__gt=now - THANKS_WITHIN,
            client__status=ClientStatus.ACTIVE,
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
        )
        .filter(Q(thanked_at__isnull=True) | Q(outcome_reported_at__isnull=True))
        .select_related("client__user", "introducer", "target")
        .order_by("ended_at", "pk")
    )


def thank_you_reminders(*, now: datetime) -> Counts:
    meetings = _meetings(now=now)
    intros = _closed_introductions(now=now)
    contact_ids = {m.contact_id for m in meetings}
    contact_ids |= {m.introduction.introducer_id for m in meetings if m.introduction}
    contact_ids |= {i.introducer_id for i in intros}
    if not contact_ids:
        return Counts()
    sent = _Sent(contact_ids=contact_ids, since=now - CLOSED_WITHIN - timedelta(days=90))
    after_meeting = close_the_loop = 0
    for meeting in meetings:
        client = meeting.client
        thank = not sent.since(
            contact_id=meeting.contact_id,
            kind=InteractionKind.THANK_YOU,
            moment=meeting.scheduled_for,
        )
        intro = meeting.introduction
        report = (
            intro is not None
            and intro.outcome_reported_at is None
            and not sent.since(
                contact_id=intro.introducer_id,
                kind=InteractionKind.OUTCOME_REPORT,
                moment=meeting.scheduled_for,
            )
        )
        if not (thank or report) or not awake(now=now, tz=client.time_zone):
            continue
        key = f"after_meeting:meeting:{meeting.pk}"
        after_meeting += queue_guarded(
            now=now,
            key=key,
            kind=Kind.AFTER_MEETING,
            user=client.user,
            build=partial(_after_meeting, meeting=meeting, key=key, thank=thank, report=report),
        )
    for intro in intros:
        assert intro.made_at is not None
        client = intro.client
        thank = intro.thanked_at is None and not sent.since(
            contact_id=intro.introducer_id, kind=InteractionKind.THANK_YOU, moment=intro.made_at
        )
        report = intro.outcome_reported_at is None and not sent.since(
            contact_id=intro.introducer_id,
            kind=InteractionKind.OUTCOME_REPORT,
            moment=intro.made_at,
        )
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


def _after_meeting(*, meeting: Meeting, key: str, thank: bool, report: bool) -> Outgoing:
    user = meeting.client.user
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
