"""What capture keeps: the practice's capture settings, each client's private inbound
addresses, inbound mail waiting for the worker, and captured exchanges waiting for review.

Every per-client row has a `client` foreign key, so `coaching.access.scoped` limits it like any
other record of a search.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from coaching.choices import Channel, Direction, HowMet, InteractionKind
from coaching.models import Client, Contact, ImportJob, Interaction, Meeting


class CaptureSettings(models.Model):
    """The practice's choices for capture: one row per practice (each practice is a schema)."""

    singleton = models.BooleanField(default=True, unique=True, editable=False)
    # Off: message text (LinkedIn messages, mail bodies, invitation notes, subjects) is read
    # to find who and when, and never stored.
    store_message_content = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = "capture settings"
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="capture_settings_singleton")
        ]

    def __str__(self) -> str:
        return f"Capture settings (content {'kept' if self.store_message_content else 'not kept'})"


class CaptureSource(models.TextChoices):
    LINKEDIN_ARCHIVE = "linkedin_archive", "LinkedIn archive"
    MAIL = "mail", "Forwarded email"
    CALENDAR = "calendar", "Calendar"


class ReviewState(models.TextChoices):
    PENDING = "pending", "Waiting for the client"
    CONFIRMED = "confirmed", "Confirmed"
    EXCLUDED = "excluded", "Left out by the client"


class CapturedInteraction(models.Model):
    """One exchange with one person, captured from an archive or a mail, pending until the
    client confirms it (then `interaction` is the record the coach sees) or leaves it out.

    `key` is stable across captures (a LinkedIn message, a Message-ID and counterpart), so
    capturing the same thing again finds the row, whatever its state, and adds nothing.
    """

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="captured")
    source = models.CharField(max_length=24, choices=CaptureSource)
    key = models.CharField(max_length=200)
    thread_key = models.CharField(max_length=200, blank=True)  # a conversation or mail thread
    # The person: a contact of the client, or a new person proposed (created on confirmation).
    contact = models.ForeignKey(
        Contact, on_delete=models.CASCADE, null=True, blank=True, related_name="captured"
    )
    person_name = models.CharField(max_length=200, blank=True)
    person_email = models.EmailField(blank=True)
    person_linkedin_url = models.URLField(max_length=300, blank=True)
    person_how_met = models.CharField(max_length=16, choices=HowMet, default=HowMet.OTHER)
    occurred_at = models.DateTimeField()
    channel = models.CharField(max_length=16, choices=Channel)
    direction = models.CharField(max_length=16, choices=Direction)
    kind = models.CharField(max_length=24, choices=InteractionKind)
    # An inbound reply: the client's message it answers (marked replied once both count).
    answers = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="answered_by"
    )
    subject = models.CharField(max_length=300, blank=True)  # only when content is kept
    content = models.TextField(blank=True)  # only when content is kept
    state = models.CharField(max_length=16, choices=ReviewState, default=ReviewState.PENDING)
    interaction = models.OneToOneField(
        Interaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="captured_from"
    )
    import_job = models.ForeignKey(
        ImportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    captured_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="captured_unique_key"),
            models.CheckConstraint(
                condition=Q(contact__isnull=False) | ~Q(person_name=""),
                name="captured_has_a_person",
            ),
            models.CheckConstraint(
                condition=Q(state__in=ReviewState.values), name="captured_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(source__in=CaptureSource.values), name="captured_source_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["client", "occurred_at"],
                condition=Q(state="pending"),
                name="captured_client_pending",
            ),
            models.Index(fields=["client", "thread_key"], name="captured_client_thread"),
        ]

    def __str__(self) -> str:
        return (
            f"Captured {self.direction} {self.channel} {self.occurred_at:%Y-%m-%d} ({self.state})"
        )


class CapturedEvent(models.Model):
    """A calendar event (one occurrence of a recurring one) already turned into a meeting, by
    its stable key (UID, and the occurrence's start), with the last SEQUENCE applied."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="captured_events")
    key = models.CharField(max_length=300)
    sequence = models.IntegerField(default=0)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    captured_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "key"], name="captured_event_unique_key")
        ]

    def __str__(self) -> str:
        return f"Captured event {self.key}"


class InboundAddress(models.Model):
    """A client's private address for forwarded and BCC'd mail: `log+<token>@<practice's
    inbound domain>`. The token is `secret` plus a MAC bound to this practice and to
    Purpose.INBOUND_MAIL (`coaching.capture.addresses`); revoking the row kills the address."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="inbound_addresses")
    secret = models.CharField(max_length=32, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["client", "revoked_at"], name="inbound_address_client")]

    def __str__(self) -> str:
        return f"Inbound address {self.pk} ({'revoked' if self.revoked_at else 'live'})"


class InboundMailStatus(models.TextChoices):
    QUEUED = "queued", "Waiting"
    DONE = "done", "Read"
    FAILED = "failed", "Could not be read"


class InboundMail(models.Model):
    """One message received for a client (by SMTP or the provider endpoint): the job row. The
    raw message is kept only until the worker has read it (then emptied: attachments and
    bodies are never stored); `message_id` makes a redelivery a no-op."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="inbound_mail")
    address = models.ForeignKey(
        InboundAddress, on_delete=models.SET_NULL, null=True, related_name="mail"
    )
    message_id = models.CharField(max_length=500)
    via = models.CharField(max_length=8)  # "smtp" or "https"
    raw = models.BinaryField(default=bytes)
    status = models.CharField(
        max_length=8, choices=InboundMailStatus, default=InboundMailStatus.QUEUED
    )
    summary = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client", "message_id"], name="inbound_mail_once"),
            models.CheckConstraint(
                condition=Q(status__in=InboundMailStatus.values), name="inbound_mail_status_valid"
            ),
        ]
        indexes = [
            models.Index(
                fields=["status", "updated_at"],
                condition=Q(status="queued"),
                name="inbound_mail_waiting",
            )
        ]

    def __str__(self) -> str:
        return f"Inbound mail {self.pk} ({self.status})"
