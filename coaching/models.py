"""What a coach tracks for each client's job search.

Models hold data, constraints and small derived properties only: every write goes through
`coaching.services`, every read that needs scope through `coaching.selectors`. Times are stored
in UTC; dates that a person names ("due on", "applied on") are calendar dates in the client's zone.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from coaching.choices import (
    AbandonReason,
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
    ImportKind,
    ImportMode,
    ImportStatus,
    InteractionKind,
    IntroductionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
    PresentationItem,
    Verdict,
    Willingness,
)

DEFAULT_WEEKLY_OUTREACH_GOAL = 15


def _in(field: str, choices: type[models.TextChoices]) -> Q:
    return Q(**{f"{field}__in": choices.values})


def _enum_check(
    model: str, field: str, choices: type[models.TextChoices]
) -> models.CheckConstraint:
    return models.CheckConstraint(condition=_in(field, choices), name=f"{model}_{field}_valid")


def _not_before(model: str, later: str, earlier: str) -> models.CheckConstraint:
    """`later` is empty or not before `earlier`; an empty `earlier` allows only an empty `later`."""
    return models.CheckConstraint(
        condition=Q(**{f"{later}__isnull": True})
        | Q(**{f"{earlier}__isnull": False, f"{later}__gte": F(earlier)}),
        name=f"{model}_{later}_not_before_{earlier}",
    )


class TimeStampedModel(models.Model):
    """`updated_at` is indexed because the API syncs incrementally with `updated_since`."""

    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True


class Client(TimeStampedModel):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="client_profile"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coached_clients"
    )
    headline = models.CharField(max_length=200, blank=True)
    # [{"role": "Data engineer", "family": "data"}, ...]; the families drive `poor_fit_targeting`.
    target_roles = models.JSONField(default=list, blank=True)
    search_started_on = models.DateField()
    status = models.CharField(max_length=16, choices=ClientStatus, default=ClientStatus.ACTIVE)
    landed_on = models.DateField(null=True, blank=True)
    weekly_outreach_goal = models.PositiveSmallIntegerField(default=DEFAULT_WEEKLY_OUTREACH_GOAL)
    time_zone = models.CharField(max_length=64, default="UTC")
    leaving_story = models.TextField(blank=True)
    leaving_story_verdict = models.CharField(
        max_length=16, choices=Verdict, default=Verdict.MISSING
    )
    report_shared_with_client = models.BooleanField(default=False)
    # Per-client overrides of the diagnostics thresholds; the diagnostics engine validates keys.
    threshold_overrides = models.JSONField(default=dict, blank=True)
    # Set when the coach or owner archives the search (over or abandoned; never active while
    # archived): off the working lists, the nudges and the nightly diagnosis, read-only for the
    # client; cleared when restored (`coaching.services.archive`).
    archived_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            _enum_check("client", "status", ClientStatus),
            _enum_check("client", "leaving_story_verdict", Verdict),
            models.CheckConstraint(
                condition=Q(status=ClientStatus.LANDED, landed_on__isnull=False)
                | (~Q(status=ClientStatus.LANDED) & Q(landed_on__isnull=True)),
                name="client_landed_on_iff_landed",
            ),
            models.CheckConstraint(
                condition=Q(weekly_outreach_goal__gte=1), name="client_weekly_goal_positive"
            ),
        ]
        indexes = [models.Index(fields=["coach", "status"], name="client_coach_status")]

    def __str__(self) -> str:
        return f"Client {self.pk} ({self.user_id})"

    @property
    def role_families(self) -> set[str]:
        return {str(t.get("family", "")).strip() for t in self.target_roles if t.get("family")}


class PresentationCheck(TimeStampedModel):
    """One line of the coach's presentation checklist (resume, LinkedIn, other profiles)."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="presentation")
    item = models.CharField(max_length=32, choices=PresentationItem)
    state = models.CharField(
        max_length=16, choices=ChecklistState, default=ChecklistState.UNREVIEWED
    )
    note = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "item"], name="presentation_one_per_item"),
            _enum_check("presentation", "item", PresentationItem),
            _enum_check("presentation", "state", ChecklistState),
        ]

    def __str__(self) -> str:
        return f"{self.item}: {self.state}"


class Contact(TimeStampedModel):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200)
    company = models.CharField(max_length=200, blank=True)
    # casefolded, whitespace-collapsed `company`: "who do I know at X?" matches on it.
    company_key = models.CharField(max_length=200, blank=True, editable=False)
    title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)  # stored lower-cased: the duplicate key
    linkedin_url = models.URLField(max_length=300, blank=True)  # stored canonical
    is_hiring_authority = models.BooleanField(default=False)
    is_key_influencer = models.BooleanField(default=False)
    how_met = models.CharField(max_length=16, choices=HowMet, default=HowMet.OTHER)
    first_met_on = models.DateField(null=True, blank=True)
    willingness = models.CharField(max_length=16, choices=Willingness, default=Willingness.UNKNOWN)
    tags = models.JSONField(default=list, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        constraints = [
            _enum_check("contact", "how_met", HowMet),
            _enum_check("contact", "willingness", Willingness),
            models.UniqueConstraint(
                fields=["client", "email"], condition=~Q(email=""), name="contact_unique_email"
            ),
            models.UniqueConstraint(
                fields=["client", "linkedin_url"],
                condition=~Q(linkedin_url=""),
                name="contact_unique_linkedin",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "company_key"], name="contact_client_company"),
            models.Index(fields=["client", "name"], name="contact_client_name"),
            # "who do I know at X?" ranks by trigram similarity (pg_trgm, coaching.search)
            GinIndex(
                fields=["company_key"], opclasses=["gin_trgm_ops"], name="contact_company_trgm"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Application(TimeStampedModel):
    """An opportunity: a posted job the client applied to, or a role an introduction aims at."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="applications")
    company = models.CharField(max_length=200)
    company_key = models.CharField(max_length=200, editable=False)
    role = models.CharField(max_length=200)
    role_family = models.CharField(max_length=100, blank=True)
    source = models.CharField(max_length=16, choices=ApplicationSource)
    posting_seen_on = models.DateField(null=True, blank=True)  # when the posting appeared
    posting_url = models.URLField(max_length=500, blank=True, default="", db_default="")
    first_outreach_on = models.DateField(null=True, blank=True)  # first outreach to the company
    fit_rating = models.CharField(max_length=16, choices=FitRating, default=FitRating.UNRATED)
    status = models.CharField(
        max_length=16, choices=ApplicationStatus, default=ApplicationStatus.APPLIED
    )
    applied_on = models.DateField(null=True, blank=True)
    last_employer_contact_on = models.DateField(null=True, blank=True)
    last_client_action_on = models.DateField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            _enum_check("application", "source", ApplicationSource),
            _enum_check("application", "fit_rating", FitRating),
            _enum_check("application", "status", ApplicationStatus),
        ]
        indexes = [
            models.Index(fields=["client", "status"], name="application_client_status"),
            models.Index(fields=["client", "company_key"], name="application_client_company"),
        ]

    def __str__(self) -> str:
        return f"{self.role} at {self.company}"


class Interaction(TimeStampedModel):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="interactions")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="interactions")
    occurred_at = models.DateTimeField()
    channel = models.CharField(max_length=16, choices=Channel)
    direction = models.CharField(max_length=16, choices=Direction)
    kind = models.CharField(max_length=24, choices=InteractionKind)
    # When the contact answered this outbound message; empty while unanswered.
    replied_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            _enum_check("interaction", "channel", Channel),
            _enum_check("interaction", "direction", Direction),
            _enum_check("interaction", "kind", InteractionKind),
            _not_before("interaction", "replied_at", "occurred_at"),
            models.CheckConstraint(
                condition=Q(replied_at__isnull=True) | Q(direction=Direction.OUTBOUND),
                name="interaction_reply_only_to_outbound",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "occurred_at"], name="interaction_client_time"),
            models.Index(fields=["contact", "occurred_at"], name="interaction_contact_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.direction} {self.occurred_at:%Y-%m-%d}"

    @property
    def replied(self) -> bool:
        return self.replied_at is not None


class Introduction(TimeStampedModel):
    """One step of the referral chain: introducer -> target, every step dated."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="introductions")
    kind = models.CharField(
        max_length=16, choices=IntroductionKind, default=IntroductionKind.INTRODUCTION
    )
    introducer = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="introductions_made"
    )
    target = models.ForeignKey(
        Contact, on_delete=models.PROTECT, related_name="introductions_received"
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="introductions",
    )
    requested_at = models.DateTimeField(null=True, blank=True)
    made_at = models.DateTimeField(null=True, blank=True)  # from here the target expects contact
    first_contact_at = models.DateTimeField(null=True, blank=True)
    thanked_at = models.DateTimeField(null=True, blank=True)
    outcome_reported_at = models.DateTimeField(null=True, blank=True)
    reached_hiring_authority_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=IntroductionStatus, default=IntroductionStatus.OPEN
    )
    ended_at = models.DateTimeField(null=True, blank=True)  # closed or abandoned
    abandon_reason = models.CharField(max_length=24, choices=AbandonReason, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            _enum_check("introduction", "kind", IntroductionKind),
            _enum_check("introduction", "status", IntroductionStatus),
            models.CheckConstraint(
                condition=Q(abandon_reason="") | _in("abandon_reason", AbandonReason),
                name="introduction_abandon_reason_valid",
            ),
            models.CheckConstraint(
                condition=~Q(introducer=F("target")), name="introduction_introducer_not_target"
            ),
            models.CheckConstraint(
                condition=Q(requested_at__isnull=False) | Q(made_at__isnull=False),
                name="introduction_requested_or_made",
            ),
            models.CheckConstraint(
                condition=Q(made_at__isnull=True)
                | Q(requested_at__isnull=True)
                | Q(made_at__gte=F("requested_at")),
                name="introduction_made_at_not_before_requested_at",
            ),
            _not_before("introduction", "first_contact_at", "made_at"),
            _not_before("introduction", "thanked_at", "made_at"),
            _not_before("introduction", "outcome_reported_at", "made_at"),
            _not_before("introduction", "reached_hiring_authority_at", "made_at"),
            models.CheckConstraint(
                condition=Q(status=IntroductionStatus.OPEN, ended_at__isnull=True)
                | (~Q(status=IntroductionStatus.OPEN) & Q(ended_at__isnull=False)),
                name="introduction_ended_at_iff_ended",
            ),
            models.CheckConstraint(
                condition=Q(status=IntroductionStatus.ABANDONED) & ~Q(abandon_reason="")
                | ~Q(status=IntroductionStatus.ABANDONED) & Q(abandon_reason=""),
                name="introduction_abandon_reason_iff_abandoned",
            ),
        ]
        indexes = [
            models.Index(fields=["client", "status", "made_at"], name="introduction_client_open"),
        ]

    def __str__(self) -> str:
        return f"Introduction {self.pk}: {self.introducer_id} -> {self.target_id}"


class Meeting(TimeStampedModel):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="meetings")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="meetings")
    introduction = models.ForeignKey(
        Introduction, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    scheduled_for = models.DateTimeField()
    purpose = models.CharField(max_length=16, choices=MeetingPurpose)
    status = models.CharField(max_length=16, choices=MeetingStatus, default=MeetingStatus.SCHEDULED)
    # Preparation recorded before the meeting (the constraint keeps `prepared_at` before it).
    prepared_at = models.DateTimeField(null=True, blank=True)
    prep_company_research = models.TextField(blank=True)
    prep_questions = models.TextField(blank=True)
    prep_goal = models.TextField(blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    thanked_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            _enum_check("meeting", "purpose", MeetingPurpose),
            _enum_check("meeting", "status", MeetingStatus),
            _not_before("meeting", "thanked_at", "scheduled_for"),
            models.CheckConstraint(
                condition=Q(prepared_at__isnull=True) | Q(prepared_at__lte=F("scheduled_for")),
                name="meeting_prepared_before_it",
            ),
            models.CheckConstraint(
                condition=Q(status=MeetingStatus.CANCELLED, cancelled_at__isnull=False)
                | (~Q(status=MeetingStatus.CANCELLED) & Q(cancelled_at__isnull=True)),
                name="meeting_cancelled_at_iff_cancelled",
            ),
            models.CheckConstraint(
                condition=Q(thanked_at__isnull=True) | Q(status=MeetingStatus.HELD),
                name="meeting_thanks_only_when_held",
            ),
        ]
        indexes = [models.Index(fields=["client", "scheduled_for"], name="meeting_client_time")]

    def __str__(self) -> str:
        return f"{self.purpose} meeting {self.scheduled_for:%Y-%m-%d}"

    @property
    def was_prepared(self) -> bool:
        return self.prepared_at is not None and bool(
            self.prep_company_research or self.prep_questions or self.prep_goal
        )


class FollowUp(TimeStampedModel):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="follow_ups")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="follow_ups")
    due_on = models.DateField()  # a calendar day in the client's time zone
    channel = models.CharField(max_length=16, choices=Channel)
    done_at = models.DateTimeField(null=True, blank=True)
    interaction = models.OneToOneField(
        Interaction,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="completes_follow_up",
    )
    note = models.TextField(blank=True)

    class Meta:
        constraints = [_enum_check("follow_up", "channel", Channel)]
        indexes = [
            models.Index(
                fields=["client", "due_on"],
                condition=Q(done_at__isnull=True),
                name="follow_up_client_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"Follow-up due {self.due_on}"


class Feedback(TimeStampedModel):
    """What the coach or an introducer said about how the client comes across."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="feedback")
    source = models.CharField(max_length=16, choices=FeedbackSource)
    # The introducer who gave it; required when the source is an introducer.
    contact = models.ForeignKey(
        Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="feedback_given"
    )
    about = models.CharField(max_length=32, choices=FeedbackAbout)
    note = models.TextField(blank=True)
    received_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "feedback"
        constraints = [
            _enum_check("feedback", "source", FeedbackSource),
            _enum_check("feedback", "about", FeedbackAbout),
        ]
        indexes = [models.Index(fields=["client", "received_on"], name="feedback_client_day")]

    def __str__(self) -> str:
        return f"{self.source} feedback: {self.about}"


class ActivityEvent(TimeStampedModel):
    """The client's timeline: one row per change, written by the service that made it."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    verb = models.CharField(max_length=64)  # "interaction.recorded", "introduction.made", ...
    subject_type = models.CharField(max_length=32)  # model name, e.g. "interaction"
    subject_id = models.BigIntegerField()
    at = models.DateTimeField(default=timezone.now)
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["client", "at"], name="activity_client_time"),
            models.Index(fields=["subject_type", "subject_id"], name="activity_subject"),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.subject_type}:{self.subject_id}"


class ImportJob(TimeStampedModel):
    """A CSV import into one client's search, processed in the background: all or nothing, or
    (`mode` good_rows) the good rows, with the rest listed."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="import_jobs")
    kind = models.CharField(max_length=24, choices=ImportKind)
    mode = models.CharField(max_length=16, choices=ImportMode, default=ImportMode.ALL_OR_NOTHING)
    status = models.CharField(max_length=16, choices=ImportStatus, default=ImportStatus.QUEUED)
    filename = models.CharField(max_length=255, blank=True)
    # The raw bytes as uploaded: the worker detects the encoding, so nothing is lost on upload.
    payload = models.BinaryField()
    encoding = models.CharField(max_length=16, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)  # [{"line", "field", "message"}]
    # good_rows only: values left out of rows that were imported without them (same shape).
    dropped = models.JSONField(default=list, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # {"created": n, "merged": n, ...}
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Runs started (a worker that died mid-run leaves `running` behind: the sweeper runs the job
    # again, up to coaching.services.imports.MAX_ATTEMPTS). `updated_at` is the run's heartbeat.
    attempts = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            _enum_check("import_job", "kind", ImportKind),
            _enum_check("import_job", "status", ImportStatus),
            _enum_check("import_job", "mode", ImportMode),
            models.CheckConstraint(
                condition=Q(processed_rows__lte=F("total_rows")),
                name="import_job_progress_bounded",
            ),
        ]
        indexes = [models.Index(fields=["client", "created_at"], name="import_job_client_time")]

    def __str__(self) -> str:
        return f"Import {self.pk} ({self.kind}, {self.status})"

    @property
    def progress(self) -> float:
        return self.processed_rows / self.total_rows if self.total_rows else 0.0
