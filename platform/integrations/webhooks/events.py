"""The events a practice can subscribe to. Names are a public contract, like failure codes."""

from django.db import models


class Event(models.TextChoices):
    CLIENT_STATUS_CHANGED = "client.status_changed", "A client's search status changed"
    FINDING_RAISED = "finding.raised", "A diagnostic finding was raised"
    FINDING_RESOLVED = "finding.resolved", "A diagnostic finding was resolved"
    INTRODUCTION_MADE = "introduction.made", "An introduction was made for a client"
    INTRODUCTION_OVERDUE = "introduction.overdue", "An introduction is waiting on the client"
    IMPORT_FINISHED = "import.finished", "A CSV import finished (succeeded or failed)"
    CLIENT_ARCHIVED = "client.archived", "A coach archived a client's search"
    CLIENT_RESTORED = "client.restored", "A coach restored an archived client's search"
    RECORD_DELETED = "record.deleted", "A record was deleted or removed (a contact, a search, …)"
    PING = "webhook.ping", "A test delivery sent on request"
