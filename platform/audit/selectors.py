"""The owner's reads of the audit log."""

from datetime import datetime

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from audit.models import AuditEvent


def audit_events(
    *, actor: User, action: str = "", since: datetime | None = None
) -> QuerySet[AuditEvent]:
    """Entries newest first; only owners read the log (anyone else: not found)."""
    if not actor.is_owner:
        raise Http404
    events = AuditEvent.objects.all()
    if action:
        events = events.filter(action=action)
    if since is not None:
        events = events.filter(at__gte=since)
    return events
