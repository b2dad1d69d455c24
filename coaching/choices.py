"""The coaching vocabulary: every enumerated value a record can hold.

Shared by the models, the services that validate writes, the diagnostics snapshot and the API,
so a value means the same thing everywhere. Values are stored in the database and exposed through
the API: treat them as a public contract, like the failure-reason codes.
"""

from coaching.vocabulary import TextChoices


class ClientStatus(TextChoices):
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    LANDED = "landed", "Landed"


class Verdict(TextChoices):
    """The coach's verdict on the client's reason-for-leaving story."""

    OK = "ok", "Convincing"
    MISSING = "missing", "Missing"
    UNCONVINCING = "unconvincing", "Unconvincing"


class ChecklistState(TextChoices):
    OK = "ok", "OK"
    NEEDS_WORK = "needs_work", "Needs work"
    UNREVIEWED = "unreviewed", "Not reviewed"
    NOT_APPLICABLE = "not_applicable", "Not applicable"
    """The client has no such item (e.g. no public profiles besides LinkedIn): nothing to fix
    and nothing for the coach to review."""


class PresentationItem(TextChoices):
    RESUME = "resume", "Resume"
    LINKEDIN = "linkedin", "LinkedIn profile"
    OTHER_PROFILES = "other_profiles", "Other public profiles"


class HowMet(TextChoices):
    COLLEAGUE = "colleague", "Colleague"
    EVENT = "event", "Met at an event"
    FRIEND = "friend", "Friend"
    ALUMNI = "alumni", "Alumni"
    INTRODUCED = "introduced", "Introduced"
    LINKEDIN_ONLY = "linkedin_only", "LinkedIn connection only"
    OTHER = "other", "Other"


class Willingness(TextChoices):
    UNKNOWN = "unknown", "Unknown"
    WILLING = "willing", "Willing to help"
    UNWILLING = "unwilling", "Unwilling or not reciprocating"


class Channel(TextChoices):
    EMAIL = "email", "Email"
    PHONE = "phone", "Phone"
    LINKEDIN = "linkedin", "LinkedIn"
    MEETING = "meeting", "Meeting"
    COFFEE = "coffee", "Coffee"
    EVENT = "event", "Event"
    VIDEO = "video", "Video call"


# Channels on which an exchange is a real two-way conversation when it took place.
CONVERSATION_CHANNELS = frozenset(
    {Channel.PHONE, Channel.MEETING, Channel.COFFEE, Channel.VIDEO, Channel.EVENT}
)


class Direction(TextChoices):
    OUTBOUND = "outbound", "Client to contact"
    INBOUND = "inbound", "Contact to client"


class InteractionKind(TextChoices):
    OUTREACH = "outreach", "Outreach"
    CONVERSATION = "conversation", "Conversation"
    FOLLOW_UP = "follow_up", "Follow-up"
    THANK_YOU = "thank_you", "Thank-you"
    OUTCOME_REPORT = "outcome_report", "Outcome report"
    REFERRAL_REQUEST = "referral_request", "Referral request"
    INTRODUCTION_REQUEST = "introduction_request", "Introduction request"


ASK_KINDS = frozenset({InteractionKind.REFERRAL_REQUEST, InteractionKind.INTRODUCTION_REQUEST})


class IntroductionStatus(TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    ABANDONED = "abandoned", "Abandoned"


class ApplicationSource(TextChoices):
    JOB_BOARD = "job_board", "Job board"
    REFERRAL = "referral", "Referral"
    DIRECT = "direct", "Direct"
    RECRUITER = "recruiter", "Recruiter"


class FitRating(TextChoices):
    GOOD = "good", "Good fit"
    FAIR = "fair", "Fair fit"
    POOR = "poor", "Poor fit"
    UNRATED = "unrated", "Not rated"


class ApplicationStatus(TextChoices):
    APPLIED = "applied", "Applied"
    INTERVIEWING = "interviewing", "Interviewing"
    OFFER = "offer", "Offer"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    SILENT = "silent", "No answer"
    WITHDRAWN = "withdrawn", "Withdrawn"


ACTIVE_APPLICATION_STATUSES = frozenset(
    {ApplicationStatus.APPLIED, ApplicationStatus.INTERVIEWING, ApplicationStatus.OFFER}
)


class MeetingPurpose(TextChoices):
    NETWORKING = "networking", "Networking"
    INFORMATIONAL = "informational", "Informational"
    INTERVIEW = "interview", "Interview"


class MeetingStatus(TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    NO_SHOW = "no_show", "Client did not show"
    CANCELLED = "cancelled", "Cancelled"


class FeedbackSource(TextChoices):
    COACH = "coach", "Coach"
    INTRODUCER = "introducer", "Introducer"


class FeedbackAbout(TextChoices):
    OVERSTATED_CREDENTIALS = "overstated_credentials", "Overstated credentials"
    MISREPRESENTED_RELATIONSHIP = "misrepresented_relationship", "Misrepresented relationship"
    NEGATIVE_PRIOR_IMPRESSION = "negative_prior_impression", "Negative prior impression"
    OTHER = "other", "Other"


class IntroductionKind(TextChoices):
    """A warm introduction (the target expects the client's call) or a resume forwarded inside."""

    INTRODUCTION = "introduction", "Introduction"
    RESUME_FORWARD = "resume_forward", "Resume forwarded"


class AbandonReason(TextChoices):
    """Why an introduction path was dropped; `referral_abandoned` needs to tell them apart."""

    TOOK_OTHER_OFFER = "took_other_offer", "Took another offer"
    OTHER_OPPORTUNITY = "other_opportunity", "Chose another interview or opportunity"
    LOST_INTEREST = "lost_interest", "Lost interest"
    TARGET_UNRESPONSIVE = "target_unresponsive", "The target never responded"
    OTHER = "other", "Other"


# Reasons where the client, not the other side, dropped the path for something else.
CLIENT_DROPPED_REASONS = frozenset(
    {AbandonReason.TOOK_OTHER_OFFER, AbandonReason.OTHER_OPPORTUNITY}
)


class ContactTier(TextChoices):
    """How much a contact's silence matters; a contact in two tiers takes the first."""

    KEY_INFLUENCER = "key_influencer", "Key influencer"
    HIRING_AUTHORITY = "hiring_authority", "Hiring authority"
    OTHER = "other", "Other"


class ImportKind(TextChoices):
    LINKEDIN_CONNECTIONS = "linkedin_connections", "LinkedIn Connections.csv"
    CONTACTS_CSV = "contacts_csv", "Contacts CSV"
    INTERACTIONS_CSV = "interactions_csv", "Interactions CSV"
    LINKEDIN_ARCHIVE = "linkedin_archive", "LinkedIn data archive"
    CALENDAR = "calendar", "Calendar file"


class ImportMode(TextChoices):
    """What an import does with rows it cannot use (docs/import.md)."""

    ALL_OR_NOTHING = "all_or_nothing", "All or nothing: import only if every row is right"
    GOOD_ROWS = "good_rows", "Import the good rows and list the rest"


class ImportStatus(TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
