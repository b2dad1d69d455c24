"""Owner-only endpoints for webhook endpoints and their delivery log."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from api import filters
from api.viewsets import ReadViewSet, Scope
from api.webhooks.serializers import (
    DeliverySerializer,
    EndpointSerializer,
    EndpointUpdateSerializer,
    EndpointWithSecretSerializer,
    EndpointWriteSerializer,
)
from integrations.models import WebhookDelivery, WebhookEndpoint
from integrations.webhooks import services


@extend_schema(tags=["webhooks"])
class WebhookEndpointViewSet(ReadViewSet):
    """Where this practice's events are sent; each delivery is signed with the endpoint's
    secret (see docs/api.md for how to verify)."""

    scope = Scope.PRACTICE_ADMIN
    model = WebhookEndpoint
    serializer_class = EndpointSerializer

    @extend_schema(request=EndpointWriteSerializer, responses={201: EndpointWithSecretSerializer})
    def create(self, request: Request) -> Response:
        endpoint = services.endpoint_create(actor=self.actor, **self.valid(EndpointWriteSerializer))
        return Response(EndpointWithSecretSerializer(endpoint).data, status=201)

    @extend_schema(request=EndpointUpdateSerializer, responses=EndpointSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        endpoint = services.endpoint_update(
            actor=self.actor, endpoint=self.get_object(), data=self.valid(EndpointUpdateSerializer)
        )
        return self.respond(endpoint)

    @extend_schema(responses={204: None})
    def destroy(self, request: Request, pk: str) -> Response:
        services.endpoint_remove(actor=self.actor, endpoint=self.get_object())
        return Response(status=204)

    @extend_schema(request=None, responses=EndpointWithSecretSerializer)
    @action(detail=True, methods=["post"], url_path="rotate-secret")
    def rotate_secret(self, request: Request, pk: str) -> Response:
        """A new signing secret, effective for deliveries sent from now on."""
        endpoint = services.endpoint_rotate_secret(actor=self.actor, endpoint=self.get_object())
        return Response(EndpointWithSecretSerializer(endpoint).data)

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(detail=True, methods=["post"])
    def ping(self, request: Request, pk: str) -> Response:
        """Send a `webhook.ping` delivery to this endpoint now."""
        delivery = services.endpoint_ping(endpoint=self.get_object())
        return Response(DeliverySerializer(delivery).data, status=202)


@extend_schema(tags=["webhooks"])
class WebhookDeliveryViewSet(ReadViewSet):
    """Every delivery with its attempts: status, response code, error, timing."""

    scope = Scope.PRACTICE_ADMIN
    model = WebhookDelivery
    serializer_class = DeliverySerializer
    filterset_class = filters.DeliveryFilter

    @extend_schema(request=None, responses={202: DeliverySerializer})
    @action(detail=True, methods=["post"])
    def redeliver(self, request: Request, pk: str) -> Response:
        """Send this event to its endpoint again (same body and event id, fresh signature)."""
        again = services.delivery_redeliver(delivery=self.get_object())
        return Response(DeliverySerializer(again).data, status=202)
