"""One row per audited action. No foreign keys: the log outlives the people and records it
names, so it keeps the ids and a label as they were. Rows are never changed or deleted: a
database trigger (migration 0002) refuses UPDATE and DELETE, whatever code asks."""

from django.db import models
from django.utils import timezone

from audit.actions import AuditAction


class AuditEvent(models.Model):
    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=40, choices=AuditAction.choices)
    practice = models.CharField(max_length=63, help_text="The practice's schema when it happened.")
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_label = models.CharField(
        max_length=300, help_text="Who: a member's email, an API key, or Warmpath itself."
    )
    via = models.CharField(max_length=20, default="web", help_text="web, api or job.")
    object_type = models.CharField(max_length=40, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_label = models.CharField(max_length=300, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-at", "-id")
        indexes = [
            models.Index(fields=["-at", "-id"], name="audit_newest_first"),
            models.Index(fields=["action", "-at"], name="audit_by_action"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"
