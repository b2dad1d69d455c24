"""What a practice's integrations keep: API keys, remembered API answers (idempotency), webhook
endpoints and the log of every delivery. All live in the practice's schema (a tenant app), so a
key or an endpoint simply does not exist on another practice's host.

The tables are the `api` app's (app label "api", its migrations in api/migrations): the classes
moved here so that pages, the API and jobs share them without importing each other, and a move
of code needs no data migration.
"""

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager

APP_LABEL = "api"


class KeyScope(models.TextChoices):
    READ = "read", "Read only"
    READ_WRITE = "read_write", "Read and write"


class ApiKey(AbstractAPIKey):
    """A named key for an integration. The secret is shown once and stored as a SHA-512 hash
    (djangorestframework-api-key); `prefix` is its public id. The key acts as `acts_as`: it
    sees and may change exactly what that member may, never more."""

    scope = models.CharField(max_length=16, choices=KeyScope.choices, default=KeyScope.READ)
    acts_as = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_keys"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[APIKeyManager] = APIKeyManager()

    class Meta(AbstractAPIKey.Meta):
        app_label = APP_LABEL
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope__in=KeyScope.values), name="api_key_scope_valid"
            ),
        ]

    @property
    def can_write(self) -> bool:
        return self.scope == KeyScope.READ_WRITE


class IdempotencyRecord(models.Model):
    """A POST made with an `Idempotency-Key` header and the response it produced, so that a
    retry of the same request replays the response instead of creating twice."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=500)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        app_label = APP_LABEL
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="idempotency_one_per_actor_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.method} {self.path})"


class WebhookEndpoint(models.Model):
    url = models.URLField(max_length=500)
    description = models.CharField(max_length=200, blank=True)
    events = models.JSONField(default=list)  # event names, see integrations.webhooks.events
    # Signs every delivery (HMAC-SHA256); shown once when created or rotated.
    secret = models.CharField(max_length=200)
    is_active = models.BooleanField(default=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        app_label = APP_LABEL

    def __str__(self) -> str:
        return self.url


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Pending"  # queued, or waiting for its next retry
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"  # every attempt failed


class WebhookDelivery(models.Model):
    """One event sent to one endpoint, with every attempt. `body` is the exact JSON sent, so a
    re-send carries the same bytes (and the same event id) under a fresh signature."""

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(max_length=64)
    event_id = models.UUIDField(default=uuid.uuid4, db_index=True)
    body = models.TextField()
    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    # [{"at", "response_code", "error", "duration_ms"}], one per attempt
    log = models.JSONField(default=list, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    redelivery_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="redeliveries"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        app_label = APP_LABEL
        verbose_name_plural = "webhook deliveries"
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="webhook_delivery_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["endpoint", "created_at"], name="webhook_delivery_time")]

    def __str__(self) -> str:
        return f"{self.event} -> {self.endpoint_id} ({self.status})"
