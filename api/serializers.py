"""Shapes of the coaching resources. Output serializers read model fields (ids for relations, so
a list costs the same queries whatever its length); input serializers only parse types and
resolve ids within the caller's scope. Every rule lives in `coaching.services`."""

from collections.abc import Callable
from datetime import date, datetime, tzinfo
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from api.fields import AwareDateTimeField, MemberField, ScopedRelatedField
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
    InteractionKind,
    IntroductionKind,
    MeetingPurpose,
    MeetingStatus,
    PresentationItem,
    Verdict,
    Willingness,
)
from coaching.diagnostics.status import SearchStatus
from coaching.models import (
    Application,
    Client,
    Contact,
    Feedback,
    FollowUp,
    ImportJob,
    Interaction,
    Introduction,
    Meeting,
    PresentationCheck,
)

STAMPS = ("created_at", "updated_at")


class ReadOnlyModelSerializer(serializers.ModelSerializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields


# ---- clients ---------------------------------------------------------------------------------


class TargetRoleSerializer(serializers.Serializer):
    role = serializers.CharField(max_length=200)
    family = serializers.CharField(max_length=100, required=False, allow_blank=True)


@extend_schema_field(
    {
        "type": "object",
        "additionalProperties": {"oneOf": [{"type": "number"}, {"type": "string"}]},
        "example": {"weekly_goal": 10, "stalled_days": 21},
    }
)
class ThresholdOverridesField(serializers.DictField):
    pass


class PresentationCheckSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = PresentationCheck
        fields = ("item", "state", "note", "reviewed_at")


@extend_schema_field(TargetRoleSerializer(many=True))
class TargetRolesField(serializers.JSONField):
    """Stored already clean (`[{"role", "family"}]`): shown as is, no per-item serializer."""


def search_status_field() -> serializers.ChoiceField:
    return serializers.ChoiceField(
        choices=SearchStatus.choices,
        read_only=True,
        allow_null=True,
        default=None,
        help_text="What the diagnostics say about the search: stalled, slowing, active or "
        "landed, computed when read (the same as the coach dashboard's). Not the record's "
        "`status` (active / paused / landed, set by the coach). Null only for a client reading "
        "their own record before the coach shared the report.",
    )


def search_status_as_of_field() -> serializers.DateField:
    return serializers.DateField(
        read_only=True,
        allow_null=True,
        default=None,
        help_text="The day `search_status` is for: the client's today, in their time zone.",
    )


def _iso_datetime(zone: tzinfo) -> Callable[[datetime], str]:
    """DRF's ISO 8601 output of an aware time in `zone` ("Z" for UTC), computed directly."""

    def show(value: datetime) -> str:
        text = value.astimezone(zone).isoformat()
        return text[:-6] + "Z" if text.endswith("+00:00") else text

    return show


def _as_read(field: serializers.Field) -> Callable[[Any], Any] | None:
    """How a row value is shown by `field`: None where DRF would return the value unchanged
    (text, numbers, flags, choices and JSON read from PostgreSQL are already what JSON shows),
    a direct formatter for dates and times in ISO 8601, or the field's own `to_representation`
    for anything else."""
    kind = type(field)
    if kind in (serializers.CharField, serializers.EmailField, serializers.IntegerField,
                serializers.BooleanField, serializers.ChoiceField, TargetRolesField,
                ThresholdOverridesField):  # fmt: skip
        return None
    if isinstance(field, serializers.DateTimeField) and kind is serializers.DateTimeField:
        output = getattr(field, "format", api_settings.DATETIME_FORMAT)
        zone = getattr(field, "timezone", None) or field.default_timezone()
        if output == ISO_8601 and zone is not None:
            return _iso_datetime(zone)
    date_output = getattr(field, "format", api_settings.DATE_FORMAT)
    if kind is serializers.DateField and date_output == ISO_8601:
        return date.isoformat
    return field.to_representation


class RowSerializer(serializers.Serializer):
    """Read-only output from plain rows (`QuerySet.values()`): the declared fields still define
    the format and the schema, but each row is mapped in one pass, without DRF's per-field
    attribute lookup, and values JSON shows as read are not passed through a field at all
    (tests/api/test_lists.py checks the output against the fields' own). The declared fields
    are read as declared; DRF's per-request copy of them is made only for a field that has to
    format a value itself."""

    def to_representation(self, row: Any) -> dict[str, Any]:
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self.__dict__["_plan"] = [
                (name, field.source or name, self._show(name, field))
                for name, field in self._declared_fields.items()
            ]
        return {
            name: value if (value := row[source]) is None or show is None else show(value)
            for name, source, show in plan
        }

    def _show(self, name: str, declared: serializers.Field) -> Callable[[Any], Any] | None:
        show = _as_read(declared)
        return self.fields[name].to_representation if show == declared.to_representation else show


class ClientListSerializer(RowSerializer):
    """A client as lists show it: profile, coach and status, read as plain rows (`VALUES`)
    rather than model instances — the list is the API's hottest path (tests/bench)."""

    VALUES = (
        "id", "user_id", "user__name", "user__email", "coach_id", "coach__name", "headline",
        "target_roles", "search_started_on", "status", "landed_on", "archived_at",
        "weekly_outreach_goal", "time_zone", "leaving_story", "leaving_story_verdict",
        "report_shared_with_client", "threshold_overrides", "created_at", "updated_at",
        "data_version", "settings_version",
    )  # fmt: skip
    """Read with `.values()`; `search_status` and its day are set on each row afterwards."""

    id = serializers.IntegerField(read_only=True)
    user = serializers.IntegerField(source="user_id", read_only=True)
    name = serializers.CharField(source="user__name", read_only=True)
    email = serializers.EmailField(source="user__email", read_only=True)
    coach = serializers.IntegerField(source="coach_id", read_only=True)
    coach_name = serializers.CharField(source="coach__name", read_only=True)
    headline = serializers.CharField(read_only=True)
    target_roles = TargetRolesField(read_only=True)
    search_started_on = serializers.DateField(read_only=True)
    status = serializers.ChoiceField(choices=ClientStatus.choices, read_only=True)
    landed_on = serializers.DateField(read_only=True, allow_null=True)
    archived_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the coach archived the search (null unless archived): see "
        "`POST /clients/{id}/archive/`.",
    )
    weekly_outreach_goal = serializers.IntegerField(read_only=True)
    time_zone = serializers.CharField(read_only=True)
    leaving_story = serializers.CharField(read_only=True)
    leaving_story_verdict = serializers.ChoiceField(choices=Verdict.choices, read_only=True)
    report_shared_with_client = serializers.BooleanField(read_only=True)
    threshold_overrides = ThresholdOverridesField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)
    search_status = search_status_field()
    search_status_as_of = search_status_as_of_field()


class ClientSerializer(ReadOnlyModelSerializer):
    """One client, with the coach's presentation checklist; the same keys as in lists, plus
    `presentation`."""

    name = serializers.CharField(source="user.name", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    coach_name = serializers.CharField(source="coach.name", read_only=True)
    target_roles = TargetRolesField(read_only=True)
    threshold_overrides = ThresholdOverridesField(read_only=True)
    presentation = PresentationCheckSerializer(many=True, read_only=True)
    search_status = search_status_field()
    search_status_as_of = search_status_as_of_field()

    class Meta:
        model = Client
        fields = (
            "id",
            "user",
            "name",
            "email",
            "coach",
            "coach_name",
            "headline",
            "target_roles",
            "search_started_on",
            "status",
            "landed_on",
            "archived_at",
            "weekly_outreach_goal",
            "time_zone",
            "leaving_story",
            "leaving_story_verdict",
            "report_shared_with_client",
            "threshold_overrides",
            "presentation",
            "search_status",
            "search_status_as_of",
            *STAMPS,
        )


class ClientProfileSerializer(serializers.Serializer):
    headline = serializers.CharField(required=False, allow_blank=True)
    target_roles = TargetRoleSerializer(many=True, required=False)
    search_started_on = serializers.DateField(required=False)
    weekly_outreach_goal = serializers.IntegerField(required=False)
    time_zone = serializers.CharField(required=False)


class ClientCreateSerializer(ClientProfileSerializer):
    user = MemberField(help_text="The client-role member whose search this is.")
    coach = MemberField(help_text="The coach (or owner) the client is assigned to.")
    search_started_on = serializers.DateField()


class ClientStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ClientStatus.choices)
    landed_on = serializers.DateField(required=False, allow_null=True)


class ClientReassignSerializer(serializers.Serializer):
    coach = MemberField()


class LeavingStorySerializer(serializers.Serializer):
    verdict = serializers.ChoiceField(choices=Verdict.choices)
    story = serializers.CharField(required=False, allow_blank=True)


class PresentationReviewSerializer(serializers.Serializer):
    item = serializers.ChoiceField(choices=PresentationItem.choices)
    state = serializers.ChoiceField(choices=ChecklistState.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReportSharingSerializer(serializers.Serializer):
    shared = serializers.BooleanField()


# ---- contacts --------------------------------------------------------------------------------


class ContactSerializer(ReadOnlyModelSerializer):
    tags = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Contact
        fields = (
            "id",
            "client",
            "name",
            "company",
            "title",
            "email",
            "linkedin_url",
            "is_hiring_authority",
            "is_key_influencer",
            "how_met",
            "first_met_on",
            "willingness",
            "tags",
            "notes",
            *STAMPS,
        )


class ContactFieldsSerializer(serializers.Serializer):
    name = serializers.CharField(required=False, allow_blank=True)
    company = serializers.CharField(required=False, allow_blank=True)
    title = serializers.CharField(required=False, allow_blank=True)
    email = serializers.CharField(required=False, allow_blank=True)
    linkedin_url = serializers.CharField(required=False, allow_blank=True)
    is_hiring_authority = serializers.BooleanField(required=False)
    is_key_influencer = serializers.BooleanField(required=False)
    how_met = serializers.ChoiceField(choices=HowMet.choices, required=False)
    first_met_on = serializers.DateField(required=False, allow_null=True)
    willingness = serializers.ChoiceField(choices=Willingness.choices, required=False)
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    notes = serializers.CharField(required=False, allow_blank=True)


class ContactCreateSerializer(ContactFieldsSerializer):
    client = ScopedRelatedField(model=Client)
    name = serializers.CharField()


# ---- interactions ----------------------------------------------------------------------------


class InteractionSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Interaction
        fields = (
            "id",
            "client",
            "contact",
            "occurred_at",
            "channel",
            "direction",
            "kind",
            "replied_at",
            "note",
            *STAMPS,
        )


class InteractionCreateSerializer(serializers.Serializer):
    contact = ScopedRelatedField(model=Contact, help_text="The contact; it decides the client.")
    occurred_at = AwareDateTimeField()
    channel = serializers.ChoiceField(choices=Channel.choices)
    direction = serializers.ChoiceField(choices=Direction.choices)
    kind = serializers.ChoiceField(choices=InteractionKind.choices)
    replied_at = AwareDateTimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    settles = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        allow_null=True,
        default=None,
        help_text="Which open items this message settles, when several could: "
        '"introduction:<id>" (the first contact with its target, a thank-you or the outcome to '
        'its introducer, by `kind`) or "meeting:<id>" (a thank-you for it); [] for none. Left '
        "out: the one open item that fits is settled, and none when several fit.",
    )


class RepliedSerializer(serializers.Serializer):
    replied_at = AwareDateTimeField()


# ---- introductions ---------------------------------------------------------------------------


class IntroductionSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Introduction
        fields = (
            "id",
            "client",
            "kind",
            "introducer",
            "target",
            "application",
            "requested_at",
            "made_at",
            "first_contact_at",
            "thanked_at",
            "outcome_reported_at",
            "reached_hiring_authority_at",
            "status",
            "ended_at",
            "abandon_reason",
            "note",
            *STAMPS,
        )


class IntroductionCreateSerializer(serializers.Serializer):
    introducer = ScopedRelatedField(model=Contact, help_text="Who introduces; decides the client.")
    target = ScopedRelatedField(model=Contact)
    kind = serializers.ChoiceField(
        choices=IntroductionKind.choices, default=IntroductionKind.INTRODUCTION
    )
    application = ScopedRelatedField(model=Application, required=False, allow_null=True)
    requested_at = AwareDateTimeField(required=False, allow_null=True)
    made_at = AwareDateTimeField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class StepSerializer(serializers.Serializer):
    at = AwareDateTimeField(help_text="When it happened.")


class MessageStepSerializer(StepSerializer):
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.EMAIL)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class CloseSerializer(StepSerializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class AbandonSerializer(CloseSerializer):
    reason = serializers.ChoiceField(choices=AbandonReason.choices)


# ---- follow-ups ------------------------------------------------------------------------------


class FollowUpSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = FollowUp
        fields = (
            "id",
            "client",
            "contact",
            "due_on",
            "channel",
            "done_at",
            "interaction",
            "note",
            *STAMPS,
        )


class FollowUpCreateSerializer(serializers.Serializer):
    contact = ScopedRelatedField(model=Contact, help_text="The contact; it decides the client.")
    due_on = serializers.DateField(help_text="A day in the client's time zone.")
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.EMAIL)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class FollowUpRescheduleSerializer(serializers.Serializer):
    due_on = serializers.DateField(help_text="The new day, in the client's time zone.")
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="Replaces the note when given."
    )


# ---- applications ----------------------------------------------------------------------------


class ApplicationSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Application
        fields = (
            "id",
            "client",
            "company",
            "role",
            "role_family",
            "source",
            "posting_seen_on",
            "posting_url",
            "first_outreach_on",
            "fit_rating",
            "status",
            "applied_on",
            "last_employer_contact_on",
            "last_client_action_on",
            "note",
            *STAMPS,
        )


class ApplicationFieldsSerializer(serializers.Serializer):
    company = serializers.CharField(required=False, allow_blank=True)
    role = serializers.CharField(required=False, allow_blank=True)
    role_family = serializers.CharField(required=False, allow_blank=True)
    source = serializers.ChoiceField(  # type: ignore[assignment]
        choices=ApplicationSource.choices, required=False
    )
    posting_seen_on = serializers.DateField(required=False, allow_null=True)
    posting_url = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="The posting's web address (http or https), at most 500 characters.",
    )
    first_outreach_on = serializers.DateField(required=False, allow_null=True)
    fit_rating = serializers.ChoiceField(choices=FitRating.choices, required=False)
    status = serializers.ChoiceField(choices=ApplicationStatus.choices, required=False)
    applied_on = serializers.DateField(required=False, allow_null=True)
    last_employer_contact_on = serializers.DateField(required=False, allow_null=True)
    last_client_action_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True)


class ApplicationCreateSerializer(ApplicationFieldsSerializer):
    client = ScopedRelatedField(model=Client)
    company = serializers.CharField()
    role = serializers.CharField()
    source = serializers.ChoiceField(choices=ApplicationSource.choices)
    last_employer_contact_on = None  # type: ignore[assignment]
    last_client_action_on = None  # type: ignore[assignment]


# ---- meetings --------------------------------------------------------------------------------


class MeetingSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Meeting
        fields = (
            "id",
            "client",
            "contact",
            "introduction",
            "application",
            "scheduled_for",
            "purpose",
            "status",
            "prepared_at",
            "prep_company_research",
            "prep_questions",
            "prep_goal",
            "cancelled_at",
            "thanked_at",
            "note",
            *STAMPS,
        )


class MeetingCreateSerializer(serializers.Serializer):
    contact = ScopedRelatedField(
        model=Contact, help_text="Who the client meets; decides the client."
    )
    scheduled_for = AwareDateTimeField()
    purpose = serializers.ChoiceField(choices=MeetingPurpose.choices)
    introduction = ScopedRelatedField(model=Introduction, required=False, allow_null=True)
    application = ScopedRelatedField(model=Application, required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class PreparationSerializer(serializers.Serializer):
    company_research = serializers.CharField(required=False, allow_blank=True, default="")
    questions = serializers.CharField(required=False, allow_blank=True, default="")
    goal = serializers.CharField(required=False, allow_blank=True, default="")
    at = AwareDateTimeField(required=False, allow_null=True, help_text="Default: now.")


MEETING_OUTCOMES = [c for c in MeetingStatus.choices if c[0] != MeetingStatus.SCHEDULED]


class MeetingOutcomeSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MEETING_OUTCOMES)
    at = AwareDateTimeField(
        required=False, allow_null=True, help_text="For a cancellation: when it was called off."
    )


# ---- feedback --------------------------------------------------------------------------------


class FeedbackSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = Feedback
        fields = (
            "id",
            "client",
            "source",
            "contact",
            "about",
            "note",
            "received_on",
            "recorded_by",
            *STAMPS,
        )


class FeedbackCreateSerializer(serializers.Serializer):
    client = ScopedRelatedField(model=Client)
    source = serializers.ChoiceField(choices=FeedbackSource.choices)  # type: ignore[assignment]
    about = serializers.ChoiceField(choices=FeedbackAbout.choices)
    received_on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="")
    contact = ScopedRelatedField(model=Contact, required=False, allow_null=True)


# ---- imports ---------------------------------------------------------------------------------


class ImportRowErrorSerializer(serializers.Serializer):
    line = serializers.IntegerField(help_text="Line in the file (0: the file as a whole).")
    field = serializers.CharField()
    message = serializers.CharField()


class ImportSerializer(ReadOnlyModelSerializer):
    progress = serializers.FloatField(read_only=True, help_text="0 to 1.")
    errors = ImportRowErrorSerializer(many=True, read_only=True)  # type: ignore[assignment]
    dropped = ImportRowErrorSerializer(
        many=True,
        read_only=True,
        help_text="mode good_rows: values left out of rows that were imported without them.",
    )
    summary = serializers.DictField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = ImportJob
        fields = (
            "id",
            "client",
            "kind",
            "mode",
            "status",
            "filename",
            "encoding",
            "total_rows",
            "processed_rows",
            "progress",
            "errors",
            "dropped",
            "summary",
            "created_by",
            "started_at",
            "finished_at",
            *STAMPS,
        )


class ImportCreateSerializer(serializers.Serializer):
    client = ScopedRelatedField(model=Client)
    kind = serializers.ChoiceField(choices=ImportKind.choices)
    file = serializers.FileField(help_text="The CSV file (see docs/import.md for the formats).")
    mode = serializers.ChoiceField(
        choices=ImportMode.choices,
        default=ImportMode.ALL_OR_NOTHING,
        help_text="all_or_nothing: any bad row refuses the file; good_rows: the good rows are "
        "imported and the others listed in `errors` (values left out in `dropped`).",
    )
