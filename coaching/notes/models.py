"""A coach's session notes (private: never shown to the client) and the action items agreed
with the client in a session (the client sees and ticks them off on their Today)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from coaching.models import Client

NOTE_MAX_LENGTH = 20_000
ACTION_MAX_LENGTH = 300


class SessionNote(models.Model):
    """What the coach wrote down after (or during) a session with the client, for themselves and
    the practice's other coaches. Readable by the client's coach and the owner only."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="session_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    held_on = models.DateField(help_text="The day of the session, in the client's time zone.")
    body = models.TextField(max_length=NOTE_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-held_on", "-pk")
        indexes = [models.Index(fields=["client", "held_on"], name="session_note_client_day")]

    def __str__(self) -> str:
        return f"Session note of {self.held_on}"


class ActionItem(models.Model):
    """Something the client agreed to do, shown on their Today until they (or the coach) mark it
    done."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="action_items")
    text = models.CharField(max_length=ACTION_MAX_LENGTH)
    due_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("done_at", "due_on", "pk")
        indexes = [models.Index(fields=["client", "done_at"], name="action_item_client_done")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="action_item_text_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text
