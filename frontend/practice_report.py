"""The practice report: which failure reasons fire most across the practice, month over month,
and whose status changed since last week. Built from the same cached client summaries as the
dashboard, computed "as of" each month's last day."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from accounts.models import User
from coaching.diagnostics import CATALOG
from coaching.models import Client
from coaching.selectors import client_list
from frontend.summaries import ClientSummary, summaries_for, with_versions
from tenants.models import Practice

MONTHS = 6


@dataclass(frozen=True, slots=True)
class ReasonTrend:
    code: str
    title: str
    counts: tuple[int, ...]  # clients with the reason open, per month, oldest first

    @property
    def latest(self) -> int:
        return self.counts[-1]

    @property
    def change(self) -> int:
        return self.counts[-1] - self.counts[-2] if len(self.counts) > 1 else 0


@dataclass(frozen=True, slots=True)
class StatusChange:
    client: Client
    before: str
    now: str


@dataclass(frozen=True, slots=True)
class PracticeReport:
    months: tuple[date, ...]
    reasons: tuple[ReasonTrend, ...]
    changes: tuple[StatusChange, ...]
    clients: int


def month_ends(*, today: date, months: int = MONTHS) -> tuple[date, ...]:
    """The last day of each of the last `months` months, the current month ending today."""
    ends = [today]
    first = today.replace(day=1)
    for _ in range(months - 1):
        end = first - timedelta(days=1)
        ends.append(end)
        first = end.replace(day=1)
    return tuple(reversed(ends))


def practice_report(
    *, actor: User, practice: Practice, now: datetime | None = None
) -> PracticeReport:
    now = now or timezone.now()
    clients = list(with_versions(client_list(actor=actor)))
    today = timezone.localdate(now)
    months = month_ends(today=today)

    def at(day: date) -> dict[int, ClientSummary]:
        return summaries_for(actor=actor, clients=clients, now=now, as_of=day)

    per_month = [Counter(code for s in at(m).values() for code in s.open_codes) for m in months]
    codes = sorted({code for counts in per_month for code in counts})
    reasons = sorted(
        (
            ReasonTrend(
                code=code,
                title=str(CATALOG[code].code.label) if code in CATALOG else code,
                counts=tuple(c.get(code, 0) for c in per_month),
            )
            for code in codes
        ),
        key=lambda r: (-r.latest, -sum(r.counts), r.code),
    )
    current = at(today)
    week_ago = at(today - timedelta(days=7))
    changes = tuple(
        StatusChange(client=c, before=week_ago[c.pk].status, now=current[c.pk].status)
        for c in clients
        if week_ago[c.pk].status != current[c.pk].status
    )
    return PracticeReport(
        months=months, reasons=tuple(reasons), changes=changes, clients=len(clients)
    )
