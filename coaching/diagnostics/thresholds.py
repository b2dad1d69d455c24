"""Every number a rule compares against, with the catalog's defaults.

Thresholds are resolved in layers: catalog defaults, then the practice's overrides, then the
client's (e.g. their own weekly goal). The resolved set remembers where each value came from so a
report can say which thresholds were in force.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

SEASON_CALENDARS = ("us", "none")
DEFAULT, PRACTICE, CLIENT = "default", "practice", "client"


@dataclass(frozen=True, slots=True)
class Thresholds:
    weekly_goal: int = 15
    window_days: int = 28
    stalled_days: int = 14
    slowing_recent_days: int = 14
    slowing_baseline_days: int = 28
    slowing_ratio: float = 0.5
    eggs_share: float = 0.5
    eggs_min_threads: int = 3
    job_board_ratio: float = 3.0
    season_calendar: str = "us"
    influencer_days: int = 30
    event_follow_up_days: int = 7
    not_asking_conversations: int = 5
    left_field_prior_interactions: int = 2
    left_field_known_days: int = 14
    unwilling_asks: int = 2
    leverage_days: int = 21
    intro_warning_days: int = 2
    intro_critical_days: int = 7
    thanks_days: int = 2
    role_families: int = 4
    stalemate_days: int = 10
    over_follow_up: int = 2
    overdue_count: int = 2
    overdue_days: int = 3
    employer_silent_days: int = 14
    volume_history_days: int = 14
    asking_history_days: int = 14
    sources: tuple[tuple[str, str], ...] = ()
    """(field, layer) for every value not taken from the catalog defaults."""

    def source_of(self, name: str) -> str:
        return dict(self.sources).get(name, DEFAULT)

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "sources"}


THRESHOLD_NAMES = tuple(f.name for f in fields(Thresholds) if f.name != "sources")

DESCRIPTIONS: dict[str, str] = {
    "weekly_goal": "distinct contacts the client aims to reach each week",
    "window_days": "days of records most rules look back over",
    "stalled_days": "days without forward progress before a search counts as stalled",
    "slowing_recent_days": "recent days compared when deciding whether outreach is slowing",
    "slowing_baseline_days": "earlier days that recent outreach is compared with",
    "slowing_ratio": "share of the earlier outreach below which a search is slowing",
    "eggs_share": "largest share of live threads that may hang on one contact or company",
    "eggs_min_threads": "fewest live threads a client should keep while waiting on one",
    "job_board_ratio": "job-board applications per networking conversation before it is reliance",
    "season_calendar": "which calendar's slow hiring seasons apply",
    "influencer_days": "days a key influencer may go without hearing from the client",
    "event_follow_up_days": "days to follow up with someone met at an event",
    "not_asking_conversations": "real conversations without any ask before it counts",
    "left_field_prior_interactions": "two-way exchanges a contact should have had before an ask",
    "left_field_known_days": "days the client should have known a contact before an ask",
    "unwilling_asks": "asks to one contact that produced nothing before it counts",
    "leverage_days": "days an introduction may take to reach someone who decides on hiring",
    "intro_warning_days": "days to contact the person an introduction was made to",
    "intro_critical_days": "days after which an introduction left waiting is critical",
    "thanks_days": "days to send a thank-you or tell an introducer how it went",
    "role_families": "unrelated role families that make the targets scattered",
    "stalemate_days": "days a networking contact may stay silent after a follow-up",
    "over_follow_up": "most follow-ups to a contact who has not replied",
    "overdue_count": "follow-ups past due before it counts",
    "overdue_days": "days past due before a follow-up counts as overdue",
    "employer_silent_days": "days an employer may stay silent after the client's last move",
    "volume_history_days": (
        "days of search before outreach volume, job-board reliance and the number of live "
        "threads are judged"
    ),
    "asking_history_days": "days of search before a lack of asks is judged",
}
"""Each threshold in plain words, for reports and forms (keys: every threshold's name)."""
_FLOAT_FIELDS = frozenset({"slowing_ratio", "eggs_share", "job_board_ratio"})
_SHARE_FIELDS = frozenset({"slowing_ratio", "eggs_share"})
# Counts that may legitimately be zero ("flag any follow-up past due").
_ZERO_ALLOWED = frozenset({"overdue_days", "intro_warning_days", "thanks_days"})
# Upper bounds: far above any sensible setting, low enough that no rule's date arithmetic can
# overflow (a window of a billion days would break every report of the practice).
MAX_DAYS = 3650
MAX_COUNT = 1000
MAX_WEEKLY_GOAL = 500  # as for a client's own goal (coaching.services.clients)


def _maximum(name: str) -> float:
    if name == "weekly_goal":
        return MAX_WEEKLY_GOAL
    return MAX_DAYS if name.endswith("_days") else MAX_COUNT


class InvalidThresholds(ValueError):
    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        self.errors = dict(errors)
        detail = "; ".join(f"{k}: {' '.join(v)}" for k, v in sorted(self.errors.items()))
        super().__init__(f"Invalid thresholds: {detail}")


def validate_thresholds(*, values: Mapping[str, Any]) -> dict[str, list[str]]:
    """Check a partial set of overrides; return error messages keyed by field name."""
    errors: dict[str, list[str]] = {}

    def fail(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for name, value in values.items():
        if name not in THRESHOLD_NAMES:
            fail(name, f"'{name}' is not a known threshold.")
            continue
        if name == "season_calendar":
            if value not in SEASON_CALENDARS:
                fail(name, f"season_calendar must be one of {', '.join(SEASON_CALENDARS)}.")
            continue
        if isinstance(value, bool) or not isinstance(value, int | float):
            fail(name, f"{name} must be a number.")
            continue
        if isinstance(value, float) and not math.isfinite(value):
            fail(name, f"{name} must be a finite number.")
            continue
        if name not in _FLOAT_FIELDS and isinstance(value, float) and not value.is_integer():
            fail(name, f"{name} must be a whole number.")
            continue
        if name in _SHARE_FIELDS and not 0 < value < 1:
            fail(name, f"{name} must be between 0 and 1 (exclusive).")
        elif value < 0:
            fail(name, f"{name} cannot be negative.")
        elif value == 0 and name not in _ZERO_ALLOWED:
            fail(name, f"{name} must be greater than zero.")
        elif value > _maximum(name):
            fail(name, f"{name} must be at most {_maximum(name):,}.")

    merged = {**Thresholds().values(), **{k: v for k, v in values.items() if k not in errors}}
    if not errors.get("window_days") and merged["window_days"] % 7:
        fail("window_days", "window_days must be a whole number of weeks (a multiple of 7).")
    if merged["intro_critical_days"] < merged["intro_warning_days"]:
        fail("intro_critical_days", "intro_critical_days cannot be shorter than the warning.")
    if merged["slowing_recent_days"] % 7 or merged["slowing_baseline_days"] % 7:
        name = (
            "slowing_recent_days" if merged["slowing_recent_days"] % 7 else "slowing_baseline_days"
        )
        fail(name, f"{name} must be a whole number of weeks (a multiple of 7).")
    return errors


def resolve_thresholds(
    *,
    practice: Mapping[str, Any] | None = None,
    client: Mapping[str, Any] | None = None,
) -> Thresholds:
    """Defaults, then practice overrides, then client overrides. Raises InvalidThresholds."""
    layers = ((PRACTICE, dict(practice or {})), (CLIENT, dict(client or {})))
    errors: dict[str, list[str]] = {}
    for layer, overrides in layers:
        for name, messages in validate_thresholds(values=overrides).items():
            errors.setdefault(name, []).extend(f"({layer}) {m}" for m in messages)
    if not errors:
        combined = {k: v for _, overrides in layers for k, v in overrides.items()}
        for name, messages in validate_thresholds(values=combined).items():
            errors.setdefault(name, []).extend(f"(combined) {m}" for m in messages)
    if errors:
        raise InvalidThresholds(errors)

    values: dict[str, Any] = {}
    sources: dict[str, str] = {}
    for layer, overrides in layers:
        for name, value in overrides.items():
            values[name] = _coerce(name, value)
            sources[name] = layer
    return replace(Thresholds(), **values, sources=tuple(sorted(sources.items())))


def with_client_goal(*, thresholds: Thresholds, weekly_goal: int | None) -> Thresholds:
    """Fold the goal stored on the client record in, unless a client override already set it."""
    if (
        weekly_goal is None
        or weekly_goal == thresholds.weekly_goal
        or thresholds.source_of("weekly_goal") == CLIENT
    ):
        return thresholds
    errors = validate_thresholds(values={"weekly_goal": weekly_goal})
    if errors:
        raise InvalidThresholds({k: [f"({CLIENT}) {m}" for m in v] for k, v in errors.items()})
    sources = dict(thresholds.sources) | {"weekly_goal": CLIENT}
    return replace(thresholds, weekly_goal=int(weekly_goal), sources=tuple(sorted(sources.items())))


def _coerce(name: str, value: Any) -> Any:
    if name == "season_calendar":
        return value
    return float(value) if name in _FLOAT_FIELDS else int(value)


def thresholds_to_dict(*, thresholds: Thresholds) -> dict[str, dict[str, Any]]:
    """``{name: {"value": ..., "source": "default" | "practice" | "client"}}``."""
    return {
        name: {"value": value, "source": thresholds.source_of(name)}
        for name, value in thresholds.values().items()
    }
