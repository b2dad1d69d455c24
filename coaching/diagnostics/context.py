"""One pass over a snapshot that every rule shares.

Records dated after the "as of" day are dropped (or their future dates blanked), datetimes are
turned into days in the client's time zone once, and the per-contact indexes the rules need are
built here so no rule scans the whole history per contact.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coaching.choices import (
    ASK_KINDS,
    CONVERSATION_CHANNELS,
    ApplicationStatus,
    Direction,
    InteractionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
)
from coaching.diagnostics.snapshot import (
    Application,
    Contact,
    Interaction,
    Introduction,
    Meeting,
    RecordId,
    Snapshot,
)
from coaching.diagnostics.thresholds import Thresholds

if TYPE_CHECKING:
    from coaching.diagnostics.obligations import Obligations

_INTRO_DATETIMES = (
    "requested_at",
    "made_at",
    "first_contact_at",
    "thanked_at",
    "outcome_reported_at",
    "reached_hiring_authority_at",
    "ended_at",
)
_OFFERED = (ApplicationStatus.OFFER, ApplicationStatus.ACCEPTED)


@dataclass(frozen=True, slots=True)
class Touch:
    interaction: Interaction
    day: date


@dataclass(frozen=True, slots=True)
class Conversation:
    """A real two-way conversation, counted once per contact and day however it was recorded."""

    contact_id: RecordId
    at: datetime
    day: date
    record: str
    id: RecordId


@dataclass(frozen=True, slots=True)
class Ask:
    """A referral or introduction request, from an interaction or an introduction's request."""

    contact_id: RecordId
    at: datetime
    day: date
    record: str
    id: RecordId


def zone_for(*, name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"client.time_zone: unknown time zone {name!r}") from exc


class Context:
    """The snapshot as it stood at the end of ``as_of`` in the client's time zone."""

    def __init__(self, *, snapshot: Snapshot, as_of: date, thresholds: Thresholds) -> None:
        self.snapshot = snapshot
        self.client = snapshot.client
        self.as_of = as_of
        self.thresholds = thresholds
        self.tz = zone_for(name=snapshot.client.time_zone)
        self.window_start = as_of - timedelta(days=thresholds.window_days - 1)

        self.contacts: dict[RecordId, Contact] = {c.id: c for c in snapshot.contacts}
        self.applications: dict[RecordId, Application] = {
            a.id: self._application_as_of(a)
            for a in snapshot.applications
            if self._application_existed(a)
        }
        self._index_interactions()
        self._index_meetings()
        self._index_introductions()
        self._index_meetings_by_introduction()
        self._index_interviews()
        self._index_conversations_and_two_way()
        self._index_asks()
        self.follow_ups = tuple(
            f for f in snapshot.follow_ups if f.due_on <= as_of or self._known(f.done_at)
        )
        self.feedback = tuple(f for f in snapshot.feedback if f.received_on <= as_of)
        self.obligations_cache: Obligations | None = None
        """Filled by `obligations.obligations_of` the first time a rule asks."""

    def day(self, moment: datetime) -> date:
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=UTC)
        return moment.astimezone(self.tz).date()

    def contact_name(self, contact_id: RecordId | None) -> str:
        if contact_id is None:
            return "an unrecorded contact"
        contact = self.contacts.get(contact_id)
        return contact.name if contact and contact.name else f"contact #{contact_id}"

    @property
    def search_days(self) -> int:
        """Days of search so far, the start day and the "as of" day included (0 before it)."""
        return max(0, (self.as_of - self.client.search_started_on).days + 1)

    def in_window(self, day: date) -> bool:
        return self.window_start <= day <= self.as_of

    def days_since(self, day: date) -> int:
        return (self.as_of - day).days

    def _known(self, moment: datetime | None) -> bool:
        return moment is not None and self.day(moment) <= self.as_of

    def _index_interactions(self) -> None:
        as_of = self.as_of
        touches = []
        for interaction in self.snapshot.interactions:
            day = self.day(interaction.occurred_at)
            if day <= as_of:
                touches.append(Touch(interaction, day))
        touches.sort(key=lambda t: (t.interaction.occurred_at, t.interaction.id))
        self.touches: tuple[Touch, ...] = tuple(touches)
        by_contact: dict[RecordId, list[Touch]] = defaultdict(list)
        outbound_by_day: dict[date, set[RecordId]] = defaultdict(set)
        for touch in touches:
            by_contact[touch.interaction.contact_id].append(touch)
            if touch.interaction.direction == Direction.OUTBOUND:
                outbound_by_day[touch.day].add(touch.interaction.contact_id)
        self.touches_by_contact: dict[RecordId, list[Touch]] = dict(by_contact)
        self.reached_by_day: dict[date, set[RecordId]] = dict(outbound_by_day)

    def _index_meetings(self) -> None:
        self.meeting_day: dict[RecordId, date] = {}
        meetings = []
        for meeting in self.snapshot.meetings:
            day = self.day(meeting.scheduled_for)
            self.meeting_day[meeting.id] = day
            if day <= self.as_of:
                if meeting.thanked_at is not None and self.day(meeting.thanked_at) > self.as_of:
                    meeting = replace(meeting, thanked_at=None)
                meetings.append(meeting)
        meetings.sort(key=lambda m: (m.scheduled_for, m.id))
        self.past_meetings: tuple[Meeting, ...] = tuple(meetings)
        self.held_meetings: tuple[Meeting, ...] = tuple(
            m for m in meetings if m.status == MeetingStatus.HELD
        )
        self.meetings_by_id: dict[RecordId, Meeting] = {m.id: m for m in self.snapshot.meetings}
        by_contact: dict[RecordId, list[Meeting]] = defaultdict(list)
        for meeting in self.held_meetings:
            by_contact[meeting.contact_id].append(meeting)
        self.held_meetings_by_contact: dict[RecordId, list[Meeting]] = dict(by_contact)

    def _index_introductions(self) -> None:
        intros = []
        for intro in self.snapshot.introductions:
            masked = self._introduction_as_of(intro)
            if masked.requested_at is not None or masked.made_at is not None:
                intros.append(masked)
        intros.sort(key=lambda i: i.id)
        self.introductions: tuple[Introduction, ...] = tuple(intros)
        self.introductions_by_id: dict[RecordId, Introduction] = {i.id: i for i in intros}

    def _index_meetings_by_introduction(self) -> None:
        by_intro: dict[RecordId, list[Meeting]] = defaultdict(list)
        for meeting in self.held_meetings:
            if meeting.introduction_id is not None:
                by_intro[meeting.introduction_id].append(meeting)
        self.meetings_by_introduction: dict[RecordId, tuple[Meeting, ...]] = {
            k: tuple(v) for k, v in by_intro.items()
        }
        self.referral_meeting_ids = frozenset(
            m.id for ms in self.meetings_by_introduction.values() for m in ms
        )

    def _index_interviews(self) -> None:
        """Who interviewed the client, and on which days: an interview is never a networking
        conversation, however it was recorded (a meeting with interview purpose, a conversation
        logged with the same person that day, or with someone at the interviewing company)."""
        by_contact: set[tuple[RecordId, date]] = set()
        by_company: set[tuple[str, date]] = set()
        interviewers: set[RecordId] = set()
        for meeting in self.past_meetings:
            if meeting.purpose != MeetingPurpose.INTERVIEW or meeting.status in (
                MeetingStatus.CANCELLED,
            ):
                continue
            day = self.meeting_day[meeting.id]
            interviewers.add(meeting.contact_id)
            by_contact.add((meeting.contact_id, day))
            companies = {self._company_key(meeting.contact_id)}
            app = self.applications.get(meeting.application_id or -1)
            if app is not None:
                companies.add(app.company.strip().casefold())
            by_company |= {(c, day) for c in companies if c}
        self.interviewers: frozenset[RecordId] = frozenset(interviewers)
        """Contacts the client had an interview with: an interview process, not networking."""
        self._interview_contact_days = frozenset(by_contact)
        self._interview_company_days = frozenset(by_company)

    def _company_key(self, contact_id: RecordId) -> str:
        contact = self.contacts.get(contact_id)
        return contact.company.strip().casefold() if contact and contact.company else ""

    def is_interview(self, *, contact_id: RecordId, day: date) -> bool:
        """A conversation with this contact on this day was (part of) an interview."""
        if (contact_id, day) in self._interview_contact_days:
            return True
        company = self._company_key(contact_id)
        return bool(company) and (company, day) in self._interview_company_days

    def expects_thanks(self, meeting: Meeting) -> bool:
        """Networking and informational meetings, and any meeting an introduction led to."""
        return (
            meeting.purpose in (MeetingPurpose.NETWORKING, MeetingPurpose.INFORMATIONAL)
            or meeting.id in self.referral_meeting_ids
        )

    def _introduction_as_of(self, intro: Introduction) -> Introduction:
        blanked: dict[str, Any] = {
            name: None
            for name in _INTRO_DATETIMES
            if (value := getattr(intro, name)) is not None and self.day(value) > self.as_of
        }
        if "ended_at" in blanked:
            blanked |= {"status": IntroductionStatus.OPEN, "abandon_reason": ""}
        return replace(intro, **blanked) if blanked else intro

    def _application_existed(self, application: Application) -> bool:
        known = [
            d
            for d in (
                application.posting_seen_on,
                application.first_outreach_on,
                application.applied_on,
            )
            if d is not None
        ]
        return not known or min(known) <= self.as_of

    def _application_as_of(self, application: Application) -> Application:
        blanked: dict[str, Any] = {}
        for name in (
            "posting_seen_on",
            "first_outreach_on",
            "applied_on",
            "offer_on",
            "last_employer_contact_on",
            "last_client_action_on",
        ):
            value = getattr(application, name)
            if value is not None and value > self.as_of:
                blanked[name] = None
        if "offer_on" in blanked and application.status in _OFFERED:
            blanked["status"] = ApplicationStatus.INTERVIEWING
        return replace(application, **blanked) if blanked else application

    def _index_conversations_and_two_way(self) -> None:
        seen: dict[tuple[RecordId, date], Conversation] = {}
        for meeting in self.held_meetings:
            if meeting.purpose == MeetingPurpose.INTERVIEW:
                continue
            day = self.meeting_day[meeting.id]
            if (meeting.contact_id, day) not in seen:
                seen[(meeting.contact_id, day)] = Conversation(
                    meeting.contact_id, meeting.scheduled_for, day, "meeting", meeting.id
                )
        self.last_two_way: dict[RecordId, datetime] = {}
        two_way: dict[RecordId, dict[date, datetime]] = defaultdict(dict)
        for touch in self.touches:
            interaction = touch.interaction
            contact_id = interaction.contact_id
            is_conversation = (
                interaction.kind == InteractionKind.CONVERSATION
                and interaction.channel in CONVERSATION_CHANNELS
            )
            if is_conversation and self.is_interview(contact_id=contact_id, day=touch.day):
                continue
            if is_conversation and (contact_id, touch.day) not in seen:
                seen[(contact_id, touch.day)] = Conversation(
                    contact_id, interaction.occurred_at, touch.day, "interaction", interaction.id
                )
            if is_conversation or interaction.direction == Direction.INBOUND:
                self._two_way_event(two_way, contact_id, touch.day, interaction.occurred_at)
            if interaction.replied_at is not None:
                reply_day = self.day(interaction.replied_at)
                if reply_day <= self.as_of:
                    self._two_way_event(two_way, contact_id, reply_day, interaction.replied_at)
        for conversation in seen.values():
            if conversation.record == "meeting":
                self._two_way_event(
                    two_way, conversation.contact_id, conversation.day, conversation.at
                )
        self.conversations: tuple[Conversation, ...] = tuple(
            sorted(seen.values(), key=lambda c: (c.at, c.record, c.id))
        )
        self._two_way_firsts: dict[RecordId, list[datetime]] = {
            contact_id: sorted(days.values()) for contact_id, days in two_way.items()
        }

    def _two_way_event(
        self,
        two_way: dict[RecordId, dict[date, datetime]],
        contact_id: RecordId,
        day: date,
        moment: datetime,
    ) -> None:
        days = two_way[contact_id]
        current = days.get(day)
        if current is None or moment < current:
            days[day] = moment
        latest = self.last_two_way.get(contact_id)
        if latest is None or moment > latest:
            self.last_two_way[contact_id] = moment

    def prior_two_way(self, *, contact_id: RecordId, before: datetime) -> int:
        """Two-way interactions (conversations, replies) before a moment, one per day."""
        return bisect_left(self._two_way_firsts.get(contact_id, []), before)

    def _index_asks(self) -> None:
        asks = []
        asked_on: set[tuple[RecordId, date]] = set()
        for touch in self.touches:
            interaction = touch.interaction
            if interaction.direction == Direction.OUTBOUND and interaction.kind in ASK_KINDS:
                asks.append(
                    Ask(
                        interaction.contact_id,
                        interaction.occurred_at,
                        touch.day,
                        "interaction",
                        interaction.id,
                    )
                )
                asked_on.add((interaction.contact_id, touch.day))
        for intro in self.introductions:
            if intro.requested_at is None:
                continue
            day = self.day(intro.requested_at)
            if (intro.introducer_id, day) not in asked_on:
                asks.append(
                    Ask(intro.introducer_id, intro.requested_at, day, "introduction", intro.id)
                )
        asks.sort(key=lambda a: (a.at, a.record, a.id))
        self.asks: tuple[Ask, ...] = tuple(asks)
        by_contact: dict[RecordId, list[Ask]] = defaultdict(list)
        for ask in asks:
            by_contact[ask.contact_id].append(ask)
        self.asks_by_contact: dict[RecordId, list[Ask]] = dict(by_contact)

    def reached_between(self, *, first: date, last: date) -> set[RecordId]:
        """Distinct contacts who got at least one outbound interaction between two days."""
        reached: set[RecordId] = set()
        day = first
        while day <= last:
            reached |= self.reached_by_day.get(day, set())
            day += timedelta(days=1)
        return reached

    def weekly_reach(self, *, weeks: int, ending: date) -> list[int]:
        """Distinct contacts reached per 7-day block, blocks ending on ``ending``, oldest first."""
        counts = []
        for block in range(weeks - 1, -1, -1):
            last = ending - timedelta(days=7 * block)
            counts.append(len(self.reached_between(first=last - timedelta(days=6), last=last)))
        return counts
