"""Writes one client's search as it would have happened, dated relative to an "as of" day.

Demo data skips the services on purpose: they stamp the timeline with the time of the call, while
a demo history needs each event at the moment it happened. The builder writes the same records
and one `ActivityEvent` per record, at that record's time.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from accounts.models import User
from coaching.choices import (
    ApplicationSource,
    ApplicationStatus,
    Channel,
    ChecklistState,
    Direction,
    FitRating,
    HowMet,
    InteractionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
    PresentationItem,
    Willingness,
)
from coaching.models import (
    ActivityEvent,
    Application,
    Client,
    Contact,
    Feedback,
    FollowUp,
    Interaction,
    Introduction,
    Meeting,
    PresentationCheck,
)
from coaching.normalize import company_key
from coaching.timezones import zone

FIRST = ("Ana", "Ben", "Chloe", "Dev", "Elena", "Femi", "Grace", "Hiro", "Ines", "Jamal", "Kate",
         "Luis", "Maya", "Nikhil", "Olga", "Priya", "Quentin", "Rosa", "Sam", "Tariq", "Uma",
         "Victor", "Wen", "Ximena", "Yusuf", "Zoe")  # fmt: skip
LAST = ("Adams", "Bauer", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Haddad", "Ito", "Jones",
        "Kowalski", "Lopez", "Moreau", "Nguyen", "Okafor", "Patel", "Quinn", "Rossi", "Silva",
        "Tanaka", "Usman", "Varga", "Weber", "Yilmaz", "Zhang")  # fmt: skip
COMPANIES = ("Acme Analytics", "Brightline Health", "Cobalt Robotics", "Dovetail Bank",
             "Evergreen Energy", "Foxglove Media", "Granite Logistics", "Harbor Insurance",
             "Ironwood Software", "Juniper Retail", "Keystone Labs", "Lumen Telecom",
             "Meridian Foods", "Northwind Traders", "Orchid Biotech", "Pinecone Games",
             "Quarry Capital", "Riverbend Hospital", "Summit Aerospace",
             "Tidewater Shipping")  # fmt: skip
TITLES = ("Engineering Manager", "Director of Data", "Product Manager", "Recruiter",
          "Senior Analyst", "VP Operations", "Head of Talent", "Staff Engineer", "CTO",
          "Program Manager")  # fmt: skip


class SearchBuilder:
    """Records for one client, `days_ago` counted back from the as-of day in the client's zone."""

    def __init__(self, *, client: Client, as_of: date, rng: random.Random) -> None:
        self.client = client
        self.as_of = as_of
        self.rng = rng
        self.tz = zone(client.time_zone)
        self.client_user: User = client.user
        self.coach: User = client.coach
        self._interactions: list[Interaction] = []
        self._events: list[ActivityEvent] = []
        self._names: set[str] = set()

    # --- time ---------------------------------------------------------------------------
    def at(self, days_ago: float, hour: float = 10.0) -> datetime:
        """Local `hour` on the day `days_ago` before as-of (fractions of a day move the hour)."""
        whole = int(days_ago)
        local_day = self.as_of - timedelta(days=whole)
        local = datetime.combine(local_day, time(0), tzinfo=self.tz) + timedelta(
            hours=hour - (days_ago - whole) * 24
        )
        return local.astimezone(UTC)

    def day(self, days_ago: int) -> date:
        return self.as_of - timedelta(days=days_ago)

    def _maybe_day(self, days_ago: int | None) -> date | None:
        return None if days_ago is None else self.day(days_ago)

    def _event(
        self, verb: str, subject: Any, at: datetime, actor: User | None = None, **changes: Any
    ) -> None:
        self._events.append(
            ActivityEvent(
                client=self.client,
                actor=actor or self.client_user,
                verb=verb,
                subject_type=subject._meta.model_name,
                subject_id=subject.pk,
                at=at,
                changes={k: str(v) for k, v in changes.items()},
            )
        )

    # --- records ------------------------------------------------------------------------
    def profile(
        self,
        *,
        families: tuple[str, ...] = ("data", "analytics"),
        verdict: str = "ok",
        checklist: dict[str, str] | None = None,
        goal: int = 15,
    ) -> None:
        roles = [{"role": f"{f.title()} lead", "family": f} for f in families]
        self.client.target_roles = roles
        self.client.weekly_outreach_goal = goal
        self.client.leaving_story_verdict = verdict
        if verdict != "missing":
            self.client.leaving_story = "My team was folded into a larger unit after a merger."
        self.client.save()
        states = dict.fromkeys(PresentationItem.values, ChecklistState.OK) | (checklist or {})
        for item, state in states.items():
            PresentationCheck.objects.update_or_create(
                client=self.client,
                item=item,
                defaults={
                    "state": state,
                    "reviewed_at": None if state == ChecklistState.UNREVIEWED else self.at(30),
                    "note": "Typos in the summary section." if state == "needs_work" else "",
                },
            )
        started = (self.as_of - self.client.search_started_on).days
        self._event("client.created", self.client, self.at(started, 9), self.coach)

    def contact(
        self,
        *,
        how_met: str = HowMet.COLLEAGUE,
        met_days_ago: int = 900,
        company: str | None = None,
        **fields: Any,
    ) -> Contact:
        name = fields.pop("name", None) or self._unique_name()
        company = company if company is not None else self.rng.choice(COMPANIES)
        slug = name.lower().replace(" ", "-")
        contact = Contact.objects.create(
            client=self.client,
            name=name,
            company=company,
            company_key=company_key(company),
            title=fields.pop("title", self.rng.choice(TITLES)),
            email=f"{slug}@{company_key(company).replace(' ', '')}.example.com",
            linkedin_url=f"https://www.linkedin.com/in/{slug}",
            how_met=how_met,
            first_met_on=self.day(met_days_ago),
            willingness=fields.pop("willingness", Willingness.WILLING),
            **fields,
        )
        self._event("contact.created", contact, self.at(min(met_days_ago, 60)), how_met=how_met)
        return contact

    def _unique_name(self) -> str:
        while True:
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}"
            if name not in self._names:
                self._names.add(name)
                return name

    def touch(
        self,
        contact: Contact,
        days_ago: float,
        *,
        kind: str = InteractionKind.OUTREACH,
        channel: str = Channel.EMAIL,
        direction: str = Direction.OUTBOUND,
        replied_after: float | None = None,
        hour: float = 10.0,
    ) -> None:
        occurred = self.at(days_ago, hour)
        replied = (
            occurred + timedelta(days=replied_after)
            if replied_after is not None and direction == Direction.OUTBOUND
            else None
        )
        self._interactions.append(
            Interaction(
                client=self.client,
                contact=contact,
                occurred_at=occurred,
                channel=channel,
                direction=direction,
                kind=kind,
                replied_at=replied,
            )
        )

    def conversation(
        self, contact: Contact, days_ago: float, channel: str = Channel.COFFEE
    ) -> None:
        self.touch(contact, days_ago, kind=InteractionKind.CONVERSATION, channel=channel, hour=12)

    def introduction(
        self,
        introducer: Contact,
        target: Contact,
        *,
        requested: float | None = None,
        made: float | None = None,
        contacted: float | None = None,
        thanked: float | None = None,
        outcome: float | None = None,
        hiring_authority: float | None = None,
        ended: float | None = None,
        status: str = IntroductionStatus.OPEN,
        abandon_reason: str = "",
        application: Application | None = None,
        **fields: Any,
    ) -> Introduction:
        """Dated steps in days ago; the messages among them are recorded as interactions too."""
        when = {
            name: self.at(days) if days is not None else None
            for name, days in (
                ("requested_at", requested),
                ("made_at", made),
                ("first_contact_at", contacted),
                ("thanked_at", thanked),
                ("outcome_reported_at", outcome),
                ("reached_hiring_authority_at", hiring_authority),
                ("ended_at", ended),
            )
        }
        intro = Introduction.objects.create(
            client=self.client,
            introducer=introducer,
            target=target,
            status=status,
            abandon_reason=abandon_reason,
            application=application,
            **when,
            **fields,
        )
        for days, to, kind in (
            (requested, introducer, InteractionKind.INTRODUCTION_REQUEST),
            (contacted, target, InteractionKind.OUTREACH),
            (thanked, introducer, InteractionKind.THANK_YOU),
            (outcome, introducer, InteractionKind.OUTCOME_REPORT),
        ):
            if days is not None:
                self.touch(to, days, kind=kind, replied_after=0.3)
        for step, at in when.items():
            if at is not None:
                self._event(f"introduction.{step.removesuffix('_at')}", intro, at)
        return intro

    def meeting(
        self,
        contact: Contact,
        days_ago: float,
        *,
        purpose: str = MeetingPurpose.NETWORKING,
        status: str = MeetingStatus.HELD,
        prepared: float | None = 1,
        thanked: float | None = 0.5,
        introduction: Introduction | None = None,
        application: Application | None = None,
    ) -> Meeting:
        """`prepared` and `thanked` are days before and after the meeting (None: never)."""
        scheduled = self.at(days_ago, 14)
        meeting = Meeting.objects.create(
            client=self.client,
            contact=contact,
            scheduled_for=scheduled,
            purpose=purpose,
            status=status,
            introduction=introduction,
            application=application,
            prepared_at=scheduled - timedelta(days=prepared) if prepared is not None else None,
            prep_company_research="Read the annual report and recent news." if prepared else "",
            prep_questions="How is the team organised? What is hard right now?" if prepared else "",
            prep_goal="Learn who owns hiring for the data platform." if prepared else "",
            cancelled_at=scheduled - timedelta(days=1)
            if status == MeetingStatus.CANCELLED
            else None,
            thanked_at=scheduled + timedelta(days=thanked)
            if thanked is not None and status == MeetingStatus.HELD
            else None,
        )
        if meeting.thanked_at is not None:
            self.touch(contact, days_ago - thanked, kind=InteractionKind.THANK_YOU, hour=14,  # type: ignore[operator]
                       replied_after=0.2)  # fmt: skip
        self._event("meeting.scheduled", meeting, scheduled - timedelta(days=3))
        if status != MeetingStatus.SCHEDULED:
            self._event(f"meeting.{status}", meeting, min(scheduled, self.at(0, 18)))
        return meeting

    def application(
        self,
        company: str,
        *,
        applied: int | None = 10,
        source: str = ApplicationSource.DIRECT,
        status: str = ApplicationStatus.APPLIED,
        fit: str = FitRating.GOOD,
        family: str = "data",
        posting_seen: int | None = None,
        first_outreach: int | None = None,
        employer_contact: int | None = None,
        client_action: int | None = None,
    ) -> Application:
        application = Application.objects.create(
            client=self.client,
            company=company,
            company_key=company_key(company),
            role=f"{family.title()} lead",
            role_family=family,
            source=source,
            status=status,
            fit_rating=fit,
            applied_on=self._maybe_day(applied),
            posting_seen_on=self._maybe_day(posting_seen),
            first_outreach_on=self._maybe_day(first_outreach),
            last_employer_contact_on=self._maybe_day(employer_contact),
            last_client_action_on=self._maybe_day(
                client_action if client_action is not None else applied
            ),
        )
        self._event("application.created", application, self.at(applied or 0), status=status)
        return application

    def follow_up(self, contact: Contact, due_days_ago: int, *, done: float | None = None) -> None:
        """A follow-up due `due_days_ago` (negative: in the future), done `done` days ago."""
        follow_up = FollowUp.objects.create(
            client=self.client,
            contact=contact,
            due_on=self.day(due_days_ago),
            channel=Channel.EMAIL,
            done_at=self.at(done) if done is not None else None,
        )
        self._event("follow_up.scheduled", follow_up, self.at(max(due_days_ago, 0) + 5))
        if done is not None:
            self.touch(contact, done, kind=InteractionKind.FOLLOW_UP, replied_after=1)
            self._event("follow_up.done", follow_up, self.at(done))

    def feedback(
        self, *, source: str, about: str, days_ago: int, note: str, contact: Contact | None = None
    ) -> None:
        feedback = Feedback.objects.create(
            client=self.client,
            source=source,
            about=about,
            received_on=self.day(days_ago),
            note=note,
            contact=contact,
            recorded_by=self.coach,
        )
        self._event("feedback.recorded", feedback, self.at(days_ago), self.coach, about=about)

    def finish(self) -> None:
        """Write the buffered interactions and the timeline, oldest first."""
        Interaction.objects.bulk_create(self._interactions, batch_size=2000)
        for interaction in self._interactions:
            self._event(
                "interaction.recorded", interaction, interaction.occurred_at, kind=interaction.kind
            )
        self._events.sort(key=lambda e: e.at)
        ActivityEvent.objects.bulk_create(self._events, batch_size=2000)
        self._interactions, self._events = [], []
