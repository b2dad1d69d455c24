"""Captured items over the API: exchanges captured from a client's LinkedIn archive or from mail
sent to their private address, waiting for the client's review (coaching.capture.review).

- `GET /captured/` (and `/captured/{id}/`): scoped like every client record (a client their
  own, a coach their clients', the owner all). Until the client confirms an item, anyone but the
  client sees that it exists, when and how, never with whom or about what (it may be personal).
- `POST /captured/review/`: the client leaves out the threads they name and confirms every other
  item waiting; confirmed items become interactions. Only the client may (403 for their coach or
  the owner, 404 for anyone who cannot see the client).
"""

from typing import Any

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api.fields import ScopedRelatedField
from api.filters import IdFilter
from api.serializers import ReadOnlyModelSerializer
from api.viewsets import ReadViewSet, Scope
from coaching.capture.models import CapturedInteraction, CaptureSource, ReviewState
from coaching.capture.review import capture_review
from coaching.models import Client

# What only the client sees of an item they have not confirmed.
PRIVATE_UNTIL_CONFIRMED = (
    "thread_key",
    "contact",
    "person_name",
    "person_email",
    "person_linkedin_url",
    "subject",
    "content",
)


class CapturedSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = CapturedInteraction
        fields = (
            "id",
            "client",
            "source",
            "state",
            "occurred_at",
            "channel",
            "direction",
            "kind",
            "thread_key",
            "contact",
            "person_name",
            "person_email",
            "person_linkedin_url",
            "subject",
            "content",
            "interaction",
            "captured_at",
            "decided_at",
        )
        extra_kwargs = {
            "thread_key": {
                "help_text": "The conversation or mail thread; name it in `leave_out` to leave "
                "the thread out. Empty for anyone but the client until the item is confirmed."
            },
            "contact": {
                "help_text": "The contact it is with; null while a new person is proposed."
            },
            "person_name": {"help_text": "The proposed new person (when `contact` is null)."},
            "subject": {"help_text": "Only when the practice keeps message text."},
            "content": {"help_text": "Only when the practice keeps message text."},
            "interaction": {"help_text": "The interaction it became once confirmed."},
        }

    def to_representation(self, instance: CapturedInteraction) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        viewer = self.context["request"].user
        if instance.state != ReviewState.CONFIRMED and instance.client.user_id != viewer.pk:
            for name in PRIVATE_UNTIL_CONFIRMED:
                data[name] = None if name == "contact" else ""
        return data


class CapturedFilter(filters.FilterSet):
    client = IdFilter(field_name="client_id", label="Only this client's items.")
    state = filters.ChoiceFilter(
        choices=ReviewState.choices,
        label="pending (waiting for the client), confirmed, or excluded (left out).",
    )
    source = filters.ChoiceFilter(choices=CaptureSource.choices)

    class Meta:
        model = CapturedInteraction
        fields = ["client", "state", "source"]


class CapturedReviewSerializer(serializers.Serializer):
    client = ScopedRelatedField(model=Client)
    leave_out = serializers.ListField(
        child=serializers.CharField(max_length=200),
        default=list,
        max_length=10_000,
        help_text="The `thread_key`s of the threads to leave out (they never count, and "
        "capturing them again adds nothing). Every other item waiting is confirmed.",
    )


class CapturedReviewResultSerializer(serializers.Serializer):
    confirmed = serializers.IntegerField(help_text="Items that became interactions.")
    left_out = serializers.IntegerField(help_text="Items left out.")
    people_created = serializers.IntegerField(help_text="New contacts made for new people.")
    not_usable = serializers.IntegerField(
        help_text="Items that could not become interactions (e.g. dated before the search)."
    )


@extend_schema(tags=["captured"])
class CapturedViewSet(ReadViewSet):
    """What was captured from the client's LinkedIn archive and forwarded mail."""

    scope = Scope.CLIENT_RECORDS
    model = CapturedInteraction
    serializer_class = CapturedSerializer
    filterset_class = CapturedFilter
    ordering = ("-occurred_at",)
    ordering_fields = ("occurred_at", "captured_at")

    def shape_queryset(self, rows: Any) -> Any:
        return rows.select_related("client")

    @extend_schema(request=CapturedReviewSerializer, responses=CapturedReviewResultSerializer)
    @action(detail=False, methods=["post"], filterset_class=None, pagination_class=None)
    def review(self, request: Request) -> Response:
        """The client's review: leave out the threads named, confirm every other item waiting."""
        data = self.valid(CapturedReviewSerializer)
        result = capture_review(
            client=data["client"], actor=self.actor, leave_out=data["leave_out"]
        )
        return Response(
            {
                "confirmed": result.confirmed,
                "left_out": result.left_out,
                "people_created": result.people_created,
                "not_usable": result.not_usable,
            }
        )
