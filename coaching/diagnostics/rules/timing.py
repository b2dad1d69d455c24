"""Timing: the calendar, never the client's records."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from coaching.diagnostics.catalog import FailureCode
from coaching.diagnostics.context import Context
from coaching.diagnostics.findings import Evidence, Finding, Measure
from coaching.diagnostics.rules.common import make_finding
from coaching.diagnostics.seasons import low_season_of


def low_season(*, ctx: Context) -> list[Finding]:
    """More than half of the window's days fall in a slow season. Only days of the search
    count: a search that started after the summer never had a summer, and a search younger than
    the volume rules' history (`volume_history_days`) has too few days to have a "most"."""
    t = ctx.thresholds
    if ctx.search_days < t.volume_history_days:
        return []
    length = min(t.window_days, ctx.search_days)
    days = [ctx.as_of - timedelta(days=i) for i in range(length)]
    seasons = Counter(
        s for d in days if (s := low_season_of(day=d, calendar=t.season_calendar)) is not None
    )
    slow_days = sum(seasons.values())
    if slow_days * 2 <= length:
        return []
    period = (
        f"the last {t.window_days} days"
        if length == t.window_days
        else f"the {length} days of the search so far"
    )
    season, _ = max(seasons.items(), key=lambda kv: (kv[1], kv[0].rsplit("-", 1)[1], kv[0]))
    first_slow = min(d for d in days if low_season_of(day=d, calendar=t.season_calendar) == season)
    name = "the summer slowdown" if season.startswith("summer") else "the year-end holidays"
    return [
        make_finding(
            code=FailureCode.LOW_SEASON,
            subject=f"season:{season}",
            measure=Measure(
                value=slow_days,
                threshold=length / 2,
                unit=f"days of {period} in a slow season",
                sentence=(
                    f"{slow_days} of {period} fall in a slow hiring season ({name}); more "
                    "than half counts as most"
                ),
            ),
            evidence=[Evidence("period", None, first_slow, f"{season} ({t.season_calendar})")],
            observed_on=ctx.as_of,
        )
    ]
