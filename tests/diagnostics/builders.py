"""Readable snapshots for the diagnostics tests: days are counted back from AS_OF."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

from coaching.choices import (
    ApplicationSource,
    ApplicationStatus,
    Channel,
    ChecklistState,
    Direction,
    FeedbackAbout,
    FeedbackSource,
    FitRating,
    InteractionKind,
    MeetingPurpose,
    MeetingStatus,
    PresentationItem,
    Verdict,
)
from coaching.diagnostics.engine import run_rule
from coaching.diagnostics.findings import DispositionState, Finding
from coaching.diagnostics.snapshot import (
    Application,
    ChecklistEntry,
    ClientFacts,
    Contact,
    Disposition,
    Feedback,
    FollowUp,
    Interaction,
    Introduction,
    Meeting,
    Snapshot,
)
from coaching.diagnostics.thresholds import resolve_thresholds

AS_OF = date(2024, 4, 15)  # a Monday, far from any slow season


def ago(days: int) -> date:
    return AS_OF - timedelta(days=days)


class SnapshotBuilder:
    """Collects records; every ``add`` returns the new record's id."""

    def __init__(self, *, tz: str = "UTC", started: date | None = None, **client: Any) -> None:
        self.tz = tz
        self.ids = count(1)
        self.client = ClientFacts(
            id=1,
            time_zone=tz,
            search_started_on=started or ago(120),
            leaving_story_verdict=Verdict.OK,
            target_role_families=("data",),
            presentation=tuple(
                ChecklistEntry(item, ChecklistState.OK) for item in PresentationItem
            ),
        )
        if client:
            self.client = replace(self.client, **client)
        self.contacts: list[Contact] = []
        self.interactions: list[Interaction] = []
        self.introductions: list[Introduction] = []
        self.follow_ups: list[FollowUp] = []
        self.applications: list[Application] = []
        self.meetings: list[Meeting] = []
        self.feedback: list[Feedback] = []
        self.dispositions: list[Disposition] = []

    def at(self, day: date, hour: int = 12, minute: int = 0) -> datetime:
        """An aware UTC datetime at a local time of day in the client's zone."""
        local = datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo(self.tz))
        return local.astimezone(UTC)

    def contact(self, name: str | None = None, **fields: Any) -> int:
        cid = next(self.ids)
        fields.setdefault("first_met_on", ago(365))
        self.contacts.append(Contact(id=cid, name=name or f"Contact {cid}", **fields))
        return cid

    def interaction(
        self,
        contact_id: int,
        day: date,
        *,
        kind: InteractionKind = InteractionKind.OUTREACH,
        direction: Direction = Direction.OUTBOUND,
        channel: Channel = Channel.EMAIL,
        hour: int = 12,
        minute: int = 0,
        replied_on: date | None = None,
    ) -> int:
        iid = next(self.ids)
        self.interactions.append(
            Interaction(
                id=iid,
                contact_id=contact_id,
                occurred_at=self.at(day, hour, minute),
                channel=channel,
                direction=direction,
                kind=kind,
                replied_at=self.at(replied_on, hour + 1) if replied_on else None,
            )
        )
        return iid

    def conversation(self, contact_id: int, day: date, channel: Channel = Channel.PHONE) -> int:
        return self.interaction(
            contact_id, day, kind=InteractionKind.CONVERSATION, channel=channel, hour=10
        )

    def ask(
        self,
        contact_id: int,
        day: date,
        kind: InteractionKind = InteractionKind.REFERRAL_REQUEST,
    ) -> int:
        return self.interaction(contact_id, day, kind=kind, hour=15)

    def follow_up_message(
        self, contact_id: int, day: date, channel: Channel = Channel.EMAIL
    ) -> int:
        return self.interaction(contact_id, day, kind=InteractionKind.FOLLOW_UP, channel=channel)

    def introduction(
        self,
        introducer_id: int,
        target_id: int,
        *,
        requested: date | None = None,
        made: date | None = None,
        contacted: date | None = None,
        thanked: date | None = None,
        reported: date | None = None,
        reached_authority: date | None = None,
        ended: date | None = None,
        **fields: Any,
    ) -> int:
        iid = next(self.ids)

        def moment(day: date | None, hour: int) -> datetime | None:
            return self.at(day, hour) if day else None

        self.introductions.append(
            Introduction(
                id=iid,
                introducer_id=introducer_id,
                target_id=target_id,
                requested_at=moment(requested, 9),
                made_at=moment(made, 11),
                first_contact_at=moment(contacted, 14),
                thanked_at=moment(thanked, 16),
                outcome_reported_at=moment(reported, 17),
                reached_hiring_authority_at=moment(reached_authority, 13),
                ended_at=moment(ended, 18),
                **fields,
            )
        )
        return iid

    def follow_up(self, contact_id: int, due: date, done: date | None = None) -> int:
        fid = next(self.ids)
        self.follow_ups.append(
            FollowUp(
                id=fid, contact_id=contact_id, due_on=due, done_at=self.at(done) if done else None
            )
        )
        return fid

    def application(self, company: str, **fields: Any) -> int:
        aid = next(self.ids)
        fields.setdefault("role", "Data engineer")
        fields.setdefault("role_family", "data")
        fields.setdefault("fit_rating", FitRating.GOOD)
        self.applications.append(Application(id=aid, company=company, **fields))
        return aid

    def meeting(
        self,
        contact_id: int,
        day: date,
        *,
        purpose: MeetingPurpose = MeetingPurpose.NETWORKING,
        status: MeetingStatus = MeetingStatus.HELD,
        prepared: bool = True,
        thanked: date | None = None,
        **fields: Any,
    ) -> int:
        mid = next(self.ids)
        for flag in ("prep_company_research", "prep_questions", "prep_goal"):
            fields.setdefault(flag, prepared)
        self.meetings.append(
            Meeting(
                id=mid,
                contact_id=contact_id,
                scheduled_for=self.at(day, 10),
                purpose=purpose,
                status=status,
                thanked_at=self.at(thanked, 18) if thanked else None,
                **fields,
            )
        )
        return mid

    def add_feedback(self, about: FeedbackAbout, day: date, **fields: Any) -> int:
        fid = next(self.ids)
        fields.setdefault("source", FeedbackSource.COACH)
        self.feedback.append(Feedback(id=fid, about=about, received_on=day, **fields))
        return fid

    def dispose(
        self,
        key: str,
        *,
        state: DispositionState = DispositionState.ACKNOWLEDGED,
        on: date | None = None,
        note: str = "Discussed in our session",
        expires_on: date | None = None,
    ) -> None:
        self.dispositions.append(
            Disposition(
                finding_key=key,
                state=state,
                decided_on=on or ago(1),
                note=note,
                expires_on=expires_on,
            )
        )

    def reach(self, contacts: int, *, weeks: int = 6, start: int = 0) -> None:
        """``contacts`` distinct new people reached in every 7-day block counted back from
        AS_OF (block 0 is the last 7 days), by email."""
        for week in range(weeks):
            for n in range(contacts):
                cid = self.contact(f"Lead {week}-{n}")
                self.interaction(cid, ago(start + 7 * week + n % 7))

    def build(self) -> Snapshot:
        return Snapshot(
            client=self.client,
            contacts=tuple(self.contacts),
            interactions=tuple(self.interactions),
            introductions=tuple(self.introductions),
            follow_ups=tuple(self.follow_ups),
            applications=tuple(self.applications),
            meetings=tuple(self.meetings),
            feedback=tuple(self.feedback),
            dispositions=tuple(self.dispositions),
        )


def run(
    code: str,
    builder: SnapshotBuilder,
    *,
    as_of: date = AS_OF,
    **overrides: Any,
) -> list[Finding]:
    """One rule on the builder's snapshot, thresholds at their defaults unless overridden."""
    return run_rule(
        code=code,
        snapshot=builder.build(),
        as_of=as_of,
        thresholds=resolve_thresholds(practice=overrides),
    )


def healthy() -> SnapshotBuilder:
    """A search doing everything right: no rule should fire on it as of AS_OF."""
    b = SnapshotBuilder()
    b.reach(16)
    mentor = b.contact("Mira Mentor", company="Northwind", first_met_on=ago(200))
    peer = b.contact("Pat Peer", company="Contoso", first_met_on=ago(90))
    for day in (20, 13, 6):
        b.conversation(mentor, ago(day))
    b.conversation(peer, ago(12))
    b.conversation(peer, ago(4))
    b.ask(mentor, ago(3))
    host = b.contact("Hana Host", company="Fabrikam", first_met_on=ago(60))
    b.meeting(host, ago(5), thanked=ago(4))
    for company in ("Acme", "Globex", "Initech"):
        b.application(
            company,
            source=ApplicationSource.DIRECT,
            status=ApplicationStatus.APPLIED,
            applied_on=ago(10),
            last_client_action_on=ago(10),
            last_employer_contact_on=ago(3),
        )
    return b
