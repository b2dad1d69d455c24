"""Archiving a client whose search is over (landed) or abandoned, and restoring one.

An archived search is never active: archiving an active one pauses it (the timeline says so),
so it takes no paid seat (billing counts active clients), and every reminder, digest and
calendar feed that reads active searches skips it. It leaves the coach's dashboard and the
applications board across clients (a filter shows it), the nightly diagnosis passes it by, and
its client reads the portal but writes nothing (`coaching.access.ensure_can_write`). The coach
keeps every record and may still correct them. Restoring clears the mark and leaves the status
as it was (paused or landed): the coach resumes the search with the status, which checks seats.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.access import ensure_can_coach
from coaching.choices import ClientStatus
from coaching.events import client_archive_announce
from coaching.models import Client
from coaching.services.activity import activity_record, apply_changes, save_changes
from coaching.validation import Errors


def _lock(client: Client) -> None:
    """Lock the row and read its archive mark and status afresh (two requests at once)."""
    Client.objects.select_for_update().filter(pk=client.pk).values_list("pk").get()
    client.refresh_from_db(fields=["archived_at", "status"])


@transaction.atomic
def client_archive(*, client: Client, actor: User, now: datetime | None = None) -> Client:
    """Archive the search (coach or owner). An active search is paused first."""
    now = now or timezone.now()
    ensure_can_coach(actor=actor, client=client)
    _lock(client)
    errors = Errors()
    if client.archived_at is not None:
        errors.add("archived_at", "This client is already archived.")
    errors.raise_if_any()
    status = ClientStatus.PAUSED if client.status == ClientStatus.ACTIVE else client.status
    changed, diff = apply_changes(client, {"archived_at": now, "status": status})
    save_changes(client, changed)
    activity_record(client=client, actor=actor, verb="client.archived", subject=client,
                    changes=diff, at=now)  # fmt: skip
    client_archive_announce(event="client.archived", client=client, at=now)
    return client


@transaction.atomic
def client_restore(*, client: Client, actor: User, now: datetime | None = None) -> Client:
    """Bring an archived search back (coach or owner), as paused or landed as it was."""
    now = now or timezone.now()
    ensure_can_coach(actor=actor, client=client)
    _lock(client)
    errors = Errors()
    if client.archived_at is None:
        errors.add("archived_at", "This client is not archived.")
    errors.raise_if_any()
    changed, diff = apply_changes(client, {"archived_at": None})
    save_changes(client, changed)
    activity_record(client=client, actor=actor, verb="client.restored", subject=client,
                    changes=diff, at=now)  # fmt: skip
    client_archive_announce(event="client.restored", client=client, at=now)
    return client
