"""Practice settings over the API, owner only: members, invitations, API keys, the audit log."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.models import Invitation, Role, User
from accounts.services import (
    invitation_create,
    invitation_revoke,
    member_deactivate,
    member_reactivate,
    member_role_change,
)
from api.fields import AwareDateTimeField, MemberField
from api.serializers import ReadOnlyModelSerializer
from api.viewsets import ReadViewSet, Scope
from audit.actions import AuditAction
from audit.models import AuditEvent
from integrations.keys import api_key_create, api_key_revoke
from integrations.models import ApiKey, KeyScope
from tenants.provisioning import practice_url

INVITATION_STATUSES = [("pending", "Pending"), ("accepted", "Accepted"), ("revoked", "Revoked")]
INVITED_ROLES = [(Role.COACH.value, "Coach"), (Role.CLIENT.value, "Client")]


class MemberSerializer(ReadOnlyModelSerializer):
    class Meta:
        model = User
        fields = ("id", "email", "name", "role", "is_active", "date_joined")


class MemberRoleSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


@extend_schema(tags=["members"])
class MemberViewSet(ReadViewSet):
    """People in the practice: the owner, coaches and clients."""

    scope = Scope.PRACTICE_ADMIN
    model = User
    serializer_class = MemberSerializer
    ordering = ("-date_joined",)
    ordering_fields = ("date_joined", "email")
    filterset_fields = ("role", "is_active")

    @extend_schema(request=MemberRoleSerializer, responses=MemberSerializer)
    @action(detail=True, methods=["post"])
    def role(self, request: Request, pk: str) -> Response:
        """Make the member an owner, a coach or a client (the practice keeps an active owner)."""
        data = self.valid(MemberRoleSerializer)
        member = member_role_change(actor=self.actor, member=self.get_object(), role=data["role"])
        return self.respond(member)

    @extend_schema(request=None, responses=MemberSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request: Request, pk: str) -> Response:
        """Stop the member at once: their sessions end and API keys acting as them stop."""
        return self.respond(member_deactivate(actor=self.actor, member=self.get_object()))

    @extend_schema(request=None, responses=MemberSerializer)
    @action(detail=True, methods=["post"])
    def reactivate(self, request: Request, pk: str) -> Response:
        """Let a deactivated member sign in again."""
        return self.respond(member_reactivate(actor=self.actor, member=self.get_object()))


class InvitationSerializer(ReadOnlyModelSerializer):
    status = serializers.SerializerMethodField()

    class Meta:
        model = Invitation
        fields = (
            "id",
            "email",
            "name",
            "role",
            "coach",
            "invited_by",
            "status",
            "created_at",
            "accepted_at",
            "accepted_user",
            "revoked_at",
        )

    @extend_schema_field(serializers.ChoiceField(choices=INVITATION_STATUSES))
    def get_status(self, invitation: Invitation) -> str:
        if invitation.accepted_at is not None:
            return "accepted"
        return "revoked" if invitation.revoked_at is not None else "pending"


class InvitationCreateSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    role = serializers.ChoiceField(choices=INVITED_ROLES)
    name = serializers.CharField(required=False, allow_blank=True, default="", max_length=150)
    coach = MemberField(required=False, allow_null=True, help_text="For a client: their coach.")


@extend_schema(tags=["members"])
class InvitationViewSet(ReadViewSet):
    """Invitations to join the practice; the link goes to the invitee by email only."""

    scope = Scope.PRACTICE_ADMIN
    model = Invitation
    serializer_class = InvitationSerializer

    @extend_schema(request=InvitationCreateSerializer, responses={201: InvitationSerializer})
    def create(self, request: Request) -> Response:
        data = self.valid(InvitationCreateSerializer)
        invitation, _link = invitation_create(
            invited_by=self.actor,
            practice_url=practice_url(slug=request.tenant.slug or ""),  # type: ignore[attr-defined]
            **data,
        )
        return self.respond(invitation, status=201)

    @extend_schema(request=None, responses=InvitationSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str) -> Response:
        """Withdraw a pending invitation; its link stops working."""
        invitation = invitation_revoke(invitation=self.get_object(), actor=self.actor)
        return self.respond(invitation)


class ApiKeySerializer(ReadOnlyModelSerializer):
    id = serializers.CharField(source="prefix", read_only=True, help_text="The key's public id.")

    class Meta:
        model = ApiKey
        fields: tuple[str, ...] = (
            "id",
            "name",
            "scope",
            "acts_as",
            "created_by",
            "created",
            "last_used_at",
            "expiry_date",
            "revoked",
            "revoked_at",
        )


class NewApiKeySerializer(ApiKeySerializer):
    key = serializers.CharField(
        read_only=True,
        help_text="The secret: send it as `Authorization: Api-Key <key>`. Shown only now.",
    )

    class Meta(ApiKeySerializer.Meta):
        fields = (*ApiKeySerializer.Meta.fields, "key")


class ApiKeyCreateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50)
    scope = serializers.ChoiceField(choices=KeyScope.choices, default=KeyScope.READ)
    acts_as = MemberField(
        required=False,
        allow_null=True,
        help_text="The member the key acts as (default: you). It sees what they see.",
    )
    expiry_date = AwareDateTimeField(required=False, allow_null=True)


@extend_schema(tags=["api-keys"])
class ApiKeyViewSet(ReadViewSet):
    """API keys of this practice. Owner only; keys work only on this practice's host."""

    scope = Scope.PRACTICE_ADMIN
    model = ApiKey
    serializer_class = ApiKeySerializer
    lookup_field = "prefix"
    lookup_value_regex = "[A-Za-z0-9]+"
    ordering = ("-created",)
    ordering_fields = ("created",)
    filterset_fields = ("revoked", "scope")

    @extend_schema(request=ApiKeyCreateSerializer, responses={201: NewApiKeySerializer})
    def create(self, request: Request) -> Response:
        data = self.valid(ApiKeyCreateSerializer)
        api_key, secret = api_key_create(actor=self.actor, **data)
        api_key.key = secret  # type: ignore[attr-defined]
        return Response(NewApiKeySerializer(api_key).data, status=201)

    @extend_schema(request=None, responses=ApiKeySerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, prefix: str) -> Response:
        """Stop the key for good (it cannot be re-enabled)."""
        api_key = api_key_revoke(api_key=self.get_object(), actor=self.actor)
        return Response(ApiKeySerializer(api_key).data)


class AuditEventSerializer(ReadOnlyModelSerializer):
    action_label = serializers.SerializerMethodField(help_text="The action in words.")

    class Meta:
        model = AuditEvent
        fields = (
            "id",
            "at",
            "action",
            "action_label",
            "actor_id",
            "actor_label",
            "via",
            "object_type",
            "object_id",
            "object_label",
            "ip",
            "details",
        )

    def get_action_label(self, event: AuditEvent) -> str:
        return str(AuditAction(event.action).label) if event.action in AuditAction.values else ""


@extend_schema(tags=["audit"])
class AuditEventViewSet(ReadViewSet):
    """The practice's audit log, newest first. Owner only; append-only (no writes here)."""

    scope = Scope.PRACTICE_ADMIN
    model = AuditEvent
    serializer_class = AuditEventSerializer
    ordering = ("-at",)
    ordering_fields = ("at",)
    filterset_fields = {"action": ["exact"], "actor_id": ["exact"], "at": ["gte", "lt"]}
