"""Cohort benchmarks: a client's key figures beside the practice's other clients *at the same week
of their search* (week 6 against everybody's week 6), as the median and the middle half (first to
third quartile).

The figures, for week N of a search (days 7N-6 to 7N counted from the day it started):

- **contacts reached that week**: distinct contacts who got an outbound message (the volume
  rule's measure);
- **real conversations so far**: conversations held by the week's end, as the engine counts them
  (`Context.conversations`: a held meeting is one, an interview never is);
- **introductions made so far**: asks that turned into an introduction (or a forwarded resume);
- **follow-ups done on time so far**: the engine's hygiene figure, as of the week's last day.

A client is compared at their last *complete* week; the cohort is every other client of the
practice whose search has reached that week. Below `MIN_COHORT` such clients there is nothing to
compare ("not enough clients to compare"): a median of two is an anecdote, and too few would let
a coach guess another coach's client from it.

The table of every client's weekly figures needs the whole practice, so it is read the way the
nightly job reads (`searches_load_all`); only medians and quartiles leave this module, never a
figure of a client the reader may not see. It is cached under the practice's data version (the
newest activity-log entry, the clients' last change, the thresholds' last change) and the day.
"""

from __future__ import annotations

import logging
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.cache import cache
from django.db.models import Count, Max
from redis.exceptions import RedisError

from coaching.diagnostics.context import Context
from coaching.diagnostics.problems import screen
from coaching.insights.loader import LoadedSearch, searches_load_all
from coaching.insights.models import PracticeDiagnosticsSettings
from coaching.models import ActivityEvent, Client

logger = logging.getLogger(__name__)

MIN_COHORT = 5
"""Other clients at the same week needed before a comparison is shown."""
MAX_WEEKS = 52
"""Searches longer than a year are compared at week 52."""
CACHE_VERSION = "1"
CACHE_SECONDS = 60 * 60 * 26

FIGURES: dict[str, str] = {
    "contacts_reached": "Contacts reached that week",
    "conversations": "Real conversations so far",
    "introductions_made": "Introductions made so far",
    "follow_ups_on_time": "Follow-ups done on time so far",
}
"""The key figures, in the order shown, with their names for people."""
SHARES = frozenset({"follow_ups_on_time"})
POSITIONS = {"below": "below the middle half", "within": "in the middle half",
             "above": "above the middle half"}  # fmt: skip

WeekFigures = tuple[float | None, ...]
"""One week's figures, in the order of `FIGURES` (None: nothing to measure yet)."""


# --- one search, week by week (pure) -------------------------------------------------------------


def complete_weeks(*, started_on: date, as_of: date) -> int:
    """Whole weeks of search by the end of `as_of` (0 in the first week or before the start)."""
    return max(0, ((as_of - started_on).days + 1) // 7)


def weekly_figures(*, search: LoadedSearch, as_of: date) -> tuple[WeekFigures, ...]:
    """The key figures of each complete week of the search (at most `MAX_WEEKS`), oldest first:
    one pass over the records as they stood at the end of `as_of`."""
    snapshot = screen(search.snapshot)
    started = snapshot.client.search_started_on
    weeks = min(MAX_WEEKS, complete_weeks(started_on=started, as_of=as_of))
    if weeks == 0:
        return ()
    ctx = Context(snapshot=snapshot, as_of=as_of, thresholds=search.thresholds)
    ends = [started + timedelta(days=7 * n - 1) for n in range(1, weeks + 1)]

    def week_of(day: date) -> int:
        """0-based week of the search `day` falls in."""
        return (day - started).days // 7

    reached: list[set[int]] = [set() for _ in range(weeks)]
    for day, contacts in ctx.reached_by_day.items():
        if started <= day <= ends[-1]:
            reached[week_of(day)] |= contacts
    conversations = _cumulative(
        (week_of(c.day) for c in ctx.conversations if c.day >= started), weeks
    )
    introductions = _cumulative(
        (max(0, week_of(ctx.day(i.made_at))) for i in ctx.introductions if i.made_at is not None),
        weeks,
    )
    return tuple(
        (
            float(len(reached[n])),
            float(conversations[n]),
            float(introductions[n]),
            _follow_ups_on_time(ctx, end=ends[n]),
        )
        for n in range(weeks)
    )


def _cumulative(weeks_of_events: Iterable[int], weeks: int) -> list[int]:
    counts = [0] * weeks
    for week in weeks_of_events:
        if week < weeks:
            counts[max(0, week)] += 1
    running, total = [], 0
    for count in counts:
        total += count
        running.append(total)
    return running


def _follow_ups_on_time(ctx: Context, *, end: date) -> float | None:
    """The hygiene figure's rule (`diagnostics.figures.hygiene_figures`) as of `end`: a
    follow-up counts once it was done or its due day has passed; on time if done by then."""
    on_time = settled = 0
    for follow_up in ctx.follow_ups:
        done = ctx.day(follow_up.done_at) if follow_up.done_at else None
        if done is not None and done > end:
            done = None
        if done is None and follow_up.due_on >= end:
            continue
        settled += 1
        on_time += done is not None and done <= follow_up.due_on
    return round(on_time / settled, 4) if settled else None


# --- the practice's table, cached ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CohortTable:
    as_of: date
    weeks: Mapping[int, tuple[WeekFigures, ...]]
    """Each client's figures by complete week, by client id."""


def _version() -> str:
    clients = Client.objects.aggregate(n=Count("pk"), changed=Max("updated_at"))
    newest = ActivityEvent.objects.aggregate(m=Max("pk"))["m"] or 0
    settings = PracticeDiagnosticsSettings.objects.aggregate(m=Max("updated_at"))["m"]
    changed = clients["changed"].timestamp() if clients["changed"] else 0
    return f"{clients['n']}:{changed}:{newest}:{settings.timestamp() if settings else 0}"


def cohort_table(*, as_of: date) -> CohortTable:
    """Every client's weekly figures as of `as_of`: from the cache while nothing in the practice
    changed (three aggregate queries), else loaded and computed (the loader's fixed queries)."""
    key = f"insights:cohorts:{CACHE_VERSION}:{as_of}:{_version()}"
    try:
        found = cache.get(key)
    except RedisError as exc:
        logger.warning("cohort cache unreachable, computing: %r", exc)
        found = None
    if isinstance(found, CohortTable):
        return found
    table = CohortTable(
        as_of=as_of,
        weeks={
            search.client.pk: weekly_figures(search=search, as_of=as_of)
            for search in searches_load_all()
        },
    )
    try:
        cache.set(key, table, CACHE_SECONDS)
    except RedisError as exc:
        logger.warning("cohort cache unreachable, table not kept: %r", exc)
    return table


# --- comparisons ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Benchmark:
    figure: str
    label: str
    value: float | None
    cohort: int
    """Other clients at the same week with a value for this figure."""
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None
    position: str
    """below / within / above the middle half; empty when there is nothing to compare."""

    @property
    def enough(self) -> bool:
        return self.median is not None

    def shown(self, value: float | None) -> str:
        if value is None:
            return "—"
        if self.figure in SHARES:
            return f"{round(value * 100)}%"
        return f"{value:g}" if value == int(value) else f"{value:.1f}"

    @property
    def sentence(self) -> str:
        if not self.enough:
            return (
                f"Not enough clients to compare ({self.cohort} other client"
                f"{'' if self.cohort == 1 else 's'} at this week; {MIN_COHORT} needed)."
            )
        return (
            f"{self.shown(self.value)}: {POSITIONS[self.position]} of {self.cohort} other "
            f"clients at the same week (median {self.shown(self.median)}, middle half "
            f"{self.shown(self.lower_quartile)} to {self.shown(self.upper_quartile)})."
            if self.position
            else f"No figure yet; {self.cohort} other clients at the same week have a median "
            f"of {self.shown(self.median)}."
        )


@dataclass(frozen=True, slots=True)
class ClientBenchmarks:
    client_id: int
    week: int
    """The week of the search compared (the client's last complete week); 0: none yet."""
    peers: int
    """Other clients whose search reached that week."""
    benchmarks: tuple[Benchmark, ...]

    @property
    def enough(self) -> bool:
        return self.peers >= MIN_COHORT


def _quartiles(values: Sequence[float]) -> tuple[float, float, float]:
    q1, median, q3 = statistics.quantiles(values, n=4, method="inclusive")
    return round(q1, 2), round(median, 2), round(q3, 2)


def benchmarks_for(*, table: CohortTable, client_id: int) -> ClientBenchmarks:
    """One client's figures at their last complete week beside the other clients' at theirs."""
    own = table.weeks.get(client_id, ())
    week = len(own)
    if week == 0:
        return ClientBenchmarks(client_id=client_id, week=0, peers=0, benchmarks=())
    peers = [figures[week - 1] for pk, figures in table.weeks.items()
             if pk != client_id and len(figures) >= week]  # fmt: skip
    benchmarks = []
    for index, (name, label) in enumerate(FIGURES.items()):
        values = [p[index] for p in peers if p[index] is not None]
        value = own[week - 1][index]
        if len(values) < MIN_COHORT:
            benchmarks.append(
                Benchmark(name, label, value, len(values), None, None, None, position="")
            )
            continue
        q1, median, q3 = _quartiles(values)  # type: ignore[arg-type]
        position = (
            "" if value is None else "below" if value < q1 else "above" if value > q3 else "within"
        )
        benchmarks.append(Benchmark(name, label, value, len(values), median, q1, q3, position))
    return ClientBenchmarks(
        client_id=client_id, week=week, peers=len(peers), benchmarks=tuple(benchmarks)
    )


def benchmark_to_dict(*, benchmarks: ClientBenchmarks) -> dict[str, object]:
    """The API's and the practice report's shape."""
    return {
        "week_of_search": benchmarks.week,
        "cohort_size": benchmarks.peers,
        "minimum_cohort": MIN_COHORT,
        "enough_clients": benchmarks.enough,
        "figures": [
            {
                "figure": b.figure,
                "label": b.label,
                "value": b.value,
                "cohort": b.cohort,
                "median": b.median,
                "lower_quartile": b.lower_quartile,
                "upper_quartile": b.upper_quartile,
                "position": b.position or None,
                "sentence": b.sentence,
            }
            for b in benchmarks.benchmarks
        ],
    }
