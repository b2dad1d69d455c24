"""Diagnostics over the API, on the insights layer (`coaching.insights`: reports, selectors,
services):
the catalog of failure reasons and default thresholds, a client's report and figures, the
practice report, threshold settings (practice and client) and the coach's finding decisions.

Reports are large, versioned documents (`report_version`); the schema names their top-level
parts, and docs/api.md points to their full description."""

from datetime import date
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import User
from api.viewsets import ApiView, Scope
from coaching.access import NotFound
from coaching.diagnostics import diagnosis_to_dict
from coaching.diagnostics.findings import Category, DispositionState, Fault, Severity
from coaching.insights import benchmarks, reports, selectors, services
from coaching.validation import DAY_RANGE, day_param

AS_OF = OpenApiParameter(
    name="as_of",
    type=OpenApiTypes.DATE,
    required=False,
    description="The report as of the end of this day (default: today in the practice's zone); "
    f"a date {DAY_RANGE}.",
)


def as_of(request: Request) -> date | None:
    """`?as_of=YYYY-MM-DD`, read by the same rule as the web pages' (`coaching.validation`)."""
    raw = request.query_params.get("as_of", "")
    if not raw.strip():
        return None
    try:
        return day_param(raw, name="as_of")
    except ValueError as exc:
        raise serializers.ValidationError({"as_of": [str(exc)]}) from None


def coaching_staff_only(actor: User) -> None:
    """Practice-wide diagnostics (the practice report, the practice's thresholds) are not in a
    client's scope: 404, as on the web pages, never a 403 that says they exist."""
    if not actor.is_coaching_staff:
        raise NotFound("No such endpoint. See /api/v1/docs/.")


def _object(description: str, **properties: Any) -> dict[str, Any]:
    return {"type": "object", "description": description, "properties": properties}


_ANY_OBJECT = {"type": "object", "additionalProperties": True}
_ARRAY_OF_OBJECTS = {"type": "array", "items": _ANY_OBJECT}
_THRESHOLD_VALUE = {"oneOf": [{"type": "number"}, {"type": "string"}]}
_IN_FORCE = {
    "type": "object",
    "description": "Every threshold: its value and where it came from.",
    "additionalProperties": {
        "type": "object",
        "properties": {
            "value": _THRESHOLD_VALUE,
            "source": {"type": "string", "enum": ["default", "practice", "client"]},
        },
    },
}
_IGNORED = {
    "type": "object",
    "description": "Stored overrides that no longer validate, left out with the reason.",
    "additionalProperties": {"type": "array", "items": {"type": "string"}},
}
CLIENT_REPORT = _object(
    "A client's diagnosis: status, ranked findings with evidence and advice, figures with "
    "their trend, thresholds in force.",
    report_version={"type": "string"},
    kind={"type": "string", "enum": ["client_report"]},
    as_of={"type": "string", "format": "date"},
    engine_version={"type": "string"},
    client=_ANY_OBJECT,
    status=_ANY_OBJECT,
    findings=_ARRAY_OF_OBJECTS,
    counts=_ANY_OBJECT,
    open_codes={"type": "array", "items": {"type": "string"}},
    figures=_ANY_OBJECT,
    thresholds=_object("Thresholds.", in_force=_IN_FORCE, ignored_overrides=_IGNORED),
    history=_ARRAY_OF_OBJECTS,
    data_problems={
        "type": "array",
        "description": "Stored values the diagnosis could not use (a date outside "
        f"{DAY_RANGE}, an unknown time zone) and left out; correct or remove each record.",
        "items": {
            "type": "object",
            "properties": {
                "record": {"type": "string"},
                "id": {"type": "integer", "nullable": True},
                "field": {"type": "string"},
                "value": {"type": "string"},
                "message": {"type": "string"},
            },
        },
    },
    coach_todos={
        "type": "array",
        "description": "Gaps in the coach's own inputs (a checklist item nobody reviewed, a "
        "reason for leaving nobody judged, target roles not recorded): the coach's to-dos, "
        "never findings and never counted.",
        "items": {
            "type": "object",
            "properties": {
                "kind": {
                    "type": "string",
                    "enum": ["review_presentation", "judge_leaving_story", "record_target_roles"],
                },
                "subject": {"type": "string"},
                "title": {"type": "string"},
                "why": {"type": "string"},
            },
        },
    },
    waiting={
        "type": "array",
        "description": "Rules that measure a rate or an absence and are not judged yet because "
        "the search is too young: what each waits for (a threshold of days of search).",
        "items": {
            "type": "object",
            "properties": {
                "code": {"type": "string"},
                "title": {"type": "string"},
                "threshold": {"type": "string"},
                "days_needed": {"type": "integer"},
                "days_so_far": {"type": "integer"},
                "ready_on": {"type": "string", "format": "date"},
                "sentence": {"type": "string"},
            },
        },
    },
    signals={
        "type": "array",
        "description": "What is working, next to the findings (never counted): "
        "`intros_acted_on_quickly`, `thanks_on_time`, `outreach_at_goal`, "
        "`follow_ups_on_time`, `growing_funnel`; each with its sentence and evidence.",
        "items": _ANY_OBJECT,
    },
)
FIGURES = _object(
    "Outreach volume against the goal, the referral funnel and follow-up hygiene.",
    as_of={"type": "string", "format": "date"},
    client_id={"type": "integer"},
    outreach=_ANY_OBJECT,
    funnel=_ANY_OBJECT,
    hygiene=_ANY_OBJECT,
)
PRACTICE_REPORT = _object(
    "Every client's status (each row with its cohort `benchmarks`), the most common reasons "
    "and their change, status changes since last week, the referral funnel, the clients behind "
    "each cohort count (`cohorts`) and the people several clients asked (`ask_fatigue`).",
    report_version={"type": "string"},
    kind={"type": "string", "enum": ["practice_report"]},
    as_of={"type": "string", "format": "date"},
    compared_with=_ANY_OBJECT,
    status_counts=_ANY_OBJECT,
    clients=_ARRAY_OF_OBJECTS,
    status_changes=_ARRAY_OF_OBJECTS,
    reasons=_ARRAY_OF_OBJECTS,
    funnel=_ANY_OBJECT,
    cohorts=_ANY_OBJECT,
    ask_fatigue=_ANY_OBJECT,
    clients_behind=_ANY_OBJECT,
)
BENCHMARKS = _object(
    "The client's key figures at their last complete week of search beside the practice's other "
    "clients at the same week: median and middle half (quartiles), or not enough clients to "
    "compare below `minimum_cohort`.",
    client_id={"type": "integer"},
    as_of={"type": "string", "format": "date"},
    week_of_search={"type": "integer", "description": "0 during the first week."},
    cohort_size={"type": "integer", "description": "Other clients whose search reached it."},
    minimum_cohort={"type": "integer"},
    enough_clients={"type": "boolean"},
    figures={
        "type": "array",
        "items": _object(
            "One figure: contacts_reached, conversations, introductions_made or "
            "follow_ups_on_time (a share from 0 to 1).",
            figure={"type": "string"},
            label={"type": "string"},
            value={"type": "number", "nullable": True},
            cohort={"type": "integer"},
            median={"type": "number", "nullable": True},
            lower_quartile={"type": "number", "nullable": True},
            upper_quartile={"type": "number", "nullable": True},
            position={
                "type": "string",
                "enum": ["below", "within", "above"],
                "nullable": True,
                "description": "Against the middle half; null when not compared.",
            },
            sentence={"type": "string"},
        ),
    },
)
PRACTICE_THRESHOLDS = _object(
    "The practice-wide layer of thresholds.",
    overrides={"type": "object", "additionalProperties": _THRESHOLD_VALUE},
    in_force=_IN_FORCE,
    ignored_overrides=_IGNORED,
)
CLIENT_THRESHOLDS = _object(
    "One client's thresholds over the practice's.",
    client_id={"type": "integer"},
    overrides={"type": "object", "additionalProperties": _THRESHOLD_VALUE},
    profile_weekly_goal={"type": "integer", "nullable": True},
    in_force=_IN_FORCE,
    ignored_overrides=_IGNORED,
)
THRESHOLD_CHANGES = {
    "type": "object",
    "description": "Threshold names to new values; null removes an override (back to the "
    "layer below). Names: GET /api/v1/diagnostics/thresholds/defaults/.",
    "additionalProperties": {"oneOf": [{"type": "number"}, {"type": "string"}], "nullable": True},
    "example": {"weekly_goal": 10, "stalled_days": None},
}


@extend_schema_serializer(component_name="ThresholdChanges")
class ThresholdChangesSerializer(serializers.Serializer):
    """The body is a flat object of changes; the service checks names and values."""

    def to_internal_value(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise serializers.ValidationError(
                {"non_field_errors": ['Expected an object such as {"weekly_goal": 10}.']}
            )
        return dict(data)


class SourceSerializer(serializers.Serializer):
    article_id = serializers.CharField()
    title = serializers.CharField()


class CatalogEntrySerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable failure code (a public contract).")
    title = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    fault = serializers.ChoiceField(
        choices=Fault.choices, help_text="Whose move it is: client, context or employer."
    )
    default_severity = serializers.ChoiceField(
        choices=Severity.choices, help_text="A finding may raise it."
    )
    subject = serializers.CharField(help_text="What one finding is about: client or a record.")
    explanation = serializers.CharField()
    advice = serializers.CharField()
    sources = SourceSerializer(many=True)


class CatalogSerializer(serializers.Serializer):
    codes = CatalogEntrySerializer(many=True)
    default_thresholds = serializers.DictField(child=serializers.JSONField())


class DispositionSerializer(serializers.Serializer):
    finding_key = serializers.CharField(
        max_length=200, help_text="The `key` of a finding in the report."
    )
    state = serializers.ChoiceField(choices=DispositionState.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    note_shared = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Show the note to the client in their shared report. False (the default): "
        "only the practice's coaches see it.",
    )
    expires_on = serializers.DateField(required=False, allow_null=True)


class DispositionOutSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    finding_key = serializers.CharField()
    code = serializers.CharField()
    state = serializers.ChoiceField(choices=DispositionState.choices)
    note = serializers.CharField()
    note_shared = serializers.BooleanField(help_text="Whether the client sees the note.")
    decided_on = serializers.DateField(help_text="In the client's zone; counts from this day.")
    expires_on = serializers.DateField(allow_null=True)


class WithdrawSerializer(serializers.Serializer):
    finding_key = serializers.CharField(max_length=200)


class WithdrawnSerializer(serializers.Serializer):
    withdrawn = serializers.IntegerField(
        help_text="How many decisions on the finding ended: 0 when it was not marked (it "
        "counted already). A decision made today is removed; an older one ends yesterday, so "
        "past days' reports keep it."
    )


@extend_schema(tags=["diagnostics"])
class CatalogView(ApiView):
    scope = Scope.PUBLIC_REFERENCE

    @extend_schema(
        responses=CatalogSerializer,
        description="Every failure reason the diagnostics can raise, with its code, and the "
        "default thresholds.",
    )
    def get(self, request: Request) -> Response:
        return Response(reports.catalog_to_dict())


@extend_schema(tags=["diagnostics"])
class DefaultThresholdsView(ApiView):
    scope = Scope.PUBLIC_REFERENCE

    @extend_schema(
        responses={200: {"type": "object", "additionalProperties": _THRESHOLD_VALUE}},
        description="The catalog's default thresholds, by name.",
    )
    def get(self, request: Request) -> Response:
        return Response(reports.catalog_to_dict()["default_thresholds"])


@extend_schema(tags=["diagnostics"])
class PracticeReportView(ApiView):
    """Scope is the insights selectors' (coaches see their clients, the owner all)."""

    scope = Scope.UNSCOPED_ESCAPE_HATCH
    unscoped_reason = (
        "coaching.insights.reports.practice_report scopes by actor through coaching.access"
    )

    @extend_schema(parameters=[AS_OF], responses={200: PRACTICE_REPORT})
    def get(self, request: Request) -> Response:
        coaching_staff_only(self.actor)
        return Response(reports.practice_report(actor=self.actor, as_of=as_of(request)))


@extend_schema(tags=["diagnostics"])
class PracticeThresholdsView(ApiView):
    scope = Scope.UNSCOPED_ESCAPE_HATCH
    unscoped_reason = (
        "practice-wide settings; insights checks the role (coaches read, owner writes)"
    )

    @extend_schema(responses={200: PRACTICE_THRESHOLDS})
    def get(self, request: Request) -> Response:
        coaching_staff_only(self.actor)
        return Response(selectors.practice_thresholds(actor=self.actor))

    @extend_schema(
        request={"application/json": THRESHOLD_CHANGES}, responses={200: PRACTICE_THRESHOLDS}
    )
    def patch(self, request: Request) -> Response:
        coaching_staff_only(self.actor)
        changes = self.valid(ThresholdChangesSerializer)
        services.practice_thresholds_update(actor=self.actor, changes=changes)
        return Response(selectors.practice_thresholds(actor=self.actor))


class ClientDiagnosticsMixin:
    """`/clients/{id}/report/`, `figures/`, `thresholds/`, `finding-dispositions/`: mixed into
    the clients viewset; each goes through the insights reads and writes, which scope by actor
    (404 outside it; within it, 403 for a client whose coach has not shared the report, or who
    tries to change what is the coach's: thresholds, decisions on findings)."""

    actor: Any
    valid: Any

    @extend_schema(parameters=[AS_OF], responses={200: CLIENT_REPORT}, tags=["diagnostics"])
    @action(detail=True, methods=["get"])
    def report(self, request: Request, pk: str) -> Response:
        """The client report (the same document the web app and the PDF show)."""
        return Response(
            reports.client_report(actor=self.actor, client_id=int(pk), as_of=as_of(request))
        )

    @extend_schema(parameters=[AS_OF], responses={200: FIGURES}, tags=["diagnostics"])
    @action(detail=True, methods=["get"])
    def figures(self, request: Request, pk: str) -> Response:
        """Volume, funnel and hygiene figures."""
        diagnosis = reports.client_diagnosis(
            actor=self.actor, client_id=int(pk), as_of=as_of(request)
        )
        body = diagnosis_to_dict(diagnosis=diagnosis)
        return Response({"as_of": body["as_of"], "client_id": body["client_id"], **body["figures"]})

    @extend_schema(parameters=[AS_OF], responses={200: BENCHMARKS}, tags=["diagnostics"])
    @action(detail=True, methods=["get"])
    def benchmarks(self, request: Request, pk: str) -> Response:
        """The client's key figures beside the practice's clients at the same week of their
        search (same sharing rule as the report)."""
        return Response(
            benchmarks.client_benchmarks_dict(
                actor=self.actor, client_id=int(pk), as_of=as_of(request)
            )
        )

    @extend_schema(methods=["GET"], responses={200: CLIENT_THRESHOLDS}, tags=["diagnostics"])
    @extend_schema(
        methods=["PATCH"],
        request=ThresholdChangesSerializer,
        responses={200: CLIENT_THRESHOLDS},
        tags=["diagnostics"],
        description="Change this client's own thresholds (coach or owner).",
    )
    @action(detail=True, methods=["get", "patch"])
    def thresholds(self, request: Request, pk: str) -> Response:
        """This client's thresholds in force, and their own overrides."""
        if request.method == "PATCH":
            changes = self.valid(ThresholdChangesSerializer)
            services.client_thresholds_update(actor=self.actor, client_id=int(pk), changes=changes)
        return Response(selectors.client_thresholds(actor=self.actor, client_id=int(pk)))

    @extend_schema(
        request=DispositionSerializer,
        responses={201: DispositionOutSerializer},
        tags=["diagnostics"],
    )
    @action(detail=True, methods=["post"], url_path="finding-dispositions")
    def finding_dispositions(self, request: Request, pk: str) -> Response:
        """Mark a finding acknowledged or not applicable: from `decided_on` (today in the
        client's zone) it stays in the report, marked, and stops counting."""
        disposition = services.finding_dispose(
            actor=self.actor, client_id=int(pk), **self.valid(DispositionSerializer)
        )
        return Response(DispositionOutSerializer(disposition).data, status=201)

    @extend_schema(
        request=WithdrawSerializer, responses={200: WithdrawnSerializer}, tags=["diagnostics"]
    )
    @action(detail=True, methods=["post"], url_path="finding-dispositions/withdraw")
    def withdraw_finding_disposition(self, request: Request, pk: str) -> Response:
        """Withdraw the coach's decisions on a finding (coach or owner): from today it counts
        again. Answers how many decisions ended."""
        withdrawn = services.finding_disposition_withdraw(
            actor=self.actor, client_id=int(pk), **self.valid(WithdrawSerializer)
        )
        return Response({"withdrawn": withdrawn})
