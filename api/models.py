"""API keys and idempotency records; both live in the practice's schema (a tenant app), so a key
simply does not exist on another practice's host. Webhook models are in `api.webhooks.models`."""

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager

from api.webhooks.models import WebhookDelivery, WebhookEndpoint


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
        constraints = [
            models.UniqueConstraint(fields=["actor", "key"], name="idempotency_one_per_actor_key")
        ]

    def __str__(self) -> str:
        return f"{self.key} ({self.method} {self.path})"


__all__ = ["ApiKey", "IdempotencyRecord", "KeyScope", "WebhookDelivery", "WebhookEndpoint"]
