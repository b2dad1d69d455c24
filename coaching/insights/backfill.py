"""Weekly snapshots for the past weeks of a search that arrived with history (an import): without
them the report's week-by-week table and the PDF would say "no weekly record" for every week
before the first nightly run.

`snapshots_backfill_for_client` fills each week from the one the search started in (at most
`TREND_WEEKS` back) up to the current one, each as of its Sunday (the current week as of today in
the client's zone), through `insights.services.weekly_snapshots_backfill`: a week that already
holds a later day is kept. `connect()` runs it whenever an import into a client finishes
successfully (the `import.finished` domain event, inside the import's transaction, in a
savepoint of its own: a failed backfill is logged and never undoes the import or its webhooks).
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from coaching.choices import ImportStatus
from coaching.events import domain_event
from coaching.insights.reports import TREND_WEEKS, monday_of
from coaching.insights.services import SnapshotRun, weekly_snapshots_backfill
from coaching.models import Client
from coaching.timezones import local_date

logger = logging.getLogger(__name__)


def snapshots_backfill_for_client(
    *, client_id: int, now: datetime | None = None
) -> SnapshotRun | None:
    """Fill the client's past weeks (a system task: no acting user). None for a client that no
    longer exists or whose search has not started."""
    client = Client.objects.filter(pk=client_id).only("time_zone", "search_started_on").first()
    if client is None:
        return None
    today = local_date(at=now or timezone.now(), tz=client.time_zone)
    if client.search_started_on > today:
        return None
    weeks = (monday_of(today) - monday_of(client.search_started_on)).days // 7 + 1
    return weekly_snapshots_backfill(
        as_of=today, weeks=min(weeks, TREND_WEEKS), client_ids=[client_id]
    )


def _on_event(*, event: str, payload: dict[str, Any], **_: Any) -> None:
    if event != "import.finished" or payload.get("status") != ImportStatus.SUCCEEDED:
        return
    client_id = payload.get("client")
    if not isinstance(client_id, int):
        return
    try:
        with transaction.atomic():
            snapshots_backfill_for_client(client_id=client_id)
    except Exception:
        logger.exception("weekly snapshots of client %s not backfilled after an import", client_id)


def connect() -> None:
    domain_event.connect(_on_event, dispatch_uid="insights.backfill")
