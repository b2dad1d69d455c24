"""Endpoints for the coaching records. Thin: parse input, call a service or selector, show the
result. Scope comes from the base classes in api.viewsets; rules from coaching.services."""

from typing import Any

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import parsers, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api import filters
from api import serializers as s
from api.diagnostics import ClientDiagnosticsMixin
from api.parsers import JSONParser
from api.viewsets import ReadViewSet, Scope
from coaching import services
from coaching.insights.search_status import search_statuses
from coaching.insights.summaries import VersionedRow, with_versions
from coaching.lifecycle.deletion import contact_delete
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
from coaching.services.applications import application_remove
from coaching.services.archive import client_archive, client_restore
from coaching.services.feedback import feedback_remove
from coaching.services.follow_ups import follow_up_remove
from coaching.services.imports import import_start
from coaching.services.introductions import introduction_remove
from coaching.services.meetings import meeting_remove

# The clients list's rows, annotated with each client's data version (for their cached search
# status) and read as plain values: built once, copied per request (the hottest path;
# tests/bench/api_clients.py).
_CLIENT_LIST_ROWS = with_versions(Client.objects.all()).values(*s.ClientListSerializer.VALUES)


def _with_search_status(shown: Any, *, actor: Any) -> None:
    """Set `search_status` and its day on a client (a model) or a page of list rows (dicts),
    from the dashboard's cached summaries: one cache round trip for the page, and the clients
    whose data changed diagnosed together in a fixed number of queries."""
    items = shown if isinstance(shown, list) else [shown]
    clients = [VersionedRow.of(item) if isinstance(item, dict) else item for item in items]
    statuses = search_statuses(actor=actor, clients=clients)
    for item, client in zip(items, clients, strict=True):
        read = statuses[client.pk]
        if isinstance(item, dict):
            item["search_status"], item["search_status_as_of"] = read.status, read.as_of
        else:
            item.search_status, item.search_status_as_of = read.status, read.as_of


def _remove_doc(what: str, *, extra: str = "") -> Any:
    """The schema of `DELETE /<records>/{id}/`: the same removal as the coach's page."""
    return extend_schema(
        responses={204: None},
        description=f"Remove {what} recorded by mistake (coach or owner; a client's key gets "
        "403). The timeline keeps what it said; the deletions feed (`/api/v1/deletions/`) "
        f"shows its tombstone and `record.deleted` is announced to webhooks.{extra}",
    )


def _list_doc(name: str) -> Any:
    return extend_schema(
        description=f"The {name} the caller may see, newest first; cursor-paginated. "
        "Filter with the query parameters; `updated_since` for incremental sync."
    )


@extend_schema_view(
    list=extend_schema(
        description="The clients the caller may see, each with its record `status` (active, "
        "paused, landed: set by the coach), `archived_at` (set when the coach archived it) "
        "and its `search_status` (stalled, slowing, active, "
        "landed: what the diagnostics say, the same as the dashboard's); cursor-paginated. "
        "Filter with `?status=`, `?search_status=` or `?archived=`. The presentation "
        "checklist is on each "
        "client's own page.",
        responses=s.ClientListSerializer(many=True),
    ),
    retrieve=extend_schema(description="One client, with the presentation checklist."),
)
@extend_schema(tags=["clients"])
class ClientViewSet(ClientDiagnosticsMixin, ReadViewSet):
    scope = Scope.CLIENTS
    model = Client
    serializer_class = s.ClientSerializer
    filterset_class = filters.ClientFilter
    ordering_fields = ("created_at", "updated_at", "search_started_on")

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return s.ClientListSerializer if self.action == "list" else s.ClientSerializer

    def unscoped_rows(self) -> QuerySet[Any]:
        return _CLIENT_LIST_ROWS.all() if self.action == "list" else super().unscoped_rows()

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if args and isinstance(args[0], list | dict | Client):
            _with_search_status(args[0], actor=self.actor)
        return super().get_serializer(*args, **kwargs)

    def shape_queryset(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        if self.action == "list":
            return rows  # prepared in _CLIENT_LIST_ROWS
        return (
            with_versions(rows)
            .select_related("user", "coach")
            .prefetch_related(
                Prefetch("presentation", queryset=PresentationCheck.objects.order_by("item"))
            )
        )

    @extend_schema(
        request=s.ClientCreateSerializer,
        responses={201: s.ClientSerializer},
        description="Open a search for a client-role member (owner or coach).",
    )
    def create(self, request: Request) -> Response:
        data = self.valid(s.ClientCreateSerializer)
        client = services.client_create(actor=self.actor, **data)
        return self.respond(client, status=201)

    @extend_schema(request=s.ClientProfileSerializer, responses=s.ClientSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        client = self.get_object()
        data = self.valid(s.ClientProfileSerializer, partial=True)
        services.client_update(client=client, actor=self.actor, data=data)
        return self.respond(client)

    @extend_schema(request=s.ClientStatusSerializer, responses=s.ClientSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str) -> Response:
        """Active, paused or landed (landing needs `landed_on`). Coach or owner."""
        client = self.get_object()
        services.client_set_status(
            client=client, actor=self.actor, **self.valid(s.ClientStatusSerializer)
        )
        return self.respond(client)

    @extend_schema(request=s.ClientReassignSerializer, responses=s.ClientSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request: Request, pk: str) -> Response:
        """Move the client to another coach. Owner only."""
        client = self.get_object()
        services.client_reassign(
            client=client, actor=self.actor, **self.valid(s.ClientReassignSerializer)
        )
        return self.respond(client)

    @extend_schema(request=None, responses=s.ClientSerializer)
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str) -> Response:
        """Archive a search that is over or abandoned (coach or owner): an active one is paused
        first, so it takes no seat; it leaves the web app's working lists, reminders and nightly
        diagnosis, keeps every record, and its client may read but no longer write (403).
        Announced as `client.archived`. 400 if already archived."""
        client = self.get_object()
        client_archive(client=client, actor=self.actor)
        return self.respond(client)

    @extend_schema(request=None, responses=s.ClientSerializer)
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str) -> Response:
        """Restore an archived search (coach or owner), paused or landed as it was; resume it
        with `status`. Announced as `client.restored`. 400 if not archived."""
        client = self.get_object()
        client_restore(client=client, actor=self.actor)
        return self.respond(client)

    @extend_schema(request=s.LeavingStorySerializer, responses=s.ClientSerializer)
    @action(detail=True, methods=["post"], url_path="leaving-story")
    def leaving_story(self, request: Request, pk: str) -> Response:
        """The coach's verdict on the reason-for-leaving story."""
        client = self.get_object()
        services.client_review_leaving_story(
            client=client, actor=self.actor, **self.valid(s.LeavingStorySerializer)
        )
        return self.respond(client)

    @extend_schema(request=s.PresentationReviewSerializer, responses=s.ClientSerializer)
    @action(detail=True, methods=["post"])
    def presentation(self, request: Request, pk: str) -> Response:
        """Review one line of the presentation checklist (resume, LinkedIn, other profiles)."""
        client = self.get_object()
        services.client_review_presentation(
            client=client, actor=self.actor, **self.valid(s.PresentationReviewSerializer)
        )
        return self.respond(client)

    @extend_schema(request=s.ReportSharingSerializer, responses=s.ClientSerializer)
    @action(detail=True, methods=["post"], url_path="report-sharing")
    def report_sharing(self, request: Request, pk: str) -> Response:
        """Whether the client sees their diagnostic report in the portal."""
        client = self.get_object()
        services.client_set_report_sharing(
            client=client, actor=self.actor, **self.valid(s.ReportSharingSerializer)
        )
        return self.respond(client)


@extend_schema_view(list=_list_doc("contacts"))
@extend_schema(tags=["contacts"])
class ContactViewSet(ReadViewSet):
    scope = Scope.CLIENT_RECORDS
    model = Contact
    serializer_class = s.ContactSerializer
    filterset_class = filters.ContactFilter
    filter_backends = (filters.FilterBackend, filters.SimilarityOrdering)
    ordering_fields = ("created_at", "updated_at", "name")

    @extend_schema(request=s.ContactCreateSerializer, responses={201: s.ContactSerializer})
    def create(self, request: Request) -> Response:
        data = self.valid(s.ContactCreateSerializer)
        contact = services.contact_create(actor=self.actor, **data)
        return self.respond(contact, status=201)

    @extend_schema(request=s.ContactFieldsSerializer, responses=s.ContactSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        contact = self.get_object()
        data = self.valid(s.ContactFieldsSerializer, partial=True)
        services.contact_update(contact=contact, actor=self.actor, data=data)
        return self.respond(contact)

    @extend_schema(
        responses={204: None},
        description="Delete a contact with everything only about them (their interactions, "
        "meetings, follow-ups and introductions): the same as `POST /api/v1/deletion-requests/` "
        'with `{"kind": "contact"}` and the web app\'s delete page. Anyone who may write to the '
        'search, the client included. The timeline keeps its entries as "a deleted '
        'contact"; each deleted record leaves a tombstone in `/api/v1/deletions/` and '
        "`record.deleted` is announced. Two copies of one person are merged in the web app "
        "instead.",
    )
    def destroy(self, request: Request, pk: str) -> Response:
        contact_delete(contact=self.get_object(), actor=self.actor)
        return Response(status=204)


@extend_schema_view(list=_list_doc("interactions"))
@extend_schema(tags=["interactions"])
class InteractionViewSet(ReadViewSet):
    scope = Scope.CLIENT_RECORDS
    model = Interaction
    serializer_class = s.InteractionSerializer
    filterset_class = filters.InteractionFilter
    ordering_fields = ("created_at", "updated_at", "occurred_at")

    @extend_schema(request=s.InteractionCreateSerializer, responses={201: s.InteractionSerializer})
    def create(self, request: Request) -> Response:
        data = self.valid(s.InteractionCreateSerializer)
        interaction = services.interaction_record(
            client=data["contact"].client, actor=self.actor, **data
        )
        return self.respond(interaction, status=201)

    @extend_schema(
        responses={204: None},
        description="Remove an interaction logged by mistake (the activity log keeps what it "
        "said). A message that completed a follow-up cannot be removed (400).",
    )
    def destroy(self, request: Request, pk: str) -> Response:
        services.interaction_remove(interaction=self.get_object(), actor=self.actor)
        return Response(status=204)

    @extend_schema(request=s.RepliedSerializer, responses=s.InteractionSerializer)
    @action(detail=True, methods=["post"])
    def replied(self, request: Request, pk: str) -> Response:
        """The contact answered this outbound message."""
        interaction = self.get_object()
        services.interaction_mark_replied(
            interaction=interaction, actor=self.actor, **self.valid(s.RepliedSerializer)
        )
        return self.respond(interaction)


def _intro_step(
    service: Any, serializer_class: type[serializers.Serializer], doc: str, path: str
) -> Any:
    """One dated step of the referral chain as `POST /introductions/{id}/<path>/`."""

    def step(self: "IntroductionViewSet", request: Request, pk: str) -> Response:
        introduction = self.get_object()
        service(introduction=introduction, actor=self.actor, **self.valid(serializer_class))
        return self.respond(introduction)

    # The router maps the URL to the attribute of this name, so it is set before decorating.
    step.__name__ = step.__qualname__ = path.replace("-", "_")
    step.__doc__ = doc
    routed = action(detail=True, methods=["post"], url_path=path, url_name=path)(step)
    return extend_schema(request=serializer_class, responses=s.IntroductionSerializer)(routed)


@extend_schema_view(list=_list_doc("introductions"))
@extend_schema(tags=["introductions"])
class IntroductionViewSet(ReadViewSet):
    scope = Scope.CLIENT_RECORDS
    model = Introduction
    serializer_class = s.IntroductionSerializer
    filterset_class = filters.IntroductionFilter
    ordering_fields = ("created_at", "updated_at")

    @extend_schema(
        request=s.IntroductionCreateSerializer, responses={201: s.IntroductionSerializer}
    )
    def create(self, request: Request) -> Response:
        data = self.valid(s.IntroductionCreateSerializer)
        introduction = services.introduction_create(
            client=data["introducer"].client, actor=self.actor, **data
        )
        return self.respond(introduction, status=201)

    made = _intro_step(
        services.introduction_record_made,
        s.StepSerializer,
        "The introduction was made: from now on the target expects the client's call.",
        "made",
    )
    contacted = _intro_step(
        services.introduction_record_contact,
        s.MessageStepSerializer,
        "The client contacted the target (also recorded as outreach).",
        "contacted",
    )
    thanked = _intro_step(
        services.introduction_record_thanks,
        s.MessageStepSerializer,
        "The client thanked the introducer (also recorded as a thank-you).",
        "thanked",
    )
    outcome_reported = _intro_step(
        services.introduction_record_outcome,
        s.MessageStepSerializer,
        "The client told the introducer how it went.",
        "outcome-reported",
    )
    reached_hiring_authority = _intro_step(
        services.introduction_record_hiring_authority,
        s.StepSerializer,
        "The path reached someone who can hire.",
        "reached-hiring-authority",
    )
    close = _intro_step(
        services.introduction_close,
        s.CloseSerializer,
        "The path ran its course.",
        "close",
    )
    abandon = _intro_step(
        services.introduction_abandon,
        s.AbandonSerializer,
        "The path was dropped; `reason` says why.",
        "abandon",
    )

    @_remove_doc(
        "an introduction",
        extra=" The messages its steps recorded stay; meetings it led to lose the link.",
    )
    def destroy(self, request: Request, pk: str) -> Response:
        introduction_remove(introduction=self.get_object(), actor=self.actor)
        return Response(status=204)


@extend_schema_view(list=_list_doc("follow-ups"))
@extend_schema(tags=["follow-ups"])
class FollowUpViewSet(ReadViewSet):
    scope = Scope.CLIENT_RECORDS
    model = FollowUp
    serializer_class = s.FollowUpSerializer
    filterset_class = filters.FollowUpFilter
    ordering_fields = ("created_at", "updated_at", "due_on")

    @extend_schema(request=s.FollowUpCreateSerializer, responses={201: s.FollowUpSerializer})
    def create(self, request: Request) -> Response:
        data = self.valid(s.FollowUpCreateSerializer)
        follow_up = services.follow_up_schedule(
            client=data["contact"].client, actor=self.actor, **data
        )
        return self.respond(follow_up, status=201)

    @extend_schema(request=s.FollowUpRescheduleSerializer, responses=s.FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def reschedule(self, request: Request, pk: str) -> Response:
        """Move a follow-up that is not done yet to another day."""
        follow_up = self.get_object()
        services.follow_up_reschedule(
            follow_up=follow_up, actor=self.actor, **self.valid(s.FollowUpRescheduleSerializer)
        )
        return self.respond(follow_up)

    @extend_schema(request=s.CloseSerializer, responses=s.FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        """Done: also records the follow-up message itself."""
        follow_up = self.get_object()
        services.follow_up_complete(
            follow_up=follow_up, actor=self.actor, **self.valid(s.CloseSerializer)
        )
        return self.respond(follow_up)

    @_remove_doc("a follow-up", extra=" One already done keeps its message (an interaction).")
    def destroy(self, request: Request, pk: str) -> Response:
        follow_up_remove(follow_up=self.get_object(), actor=self.actor)
        return Response(status=204)


@extend_schema_view(list=_list_doc("applications"))
@extend_schema(tags=["applications"])
class ApplicationViewSet(ReadViewSet):
    scope = Scope.CLIENT_RECORDS
    model = Application
    serializer_class = s.ApplicationSerializer
    filterset_class = filters.ApplicationFilter
    ordering_fields = ("created_at", "updated_at")

    @extend_schema(request=s.ApplicationCreateSerializer, responses={201: s.ApplicationSerializer})
    def create(self, request: Request) -> Response:
        data = self.valid(s.ApplicationCreateSerializer)
        application = services.application_create(actor=self.actor, **data)
        return self.respond(application, status=201)

    @extend_schema(request=s.ApplicationFieldsSerializer, responses=s.ApplicationSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        application = self.get_object()
        data = self.valid(s.ApplicationFieldsSerializer, partial=True)
        services.application_update(application=application, actor=self.actor, data=data)
        return self.respond(application)

    @_remove_doc(
        "an application",
        extra=" Introductions and meetings that pointed at it stay, without the link.",
    )
    def destroy(self, request: Request, pk: str) -> Response:
        application_remove(application=self.get_object(), actor=self.actor)
        return Response(status=204)


@extend_schema_view(list=_list_doc("meetings"))
@extend_schema(tags=["meetings"])
class MeetingViewSet(ReadViewSet):
    scope = Scope.CLIENT_RECORDS
    model = Meeting
    serializer_class = s.MeetingSerializer
    filterset_class = filters.MeetingFilter
    ordering_fields = ("created_at", "updated_at", "scheduled_for")

    @extend_schema(request=s.MeetingCreateSerializer, responses={201: s.MeetingSerializer})
    def create(self, request: Request) -> Response:
        data = self.valid(s.MeetingCreateSerializer)
        meeting = services.meeting_schedule(client=data["contact"].client, actor=self.actor, **data)
        return self.respond(meeting, status=201)

    @extend_schema(request=s.PreparationSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def preparation(self, request: Request, pk: str) -> Response:
        """Research, questions and a goal, written down before the meeting."""
        meeting = self.get_object()
        services.meeting_record_preparation(
            meeting=meeting, actor=self.actor, **self.valid(s.PreparationSerializer)
        )
        return self.respond(meeting)

    @extend_schema(request=s.MeetingOutcomeSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def outcome(self, request: Request, pk: str) -> Response:
        """Held, no-show or cancelled."""
        meeting = self.get_object()
        services.meeting_record_outcome(
            meeting=meeting, actor=self.actor, **self.valid(s.MeetingOutcomeSerializer)
        )
        return self.respond(meeting)

    @extend_schema(request=s.MessageStepSerializer, responses=s.MeetingSerializer)
    @action(detail=True, methods=["post"])
    def thanked(self, request: Request, pk: str) -> Response:
        """The client thanked the person they met (also recorded as a thank-you)."""
        meeting = self.get_object()
        services.meeting_record_thanks(
            meeting=meeting, actor=self.actor, **self.valid(s.MessageStepSerializer)
        )
        return self.respond(meeting)

    @_remove_doc("a meeting", extra=" A thank-you already sent stays an interaction.")
    def destroy(self, request: Request, pk: str) -> Response:
        meeting_remove(meeting=self.get_object(), actor=self.actor)
        return Response(status=204)


@extend_schema_view(list=_list_doc("feedback"))
@extend_schema(tags=["feedback"])
class FeedbackViewSet(ReadViewSet):
    scope = Scope.CLIENT_RECORDS
    model = Feedback
    serializer_class = s.FeedbackSerializer
    filterset_class = filters.FeedbackFilter
    ordering_fields = ("created_at", "updated_at", "received_on")

    @extend_schema(request=s.FeedbackCreateSerializer, responses={201: s.FeedbackSerializer})
    def create(self, request: Request) -> Response:
        data = self.valid(s.FeedbackCreateSerializer)
        feedback = services.feedback_record(actor=self.actor, **data)
        return self.respond(feedback, status=201)

    @_remove_doc("feedback")
    def destroy(self, request: Request, pk: str) -> Response:
        feedback_remove(feedback=self.get_object(), actor=self.actor)
        return Response(status=204)


@extend_schema_view(
    list=_list_doc("imports"),
    retrieve=extend_schema(description="An import's status, progress and row errors."),
)
@extend_schema(tags=["imports"])
class ImportViewSet(ReadViewSet):
    scope = Scope.CLIENT_RECORDS
    model = ImportJob
    serializer_class = s.ImportSerializer
    filterset_class = filters.ImportFilter
    parser_classes = (parsers.MultiPartParser, parsers.FormParser, JSONParser)

    def shape_queryset(self, rows: QuerySet[Any]) -> QuerySet[Any]:
        return rows.defer("payload")

    @extend_schema(
        request={"multipart/form-data": s.ImportCreateSerializer},
        responses={202: s.ImportSerializer},
        description="Upload a CSV; it is processed in the background, all rows or none "
        "(or, with `mode` good_rows, the good rows). "
        "Poll the returned import until `status` is `succeeded` or `failed`.",
    )
    def create(self, request: Request) -> Response:
        data = self.valid(s.ImportCreateSerializer)
        upload = data["file"]
        job = import_start(
            client=data["client"],
            actor=self.actor,
            kind=data["kind"],
            payload=upload.read(),
            filename=upload.name or "",
            mode=data["mode"],
        )
        return self.respond(job, status=202)
