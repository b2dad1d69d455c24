"""The coach dashboard: every client the actor may see, at a glance, exceptions first, with the
practice-wide charts. A fixed number of queries whatever the number of clients (the summaries are
cached per client: `insights.summaries`). Archived searches are left out of the rows, counts and
charts; `Filters.archived` lists them instead."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.utils import timezone

from accounts.models import User
from coaching.diagnostics.funnel import STAGES, summarize_funnel
from coaching.insights.summaries import (
    ClientSummary,
    funnel_rows_of,
    hygiene_labels,
    summaries_for,
    with_versions,
)
from coaching.models import Client
from coaching.selectors import client_list

STATUSES = ("stalled", "slowing", "active", "landed")
SORTS = {
    "attention": "Needs attention first",
    "name": "Name",
    "quiet": "Days without progress",
    "outreach": "Outreach against goal",
    "waiting": "Introductions waiting",
}
HYGIENE_FIGURES = (
    "follow_ups_on_time",
    "introductions_acted_on_in_time",
    "meetings_thanked_in_time",
    "outcomes_reported",
)
STAGE_LABELS = {
    "requested": "Requested",
    "made": "Made",
    "contacted": "Client made contact",
    "meeting": "Meeting held",
    "hiring_authority": "Reached a hiring authority",
    "interview": "Interview",
    "offer": "Offer",
}


@dataclass(frozen=True, slots=True)
class Row:
    client: Client
    summary: ClientSummary

    @property
    def name(self) -> str:
        return self.client.user.name or self.client.user.email

    @property
    def goal_percent(self) -> int:
        return round(100 * self.summary.goal_share)

    @property
    def more_findings(self) -> int:
        return max(0, self.summary.open_findings - 1)

    @property
    def attention(self) -> tuple[int, int, int, str]:
        """Exceptions first: stalled, slowing, then open critical and warning findings."""
        s = self.summary
        rank = {"stalled": 0, "slowing": 1, "active": 2, "landed": 4}.get(s.status, 3)
        if s.status == "active" and not (s.critical or s.warning):
            rank = 3
        return (rank, -s.critical, -s.days_without_progress, self.client.user.name.casefold())


@dataclass(frozen=True, slots=True)
class Filters:
    status: str = ""
    q: str = ""
    coach: int | None = None
    sort: str = "attention"
    archived: bool = False  # the archived searches instead of the working ones

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        status = query.get("status", "")
        sort = query.get("sort", "attention")
        coach = query.get("coach", "")
        return cls(
            status=status if status in STATUSES else "",
            q=query.get("q", "").strip()[:100],
            coach=int(coach) if coach.isdigit() else None,
            sort=sort if sort in SORTS else "attention",
            archived=query.get("archived", "") in ("1", "on", "true"),
        )


@dataclass
class Dashboard:
    rows: list[Row]
    total: int
    by_status: dict[str, int]
    charts: dict[str, Any]
    coaches: list[User] = field(default_factory=list)
    archived: int = 0  # archived searches the actor may see (off the working list)


def _sorted(rows: list[Row], sort: str) -> list[Row]:
    if sort == "name":
        return sorted(rows, key=lambda r: r.client.user.name.casefold())
    if sort == "quiet":
        return sorted(rows, key=lambda r: (-r.summary.days_without_progress, r.attention))
    if sort == "outreach":
        return sorted(rows, key=lambda r: (r.summary.goal_share, r.attention))
    if sort == "waiting":
        return sorted(rows, key=lambda r: (-r.summary.intros_waiting, r.attention))
    return sorted(rows, key=lambda r: r.attention)


def _matches(row: Row, filters: Filters) -> bool:
    if filters.status and row.summary.status != filters.status:
        return False
    if filters.coach is not None and row.client.coach_id != filters.coach:
        return False
    if filters.q:
        needle = filters.q.casefold()
        user = row.client.user
        haystack = f"{user.name} {user.email} {row.client.headline}".casefold()
        return needle in haystack
    return True


def dashboard(
    *, actor: User, filters: Filters, now: datetime | None = None, as_of: date | None = None
) -> Dashboard:
    now = now or timezone.now()
    everyone = list(with_versions(client_list(actor=actor)))
    archived = [c for c in everyone if c.archived_at is not None]
    clients = archived if filters.archived else [c for c in everyone if c.archived_at is None]
    summaries = summaries_for(actor=actor, clients=clients, now=now, as_of=as_of)
    every = [Row(client=c, summary=summaries[c.pk]) for c in clients]
    shown = _sorted([r for r in every if _matches(r, filters)], filters.sort)
    by_status = Counter(r.summary.status for r in every)
    coaches = sorted(
        {r.client.coach_id: r.client.coach for r in every}.values(), key=lambda u: u.name
    )
    return Dashboard(
        rows=shown,
        total=len(every),
        by_status={s: by_status.get(s, 0) for s in STATUSES},
        charts=charts([r.summary for r in every]),
        coaches=coaches if actor.is_owner and len(coaches) > 1 else [],
        archived=len(archived),
    )


def charts(summaries: list[ClientSummary]) -> dict[str, Any]:
    """Chart.js-ready data for outreach per week by channel, the funnel and hygiene."""
    weekly: dict[str, Counter[str]] = defaultdict(Counter)
    for summary in summaries:
        for week, channels in summary.weeks:
            weekly[_monday(week)].update(dict(channels))
    weeks = sorted(weekly)[-12:]
    names = sorted({c for counter in weekly.values() for c in counter})
    funnel = summarize_funnel(rows=funnel_rows_of(summaries))
    labels = hygiene_labels(
        intro_days={s.intro_warning_days for s in summaries} or {2},
        thanks_days={s.thanks_days for s in summaries} or {2},
    )
    hygiene: dict[str, list[int]] = {name: [0, 0] for name in HYGIENE_FIGURES}
    for summary in summaries:
        for name, numerator, denominator in summary.hygiene:
            hygiene[name][0] += numerator
            hygiene[name][1] += denominator
    return {
        "outreach": {
            "labels": weeks,
            "datasets": [
                {"label": channel, "data": [weekly[w].get(channel, 0) for w in weeks]}
                for channel in names
            ],
            "rows": [{"week": w, "counts": [weekly[w].get(c, 0) for c in names]} for w in weeks],
        },
        "funnel": {
            "labels": [STAGE_LABELS[s] for s in STAGES],
            "counts": [stage.count for stage in funnel.stages],
            "conversion": [stage.conversion for stage in funnel.stages],
            "median_days": [stage.median_days for stage in funnel.stages],
            "stages": [
                {
                    "label": STAGE_LABELS[stage.name],
                    "count": stage.count,
                    "conversion": stage.conversion,
                    "median_days": stage.median_days,
                }
                for stage in funnel.stages
            ],
            "introductions": funnel.introductions,
            "days_to_first_contact": funnel.days_to_first_contact,
        },
        "hygiene": [
            {
                "name": name,
                "label": labels[name],
                "numerator": n,
                "denominator": d,
                "share": round(n / d, 3) if d else None,
            }
            for name, (n, d) in hygiene.items()
        ],
        "over_followed_up": sum(s.over_followed_up for s in summaries),
    }


def _monday(iso: str) -> str:
    day = date.fromisoformat(iso)
    return (day - timedelta(days=day.weekday())).isoformat()
