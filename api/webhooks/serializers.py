import json
from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.serializers import ReadOnlyModelSerializer
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.webhooks.events import Event

SUBSCRIBABLE = [c for c in Event.choices if c[0] != Event.PING]


class EndpointSerializer(ReadOnlyModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=SUBSCRIBABLE), read_only=True
    )

    class Meta:
        model = WebhookEndpoint
        fields: tuple[str, ...] = (
            "id",
            "url",
            "description",
            "events",
            "is_active",
            "consecutive_failures",
            "disabled_at",
            "disabled_reason",
            "created_at",
            "updated_at",
        )


class EndpointWithSecretSerializer(EndpointSerializer):
    secret = serializers.CharField(
        read_only=True, help_text="Signs every delivery. Shown only when created or rotated."
    )

    class Meta(EndpointSerializer.Meta):
        fields = (*EndpointSerializer.Meta.fields, "secret")


class EndpointWriteSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500)
    events = serializers.ListField(child=serializers.ChoiceField(choices=SUBSCRIBABLE))
    description = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=200
    )


class EndpointUpdateSerializer(serializers.Serializer):
    url = serializers.CharField(max_length=500, required=False)
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=SUBSCRIBABLE), required=False
    )
    description = serializers.CharField(required=False, allow_blank=True, max_length=200)
    is_active = serializers.BooleanField(
        required=False, help_text="Turning a disabled endpoint back on clears its failure count."
    )


class AttemptSerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    response_code = serializers.IntegerField(allow_null=True)
    error = serializers.CharField(allow_blank=True)
    duration_ms = serializers.IntegerField()


class DeliverySerializer(ReadOnlyModelSerializer):
    payload = serializers.SerializerMethodField()
    log = AttemptSerializer(many=True, read_only=True)

    class Meta:
        model = WebhookDelivery
        fields = (
            "id",
            "endpoint",
            "event",
            "event_id",
            "status",
            "attempts",
            "response_code",
            "error",
            "log",
            "last_attempt_at",
            "next_attempt_at",
            "delivered_at",
            "redelivery_of",
            "payload",
            "created_at",
            "updated_at",
        )

    @extend_schema_field(
        {"type": "object", "additionalProperties": True, "description": "The body as sent."}
    )
    def get_payload(self, delivery: WebhookDelivery) -> Any:
        return json.loads(delivery.body)
