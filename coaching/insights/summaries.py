"""What the coach dashboard shows about each client, computed by the diagnostics engine and
cached until that client's search changes.

Every write to a search goes through a `coaching.services` function that appends an
`ActivityEvent`, so the newest event id is a cheap version number for the client's records. A
summary is cached under (client, "as of" day, that version, the thresholds in force); a dashboard
render is then one query for the clients with their versions plus one cache round trip, and only
the clients that changed are diagnosed again, their snapshots loaded together in a fixed number
of queries (`coaching.insights.loader`).

The cache is only a shortcut: with Redis unreachable every summary is computed from the database
(slower, same result) and nothing is stored, with a warning in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from django.core.cache import cache
from django.db.models import OuterRef, QuerySet, Subquery
from django.utils import timezone
from redis.exceptions import RedisError

from accounts.models import User
from coaching.diagnostics import Diagnosis
from coaching.diagnostics.findings import Finding
from coaching.diagnostics.funnel import STAGES, FunnelRow
from coaching.insights.loader import searches_load
from coaching.insights.models import PracticeDiagnosticsSettings
from coaching.insights.reports import diagnose_search
from coaching.models import ActivityEvent, Client
from coaching.timezones import local_date

logger = logging.getLogger(__name__)

CACHE_VERSION = "5"
CACHE_SECONDS = 60 * 60 * 24 * 8


@dataclass(frozen=True, slots=True)
class TopFinding:
    code: str
    title: str
    severity: str
    fault: str
    sentence: str


@dataclass(frozen=True, slots=True)
class ClientSummary:
    """Plain data only (it lives in the cache, pickled)."""

    client_id: int
    as_of: str
    status: str
    status_reason: str
    days_without_progress: int
    last_progress_on: str | None
    top_finding: TopFinding | None
    critical: int
    warning: int
    info: int
    open_codes: tuple[str, ...]
    outreach_this_week: int
    weekly_goal: int
    average_last_4_weeks: float
    weeks: tuple[tuple[str, tuple[tuple[str, int], ...]], ...]
    """(Monday, ((channel, distinct contacts), ...)) for the last 12 weeks."""
    funnel_rows: tuple[tuple[int, tuple[str | None, ...]], ...]
    """(stages reached, the day each stage was reached) per introduction."""
    hygiene: tuple[tuple[str, int, int], ...]
    """(figure, numerator, denominator)."""
    over_followed_up: int
    intros_waiting: int
    """Introductions (and forwarded resumes) waiting for the client's call (`obligations`)."""
    intro_warning_days: int
    thanks_days: int
    """The deadlines the hygiene figures were judged by (the client's thresholds in force)."""

    @property
    def open_findings(self) -> int:
        return self.critical + self.warning + self.info

    @property
    def goal_share(self) -> float:
        return min(1.0, self.outreach_this_week / self.weekly_goal) if self.weekly_goal else 1.0


def summarize(*, diagnosis: Diagnosis) -> ClientSummary:
    counting = [f for f in diagnosis.findings if f.counts]
    top: Finding | None = counting[0] if counting else None
    outreach = diagnosis.figures.outreach
    hygiene = diagnosis.figures.hygiene
    return ClientSummary(
        client_id=diagnosis.client_id,
        as_of=diagnosis.as_of.isoformat(),
        status=str(diagnosis.status.status),
        status_reason=diagnosis.status.reason,
        days_without_progress=diagnosis.status.days_without_progress,
        last_progress_on=_iso(diagnosis.status.last_progress_on),
        top_finding=(
            TopFinding(
                code=top.code,
                title=top.title,
                severity=str(top.severity),
                fault=str(top.fault),
                sentence=top.measure.sentence,
            )
            if top
            else None
        ),
        critical=diagnosis.counts.critical,
        warning=diagnosis.counts.warning,
        info=diagnosis.counts.info,
        open_codes=diagnosis.open_codes,
        outreach_this_week=outreach.weeks[-1].contacts if outreach.weeks else 0,
        weekly_goal=outreach.goal,
        average_last_4_weeks=outreach.average_last_4_weeks,
        weeks=tuple((w.week_start.isoformat(), w.by_channel) for w in outreach.weeks),
        funnel_rows=tuple(
            (row.reached, tuple(_iso(d) for d in row.days)) for row in diagnosis.figures.funnel_rows
        ),
        hygiene=(
            ("follow_ups_on_time", *_ratio(hygiene.follow_ups_on_time)),
            ("introductions_acted_on_in_time", *_ratio(hygiene.introductions_acted_on_in_time)),
            ("meetings_thanked_in_time", *_ratio(hygiene.meetings_thanked_in_time)),
            ("outcomes_reported", *_ratio(hygiene.outcomes_reported)),
        ),
        over_followed_up=hygiene.over_followed_up_contacts,
        intros_waiting=len(diagnosis.obligations.waiting_calls),
        intro_warning_days=diagnosis.thresholds.intro_warning_days,
        thanks_days=diagnosis.thresholds.thanks_days,
    )


def _days(values: set[int]) -> str:
    """ "2 days" when every client has the same deadline, else "each client's deadline"."""
    if len(values) == 1:
        (n,) = values
        return f"{n} day{'' if n == 1 else 's'}"
    return "each client's deadline"


def hygiene_labels(*, intro_days: set[int], thanks_days: set[int]) -> dict[str, str]:
    """The hygiene figures' names, with the deadlines they were judged by (thresholds, never a
    constant): the dashboard, the client page and the PDF say the same."""
    return {
        "follow_ups_on_time": "Follow-ups done on time",
        "introductions_acted_on_in_time": f"Introductions acted on within {_days(intro_days)}",
        "meetings_thanked_in_time": f"Meetings thanked within {_days(thanks_days)}",
        "outcomes_reported": "Outcomes reported to introducers",
    }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _ratio(ratio: Any) -> tuple[int, int]:
    return ratio.numerator, ratio.denominator


def with_versions(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Annotate each client with the id of their newest activity event (their data version;
    the coach's decisions on findings are logged there too) and when the practice's thresholds
    last changed."""
    newest = ActivityEvent.objects.filter(client=OuterRef("pk")).order_by("-pk").values("pk")[:1]
    practice = PracticeDiagnosticsSettings.objects.values("updated_at")[:1]
    return clients.annotate(data_version=Subquery(newest), settings_version=Subquery(practice))


class Versioned(Protocol):
    """What a summary's cache key is made of: a `Client` from `with_versions`, or a
    `VersionedRow` built from a list's plain values."""

    @property
    def pk(self) -> Any: ...
    @property
    def time_zone(self) -> str: ...
    @property
    def updated_at(self) -> datetime: ...
    @property
    def report_shared_with_client(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class VersionedRow:
    """A client read as plain values (the API's list): enough to find their cached summary."""

    pk: int
    time_zone: str
    updated_at: datetime
    data_version: int | None
    settings_version: datetime | None
    report_shared_with_client: bool = False

    @classmethod
    def of(cls, row: Mapping[str, Any]) -> VersionedRow:
        return cls(
            pk=row["id"],
            time_zone=row["time_zone"],
            updated_at=row["updated_at"],
            data_version=row["data_version"],
            settings_version=row["settings_version"],
            report_shared_with_client=row["report_shared_with_client"],
        )


def _cache_key(client: Versioned, as_of: date) -> str:
    version = getattr(client, "data_version", None) or 0
    settings = getattr(client, "settings_version", None)
    stamps = f"{client.updated_at.timestamp()}:{settings.timestamp() if settings else 0}"
    return f"insights:summary:{CACHE_VERSION}:{client.pk}:{as_of}:{version}:{stamps}"


def client_as_of(client: Versioned, *, now: datetime, as_of: date | None = None) -> date:
    """The "as of" day in the client's own zone (capped at their today)."""
    today = local_date(at=now, tz=client.time_zone)
    return min(as_of, today) if as_of else today


def summaries_for(
    *,
    actor: User,
    clients: Sequence[Versioned],
    now: datetime | None = None,
    as_of: date | None = None,
) -> dict[int, ClientSummary]:
    """A summary per client, from the cache where the client's data has not changed; the rest
    are loaded together (`coaching.insights.loader`, a fixed number of queries) and diagnosed.

    `clients` should come through `with_versions` (otherwise nothing is served from the cache).
    """
    now = now or timezone.now()
    days = {c.pk: client_as_of(c, now=now, as_of=as_of) for c in clients}
    keys = {c.pk: _cache_key(c, days[c.pk]) for c in clients}
    cached = _cached(list(keys.values()))
    result: dict[int, ClientSummary] = {}
    missing: list[int] = []
    for client in clients:
        summary = cached.get(keys[client.pk])
        if isinstance(summary, ClientSummary):
            result[client.pk] = summary
        else:
            missing.append(client.pk)
    if missing:
        fresh = {}
        for search in searches_load(actor=actor, client_ids=missing):
            diagnosis = diagnose_search(search=search, as_of=days[search.client.pk])
            fresh[search.client.pk] = summarize(diagnosis=diagnosis)
        _store({keys[pk]: summary for pk, summary in fresh.items()})
        result.update(fresh)
    return result


def _cached(keys: list[str]) -> dict[str, ClientSummary]:
    if not keys:
        return {}
    try:
        found: dict[str, ClientSummary] = cache.get_many(keys)
    except RedisError as exc:
        logger.warning("summary cache unreachable, computing %s summaries: %r", len(keys), exc)
        return {}
    return found


def _store(summaries: dict[str, ClientSummary]) -> None:
    try:
        cache.set_many(summaries, CACHE_SECONDS)
    except RedisError as exc:
        logger.warning("summary cache unreachable, %s summaries not kept: %r", len(summaries), exc)


def funnel_rows_of(summaries: Iterable[ClientSummary]) -> list[FunnelRow]:
    """The cached funnel rows of many clients, ready for `summarize_funnel`."""
    rows = []
    for summary in summaries:
        for n, (reached, days) in enumerate(summary.funnel_rows):
            rows.append(
                FunnelRow(
                    client_id=summary.client_id,
                    introduction_id=n,
                    introducer_id=0,
                    days=tuple(date.fromisoformat(d) if d else None for d in days),
                    reached=reached,
                )
            )
    assert all(len(r.days) == len(STAGES) for r in rows)
    return rows
