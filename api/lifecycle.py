"""Exports, deletions and retention over the API. Thin: parse, call `coaching.lifecycle`, show.

- `exports/`: ask for a client's or the practice's export (202), follow its progress, download
  the zip with the link's token.
- `deletion-requests/`: delete a contact (at once), schedule a client's or the practice's
  deletion (grace period), undo a scheduled one.
- `deletions/`: the deletions feed for sync: every deleted record's type and id, since a time.
- `retention/`: the owner's rule for landed searches.

Scope comes from `coaching.lifecycle.selectors`, which goes through `coaching.access`: what the
caller may not see answers 404, like an id that does not exist.
"""

from __future__ import annotations

import json
from typing import Any

import django_filters as filters
from django.http import FileResponse
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, renderers, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.fields import ScopedRelatedField
from api.filters import IdFilter, SyncFilterSet, TimeFilter
from api.serializers import ReadOnlyModelSerializer
from api.viewsets import ApiView, ApiViewSet, ReadViewSet, Scope
from coaching.access import client_queryset_for, scoped
from coaching.lifecycle.deletion import (
    client_deletion_schedule,
    contact_delete,
    deletion_request_cancel,
    practice_deletion_schedule,
)
from coaching.lifecycle.exports import (
    DownloadRefused,
    export_download_name,
    export_downloaded,
    export_for_download,
    export_request,
)
from coaching.lifecycle.links import export_link_token
from coaching.lifecycle.models import (
    DeletedRecord,
    DeletionKind,
    DeletionRequest,
    DeletionStatus,
    ExportJob,
    ExportKind,
    ExportStatus,
    RetentionPolicy,
)
from coaching.lifecycle.retention import MAX_MONTHS, retention_set
from coaching.lifecycle.selectors import (
    deleted_records_visible,
    deletion_requests_visible,
    exports_visible,
)
from coaching.lifecycle.storage import private_storage
from coaching.lifecycle.tombstones import RECORD_TYPES
from coaching.models import Client, Contact

# ---- exports -----------------------------------------------------------------------------------


class ExportSerializer(ReadOnlyModelSerializer):
    progress = serializers.FloatField(read_only=True, help_text="0 to 1.")
    download_url = serializers.SerializerMethodField(
        help_text="While the export is ready: where to download the zip (the link carries a "
        "token valid for 24 hours, and works only with this practice's credentials)."
    )

    class Meta:
        model = ExportJob
        fields = (
            "id",
            "kind",
            "client",
            "status",
            "progress",
            "done_steps",
            "total_steps",
            "size_bytes",
            "error",
            "requested_by",
            "started_at",
            "finished_at",
            "expires_at",
            "download_url",
            "created_at",
            "updated_at",
        )

    def get_download_url(self, job: ExportJob) -> str | None:
        if job.status != ExportStatus.READY:
            return None
        path = reverse("api:export-download", args=[job.pk])
        return f"{path}?token={export_link_token(export_id=job.pk)}"


class ExportCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ExportKind.choices)
    client = ScopedRelatedField(
        model=Client, required=False, allow_null=True, help_text="For `kind: client`: whose search."
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["kind"] == ExportKind.CLIENT and not attrs.get("client"):
            raise serializers.ValidationError(
                {"client": ["Name the client whose search to export."]}
            )
        if attrs["kind"] == ExportKind.PRACTICE and attrs.get("client"):
            raise serializers.ValidationError(
                {"client": ["The practice's export holds every client; leave this out."]}
            )
        return attrs


class ExportFilter(SyncFilterSet):
    kind = filters.ChoiceFilter(choices=ExportKind.choices)
    status = filters.ChoiceFilter(choices=ExportStatus.choices)
    client = IdFilter(field_name="client_id", label="Only this client's exports.")

    class Meta:
        model = ExportJob
        fields = ["kind", "status", "client", "updated_since"]


class ZipRenderer(renderers.BaseRenderer):
    """Lets a download ask for `Accept: application/zip`. The zip itself goes out as a file
    response; an error on the way is sent as JSON (see `ExportViewSet.handle_exception`)."""

    media_type = "application/zip"
    format = "zip"
    charset = None
    render_style = "binary"

    def render(self, data: Any, accepted_media_type: Any = None, context: Any = None) -> bytes:
        return json.dumps(data).encode()


@extend_schema(tags=["exports"])
class ExportViewSet(ReadViewSet):
    """A client's search, or the whole practice, as a zip of JSON and CSV with a README."""

    scope = Scope.UNSCOPED_ESCAPE_HATCH
    unscoped_reason = (
        "The practice's own export has no client: `exports_visible` scopes client exports "
        "through coaching.access and shows the practice's to the owner only."
    )
    model = ExportJob
    serializer_class = ExportSerializer
    filterset_class = ExportFilter
    open_when_read_only = True  # a lapsed practice can still take its data away

    def unscoped_rows(self) -> Any:
        return exports_visible(actor=self.actor)

    @extend_schema(
        request=ExportCreateSerializer,
        responses={202: ExportSerializer},
        description='Ask for an export: `{"kind": "client", "client": 12}` (the client, '
        'their coach or the owner) or `{"kind": "practice"}` (the owner). It is made in the '
        "background: poll it until `status` is `ready`, then follow `download_url`. Asking "
        "again while one is being made returns that one.",
    )
    def create(self, request: Request) -> Response:
        data = self.valid(ExportCreateSerializer)
        job = export_request(actor=self.actor, client=data.get("client"))
        return self.respond(job, status=202)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "token", str, required=True, description="The token from `download_url`."
            ),
            OpenApiParameter("format", exclude=True),  # send `Accept: application/zip`, or none
        ],
        responses={
            (200, "application/zip"): OpenApiResponse(
                OpenApiTypes.BINARY,
                description="The zip: README.txt, and per record type a .json and a .csv file.",
            )
        },
        description="Download a ready export. Needs both this practice's credentials for "
        "someone who may see the export and the link's token (24 hours); otherwise 404.",
    )
    @action(
        detail=True,
        methods=["get"],
        renderer_classes=[renderers.JSONRenderer, ZipRenderer],
        filterset_class=None,
        pagination_class=None,
    )
    def download(self, request: Request, pk: str) -> Any:
        try:
            job = export_for_download(
                actor=self.actor, export_id=int(pk), token=request.query_params.get("token", "")
            )
        except DownloadRefused as exc:
            raise exceptions.NotFound(exc.message) from exc
        response = FileResponse(
            private_storage().open(job.file_name, "rb"),
            as_attachment=True,
            filename=export_download_name(job),
            content_type="application/zip",
        )
        export_downloaded(actor=self.actor, job=job)
        return response

    def handle_exception(self, exc: Exception) -> Response:
        response = super().handle_exception(exc)
        if isinstance(getattr(self.request, "accepted_renderer", None), ZipRenderer):
            self.request.accepted_renderer = renderers.JSONRenderer()
            self.request.accepted_media_type = "application/json"
        return response


# ---- deletion requests ---------------------------------------------------------------------------


class DeletionRequestSerializer(ReadOnlyModelSerializer):
    record = serializers.IntegerField(
        source="record_id",
        allow_null=True,
        help_text="The contact's or client's id (null for the practice).",
    )
    client = serializers.IntegerField(
        source="client_id", allow_null=True, help_text="The client whose search it is (was)."
    )

    class Meta:
        model = DeletionRequest
        fields = (
            "id",
            "kind",
            "record",
            "client",
            "reason",
            "status",
            "requested_by",
            "requested_at",
            "due_at",
            "done_at",
            "cancelled_at",
            "cancelled_by",
            "created_at",
            "updated_at",
        )


class DeletionRequestCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=DeletionKind.choices)
    record = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**63 - 1,
        help_text="For a contact or a client: its id.",
    )
    confirm_name = serializers.CharField(
        required=False,
        max_length=200,
        help_text="For the practice: its name, typed exactly, to confirm.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        actor = self.context["request"].user
        kind = attrs["kind"]
        if kind == DeletionKind.PRACTICE:
            if not attrs.get("confirm_name"):
                raise serializers.ValidationError(
                    {"confirm_name": ["Type the practice's name to confirm."]}
                )
            return attrs
        record = attrs.get("record")
        if record is None:
            raise serializers.ValidationError({"record": [f"Name the {kind} to delete (its id)."]})
        rows: Any = (
            scoped(Contact.objects.all(), actor=actor)
            if kind == DeletionKind.CONTACT
            else client_queryset_for(actor=actor)
        )
        found = rows.filter(pk=record).first()
        if found is None:
            raise serializers.ValidationError({"record": [f"No such record (id {record})."]})
        attrs["found"] = found
        return attrs


class DeletionRequestFilter(SyncFilterSet):
    kind = filters.ChoiceFilter(choices=DeletionKind.choices)
    status = filters.ChoiceFilter(choices=DeletionStatus.choices)
    client = IdFilter(field_name="client_id", label="Only deletions in this client's search.")

    class Meta:
        model = DeletionRequest
        fields = ["kind", "status", "client", "updated_since"]


@extend_schema(tags=["deletions"])
class DeletionRequestViewSet(ReadViewSet):
    """Deletions asked for: a contact's (done at once), a client's or the practice's (scheduled
    for after a 30-day grace period, and undoable until then)."""

    scope = Scope.UNSCOPED_ESCAPE_HATCH
    unscoped_reason = (
        "A request outlives the client it deleted: `deletion_requests_visible` scopes through "
        "coaching.access, plus the client's coach at the time; the practice's, owner only."
    )
    model = DeletionRequest
    serializer_class = DeletionRequestSerializer
    filterset_class = DeletionRequestFilter
    open_when_read_only = True  # and delete it

    def unscoped_rows(self) -> Any:
        return deletion_requests_visible(actor=self.actor)

    @extend_schema(
        request=DeletionRequestCreateSerializer,
        responses={201: DeletionRequestSerializer},
        description='`{"kind": "contact", "record": 7}`: the contact is deleted now '
        '(anyone who may write to that search). `{"kind": "client", "record": 12}`: the '
        "search and the client's account are deleted after 30 days (coach or owner; the client "
        'cannot sign in meanwhile). `{"kind": "practice", "confirm_name": "…"}`: the '
        "whole practice after 30 days (owner).",
    )
    def create(self, request: Request) -> Response:
        data = self.valid(DeletionRequestCreateSerializer)
        kind = data["kind"]
        if kind == DeletionKind.CONTACT:
            deletion = contact_delete(contact=data["found"], actor=self.actor)
        elif kind == DeletionKind.CLIENT:
            deletion = client_deletion_schedule(client=data["found"], actor=self.actor)
        else:
            deletion = practice_deletion_schedule(
                actor=self.actor, confirm_name=data["confirm_name"]
            )
        return self.respond(deletion, status=201)

    @extend_schema(request=None, responses=DeletionRequestSerializer)
    @action(detail=True, methods=["post"])
    def undo(self, request: Request, pk: str) -> Response:
        """Undo a scheduled deletion within its grace period (a client's: their coach or the
        owner; the practice's: the owner). Nothing is lost; the client can sign in again."""
        deletion = deletion_request_cancel(request=self.get_object(), actor=self.actor)
        return self.respond(deletion)


# ---- the deletions feed ------------------------------------------------------------------------

RECORD_TYPE_CHOICES = [(name, name) for name in sorted(RECORD_TYPES.values())]


class DeletedRecordSerializer(ReadOnlyModelSerializer):
    type = serializers.ChoiceField(
        source="record_type",
        choices=RECORD_TYPE_CHOICES,
        help_text="The kind of record, as the API names it (the resource, singular).",
    )
    id = serializers.IntegerField(source="record_id", help_text="The deleted record's id.")
    client = serializers.IntegerField(
        source="client_id", allow_null=True, help_text="Whose search it belonged to."
    )

    class Meta:
        model = DeletedRecord
        fields = ("type", "id", "client", "deleted_at")


class DeletedRecordFilter(filters.FilterSet):
    since = TimeFilter(
        field_name="deleted_at",
        lookup_expr="gte",
        label="Only records deleted at or after this time (ISO 8601, inclusive).",
    )
    updated_since = TimeFilter(
        field_name="deleted_at",
        lookup_expr="gte",
        label="The same as `since` (the name every other list uses).",
    )
    type = filters.ChoiceFilter(field_name="record_type", choices=RECORD_TYPE_CHOICES)
    client = IdFilter(field_name="client_id", label="Only records of this client's search.")

    class Meta:
        model = DeletedRecord
        fields = ["since", "updated_since", "type", "client"]


@extend_schema(tags=["deletions"])
class DeletionFeedViewSet(ApiViewSet, mixins.ListModelMixin):
    """Every deleted record the caller could see, newest first: drop what you hold under the
    same type and id. Sync with `?since=<the newest deleted_at you hold>&ordering=deleted_at`."""

    scope = Scope.UNSCOPED_ESCAPE_HATCH
    unscoped_reason = (
        "Tombstones outlive their client: `deleted_records_visible` scopes through "
        "coaching.access, plus the client's coach at the time of deletion."
    )
    model = DeletedRecord
    serializer_class = DeletedRecordSerializer
    filterset_class = DeletedRecordFilter
    ordering = ("-deleted_at",)
    ordering_fields = ("deleted_at",)

    def unscoped_rows(self) -> Any:
        return deleted_records_visible(actor=self.actor)


# ---- retention ---------------------------------------------------------------------------------


class RetentionSerializer(serializers.Serializer):
    landed_months = serializers.IntegerField(
        allow_null=True,
        min_value=1,
        max_value=MAX_MONTHS,
        help_text="Delete a landed search this many months after its landing day (after the "
        "usual 30-day grace period); null keeps landed searches (the default).",
    )


@extend_schema(tags=["deletions"])
class RetentionView(ApiView):
    """The practice's retention rule for ended searches (owner only)."""

    scope = Scope.PRACTICE_ADMIN

    @extend_schema(responses=RetentionSerializer)
    def get(self, request: Request) -> Response:
        months = RetentionPolicy.objects.values_list("landed_months", flat=True).first()
        return Response({"landed_months": months})

    @extend_schema(request=RetentionSerializer, responses=RetentionSerializer)
    def patch(self, request: Request) -> Response:
        data = self.valid(RetentionSerializer)
        policy = retention_set(actor=self.actor, landed_months=data["landed_months"])
        return Response({"landed_months": policy.landed_months})
