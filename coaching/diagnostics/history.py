"""Too early to tell: rules that measure a rate or an absence wait for enough search history.

On day three of a search, "fewer than 15 people a week" or "five conversations and no ask"
says nothing about the client yet. Each such rule names the threshold it waits on (days of
search, the start day included); until the search is that old the rule stays silent and the
report lists what it is waiting for instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from coaching.diagnostics.catalog import FailureCode, entry_for
from coaching.diagnostics.context import Context
from coaching.diagnostics.thresholds import DESCRIPTIONS

GATES: MappingProxyType[str, tuple[str, str]] = MappingProxyType(
    {
        FailureCode.LOW_OUTREACH_VOLUME: ("volume_history_days", "outreach volume"),
        FailureCode.JOB_BOARD_RELIANCE: (
            "volume_history_days",
            "applications against conversations",
        ),
        FailureCode.EGGS_IN_ONE_BASKET: ("volume_history_days", "how many threads are live"),
        FailureCode.NOT_ASKING: ("asking_history_days", "whether the client is asking"),
    }
)
"""Failure code: (the threshold of days of search it needs, what it judges, in words)."""


@dataclass(frozen=True, slots=True)
class Waiting:
    """A rule not judged yet: "waiting for more history", never a finding."""

    code: str
    title: str
    threshold: str
    """The threshold's name (`thresholds.DESCRIPTIONS` says it in words)."""
    days_needed: int
    days_so_far: int
    ready_on: date
    """The first day the rule is judged."""
    sentence: str


def too_early(*, ctx: Context, code: str) -> bool:
    gate = GATES.get(code)
    return gate is not None and ctx.search_days < getattr(ctx.thresholds, gate[0])


def waiting_for_history(*, ctx: Context) -> tuple[Waiting, ...]:
    """The rules still waiting, in the catalog's order (none once the search is old enough)."""
    waiting = []
    for code, (threshold, what) in GATES.items():
        if not too_early(ctx=ctx, code=code):
            continue
        needed = int(getattr(ctx.thresholds, threshold))
        ready = ctx.client.search_started_on + timedelta(days=needed - 1)
        so_far = ctx.search_days
        waiting.append(
            Waiting(
                code=str(code),
                title=entry_for(code=code).title,
                threshold=threshold,
                days_needed=needed,
                days_so_far=so_far,
                ready_on=ready,
                sentence=(
                    f"Waiting for more history before judging {what}: "
                    f"{_days(so_far)} of search so far, judged from {_days(needed)} "
                    f"({DESCRIPTIONS[threshold]}), first on {ready}"
                ),
            )
        )
    return tuple(waiting)


def _days(count: int) -> str:
    return f"{count} day" if count == 1 else f"{count} days"
