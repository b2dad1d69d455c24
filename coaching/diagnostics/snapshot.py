"""A frozen picture of one client's search: everything the rules may look at, nothing else.

The ORM loader maps each model to one of these records field by field; the engine never touches
the database. Datetimes are timezone-aware (UTC from the database); dates are calendar days in the
client's time zone. Record ids are the database primary keys.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from coaching.choices import (
    ApplicationSource,
    ApplicationStatus,
    Channel,
    ChecklistState,
    ClientStatus,
    Direction,
    FeedbackAbout,
    FeedbackSource,
    FitRating,
    HowMet,
    InteractionKind,
    IntroductionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
    PresentationItem,
    Verdict,
    Willingness,
)
from coaching.diagnostics.findings import DispositionState

RecordId = int


@dataclass(frozen=True, slots=True)
class ChecklistEntry:
    """One line of the coach's presentation checklist (resume, LinkedIn, other profiles)."""

    item: PresentationItem
    state: ChecklistState
    reviewed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ClientFacts:
    id: RecordId
    time_zone: str
    search_started_on: date
    name: str = ""
    """How the coach's to-dos name the client ("Review Dana's LinkedIn profile"); may be empty."""
    status: ClientStatus = ClientStatus.ACTIVE
    landed_on: date | None = None
    weekly_goal: int | None = None
    """The client's own goal (``Client.weekly_outreach_goal``) when the coach set one; None
    leaves the practice's goal in force. A model default passed here reads as the client's."""
    target_role_families: tuple[str, ...] = ()
    """The ``family`` of each of ``Client.target_roles``."""
    leaving_story_verdict: Verdict = Verdict.MISSING
    """MISSING means the coach has not judged the story yet: a coach's to-do, not a finding."""
    presentation: tuple[ChecklistEntry, ...] = ()


@dataclass(frozen=True, slots=True)
class Contact:
    id: RecordId
    name: str
    company: str = ""
    is_hiring_authority: bool = False
    is_key_influencer: bool = False
    how_met: HowMet = HowMet.OTHER
    first_met_on: date | None = None
    willingness: Willingness = Willingness.UNKNOWN


@dataclass(frozen=True, slots=True)
class Interaction:
    """One message, call or conversation between the client and a contact."""

    id: RecordId
    contact_id: RecordId
    occurred_at: datetime
    channel: Channel
    direction: Direction
    kind: InteractionKind
    replied_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Introduction:
    """One step of the referral chain: the introducer connects the client to the target (or
    forwards the client's resume to them)."""

    id: RecordId
    introducer_id: RecordId
    target_id: RecordId
    kind: IntroductionKind = IntroductionKind.INTRODUCTION
    status: IntroductionStatus = IntroductionStatus.OPEN
    application_id: RecordId | None = None
    requested_at: datetime | None = None
    made_at: datetime | None = None
    first_contact_at: datetime | None = None
    """When the client first contacted the target after the introduction."""
    thanked_at: datetime | None = None
    """When the client thanked the introducer."""
    outcome_reported_at: datetime | None = None
    """When the client told the introducer how it went."""
    reached_hiring_authority_at: datetime | None = None
    ended_at: datetime | None = None
    """When it was closed or abandoned."""
    abandon_reason: str = ""
    """An ``AbandonReason`` value, or empty."""


@dataclass(frozen=True, slots=True)
class FollowUp:
    """A follow-up the client scheduled (a to-do), not the message itself."""

    id: RecordId
    contact_id: RecordId
    due_on: date
    done_at: datetime | None = None
    channel: Channel = Channel.EMAIL


@dataclass(frozen=True, slots=True)
class Application:
    """An opportunity: a posted job applied to, or a role an introduction aims at."""

    id: RecordId
    company: str
    role: str = ""
    role_family: str = ""
    source: ApplicationSource = ApplicationSource.DIRECT
    fit_rating: FitRating = FitRating.UNRATED
    status: ApplicationStatus = ApplicationStatus.APPLIED
    posting_seen_on: date | None = None
    first_outreach_on: date | None = None
    """First time the client reached anyone at the company."""
    applied_on: date | None = None
    last_employer_contact_on: date | None = None
    last_client_action_on: date | None = None
    """Last time the client did their part: applied, replied, interviewed, gave availability."""
    offer_on: date | None = None
    """Not a model field: the day of the offer when the activity log knows it."""


@dataclass(frozen=True, slots=True)
class Meeting:
    id: RecordId
    contact_id: RecordId
    scheduled_for: datetime
    purpose: MeetingPurpose
    status: MeetingStatus = MeetingStatus.SCHEDULED
    introduction_id: RecordId | None = None
    application_id: RecordId | None = None
    prepared_at: datetime | None = None
    prep_company_research: bool = False
    """True when the model's ``prep_company_research`` text is filled in; likewise below."""
    prep_questions: bool = False
    prep_goal: bool = False
    thanked_at: datetime | None = None
    """When the client thanked the person they met."""


@dataclass(frozen=True, slots=True)
class Feedback:
    id: RecordId
    source: FeedbackSource
    about: FeedbackAbout
    received_on: date
    note: str = ""
    contact_id: RecordId | None = None
    """The introducer who gave it, when the source is an introducer."""


@dataclass(frozen=True, slots=True)
class Disposition:
    """A coach's decision about one finding: it stays visible but stops counting.

    ``finding_key`` is :attr:`Finding.key`, stable across recomputations. The decision applies
    from ``decided_on`` until ``expires_on`` (inclusive), so an acknowledgement can lapse.
    """

    finding_key: str
    state: DispositionState
    decided_on: date
    note: str = ""
    expires_on: date | None = None

    @property
    def code(self) -> str:
        return self.finding_key.split(":", 1)[0]


@dataclass(frozen=True, slots=True)
class DataProblem:
    """One stored value the diagnosis could not use, on the record that holds it (see
    ``coaching.diagnostics.problems``)."""

    record: str
    """client, contact, interaction, introduction, follow_up, application, meeting, feedback or
    disposition: the record types evidence points at, plus dispositions."""
    id: RecordId | None
    field: str
    value: str
    message: str
    """What is wrong and what the diagnosis did about it, for a person."""


@dataclass(frozen=True, slots=True)
class Snapshot:
    client: ClientFacts
    contacts: tuple[Contact, ...] = ()
    interactions: tuple[Interaction, ...] = ()
    introductions: tuple[Introduction, ...] = ()
    follow_ups: tuple[FollowUp, ...] = ()
    applications: tuple[Application, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    feedback: tuple[Feedback, ...] = ()
    dispositions: tuple[Disposition, ...] = field(default=())
    problems: tuple[DataProblem, ...] | None = None
    """None until ``problems.screen`` has set aside what the engine cannot use; then the
    values it set aside (usually none)."""
