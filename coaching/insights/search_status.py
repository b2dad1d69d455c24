"""A client's search status (stalled / slowing / active / landed) as the API shows it: computed on
read from the same cached summaries as the coach dashboard (`insights.summaries`), so both always
agree, and cached by the client's data version (nothing waits for the nightly run).

Not to be confused with the client's record status (`Client.status`: active / paused / landed),
which the coach sets by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from accounts.models import User
from coaching.diagnostics.status import SearchStatus
from coaching.insights.reports import report_readable
from coaching.insights.summaries import Versioned, summaries_for, with_versions
from coaching.selectors import client_list

SEARCH_STATUSES = tuple(status.value for status in SearchStatus)


@dataclass(frozen=True, slots=True)
class SearchStatusRead:
    status: str | None
    """None only for a client reading their own record before the coach shared the report."""
    as_of: date | None
    """The client's own today (in their zone): the day the status is for."""


def search_statuses(
    *, actor: User, clients: Sequence[Versioned], now: datetime | None = None
) -> dict[int, SearchStatusRead]:
    """Each client's search status, from the dashboard's cached summaries (a cache round trip;
    the clients whose data changed are diagnosed together in a fixed number of queries).
    `clients` come from `with_versions` (models) or `VersionedRow.of` (plain values)."""
    readable = [c for c in clients if report_readable(actor=actor, client=c)]
    summaries = summaries_for(actor=actor, clients=readable, now=now)
    hidden = SearchStatusRead(status=None, as_of=None)
    return {
        c.pk: (
            SearchStatusRead(summaries[c.pk].status, date.fromisoformat(summaries[c.pk].as_of))
            if c.pk in summaries
            else hidden
        )
        for c in clients
    }


def client_ids_with_search_status(
    *, actor: User, status: str, now: datetime | None = None
) -> list[int]:
    """The clients the actor may see whose search status is `status` (`?search_status=`): one
    query for the clients and their versions, then the cached summaries."""
    if status not in SEARCH_STATUSES:
        raise ValueError(f"{status!r} is not a search status; use one of {SEARCH_STATUSES}.")
    clients = list(with_versions(client_list(actor=actor)))
    statuses = search_statuses(actor=actor, clients=clients, now=now)
    return sorted(pk for pk, read in statuses.items() if read.status == status)
