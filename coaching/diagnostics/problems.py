"""Records the engine cannot use, set aside and reported instead of failing the diagnosis.

Validation keeps impossible dates out at every way in (`coaching.dates`), but the database
may still hold some: rows written before the rule existed, by hand, or by a bug. A date outside
the plausible range would break the engine's date arithmetic, and an unknown time zone every
conversion to the client's days. `screen` takes them out of the snapshot, one `DataProblem` per
value, so the diagnosis (and every page and report built on it) works on everything else and
says which record needs correcting.

Pure: no database, no clock. A value that cannot be used is dropped field by field: an optional
date is read as unknown, a record whose defining date is unusable (an interaction's
`occurred_at`, a meeting's `scheduled_for`) is left out altogether.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from coaching.dates import EARLIEST_DAY, LATEST_DAY, day_problems, instant_problems
from coaching.diagnostics import snapshot as s
from coaching.diagnostics.snapshot import DataProblem

R = TypeVar("R")
_INTRODUCTION_DATES = (
    "requested_at", "made_at", "first_contact_at", "thanked_at", "outcome_reported_at",
    "reached_hiring_authority_at", "ended_at",
)  # fmt: skip
_APPLICATION_DATES = (
    "posting_seen_on", "first_outreach_on", "applied_on", "last_employer_contact_on",
    "last_client_action_on", "offer_on",
)  # fmt: skip
_FIRST = datetime.combine(EARLIEST_DAY, time(), tzinfo=UTC)
_AFTER_LAST = datetime.combine(LATEST_DAY, time(), tzinfo=UTC) + timedelta(days=1)


def _problem(value: Any) -> str | None:
    if isinstance(value, datetime):
        # The engine reads a naive time as UTC (Context.day); so does the check.
        aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
        found = instant_problems(aware)
    else:
        found = day_problems(value)
    return found[0] if found else None


class _Screen:
    def __init__(self) -> None:
        self.problems: list[DataProblem] = []

    def note(self, record: str, rid: int | None, field: str, value: Any, message: str) -> None:
        shown = value.isoformat() if isinstance(value, date) else str(value)
        self.problems.append(DataProblem(record, rid, field, shown, message))

    def record(
        self,
        record: str,
        item: R,
        *,
        required: tuple[str, ...] = (),
        optional: tuple[str, ...] = (),
        rid: Callable[[R], int | None] = lambda r: getattr(r, "id", None),
    ) -> R | None:
        """`item` with its unusable optional dates unset, or None when a required one is
        unusable."""
        for field in required:
            value = getattr(item, field)
            problem = _problem(value)
            if problem:
                self.note(
                    record, rid(item), field, value,
                    f"{problem} This {record.replace('_', ' ')} is left out of the diagnosis "
                    "until the date is corrected.",
                )  # fmt: skip
                return None
        unset: dict[str, None] = {}
        for field in optional:
            value = getattr(item, field)
            if value is None:
                continue
            problem = _problem(value)
            if problem:
                unset[field] = None
                self.note(
                    record, rid(item), field, value,
                    f"{problem} The diagnosis reads it as not recorded until it is corrected.",
                )  # fmt: skip
        return replace(item, **unset) if unset else item  # type: ignore[type-var]

    def records(self, record: str, items: Iterable[R], **fields: Any) -> tuple[R, ...]:
        kept = (self.record(record, item, **fields) for item in items)
        return tuple(item for item in kept if item is not None)

    def interactions(self, items: tuple[s.Interaction, ...]) -> tuple[s.Interaction, ...]:
        """The bulk of the data: a plain range check first, the general path only when it
        fails (the check must stay cheap for a practice's 250,000 interactions)."""
        first, after_last = _FIRST, _AFTER_LAST
        kept = []
        for item in items:
            replied = item.replied_at
            try:
                usable = first <= item.occurred_at < after_last and (
                    replied is None or first <= replied < after_last
                )
            except TypeError:  # a naive time (hand-built snapshots): the general path
                usable = False
            if usable:
                kept.append(item)
            elif (fixed := self.record(
                "interaction", item, required=("occurred_at",), optional=("replied_at",)
            )) is not None:  # fmt: skip
                kept.append(fixed)
        return tuple(kept) if len(kept) != len(items) else items

    def client(self, client: s.ClientFacts) -> s.ClientFacts:
        changes: dict[str, Any] = {}
        try:
            ZoneInfo(client.time_zone)
        except (ZoneInfoNotFoundError, ValueError, OSError, TypeError):
            changes["time_zone"] = "UTC"
            self.note(
                "client", client.id, "time_zone", client.time_zone,
                "Unknown time zone; the diagnosis counts days in UTC until it is corrected "
                "(use a name like Europe/Berlin).",
            )  # fmt: skip
        problem = _problem(client.search_started_on)
        if problem:
            bound = EARLIEST_DAY if client.search_started_on < EARLIEST_DAY else LATEST_DAY
            changes["search_started_on"] = bound
            self.note(
                "client", client.id, "search_started_on", client.search_started_on,
                f"{problem} The diagnosis counts the search from {bound} until it is corrected.",
            )  # fmt: skip
        fixed = self.record("client", client, optional=("landed_on",))
        assert fixed is not None
        presentation = self.records(
            "client", fixed.presentation, optional=("reviewed_at",), rid=lambda _: client.id
        )
        if presentation != fixed.presentation:
            changes["presentation"] = presentation
        return replace(fixed, **changes) if changes else fixed


def screen(snapshot: s.Snapshot) -> s.Snapshot:
    """`snapshot` without what the engine cannot use, the problems listed in
    `Snapshot.problems`. A snapshot already screened (problems not None) comes back as is."""
    if snapshot.problems is not None:
        return snapshot
    check = _Screen()
    client = check.client(snapshot.client)
    screened = replace(
        snapshot,
        client=client,
        contacts=check.records("contact", snapshot.contacts, optional=("first_met_on",)),
        interactions=check.interactions(snapshot.interactions),
        introductions=check.records(
            "introduction", snapshot.introductions, optional=_INTRODUCTION_DATES
        ),
        follow_ups=check.records(
            "follow_up", snapshot.follow_ups, required=("due_on",), optional=("done_at",)
        ),
        applications=check.records(
            "application", snapshot.applications, optional=_APPLICATION_DATES
        ),
        meetings=check.records(
            "meeting",
            snapshot.meetings,
            required=("scheduled_for",),
            optional=("prepared_at", "thanked_at"),
        ),
        feedback=check.records("feedback", snapshot.feedback, required=("received_on",)),
        dispositions=check.records(
            "disposition",
            snapshot.dispositions,
            required=("decided_on",),
            optional=("expires_on",),
            rid=lambda _: None,
        ),
        problems=(),
    )
    return replace(screened, problems=tuple(check.problems))
