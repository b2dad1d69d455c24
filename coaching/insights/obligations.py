"""What clients owe, read from the database for pages and jobs (`coaching.diagnostics.obligations`
is the definition; this module only loads records and thresholds for it).

Two ways in:

- `calls_waiting`: introductions whose target still waits for the client's first contact, across
  any set of clients, in two queries (the practice's thresholds, then the introductions with
  their client, introducer and target). The database selects them with `awaiting_call`, the
  query form of `obligations.awaits_call` (a test proves they agree), and every deadline is
  computed by `obligations.call_owed` with the thresholds in force for each client. The
  reminders, the calendar feed, the portal and the client's page read this.
- `search_obligations`: everything one client owes (calls, thank-yous, outcomes, contacts at the
  follow-up limit), computed by the engine's own code from the loaded search.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from coaching.choices import IntroductionKind, IntroductionStatus
from coaching.diagnostics.context import Context
from coaching.diagnostics.obligations import (
    Obligation,
    Obligations,
    Owed,
    call_owed,
    call_severity,
    obligations_of,
)
from coaching.diagnostics.thresholds import Thresholds
from coaching.insights.loader import (
    LoadedSearch,
    ThresholdCache,
    introduction_record,
    searches_load_all,
    zone_or_utc,
)
from coaching.insights.selectors import practice_overrides
from coaching.models import Client, Introduction


def awaiting_call(*, at: datetime) -> Q:
    """Introductions waiting for the client's first contact at the moment `at` (made, target not
    contacted, not ended): the database's form of `obligations.awaits_call`, which
    `tests/coaching/insights/test_obligations.py` checks it against on generated data."""
    return (
        Q(made_at__isnull=False, made_at__lte=at)
        & (Q(first_contact_at__isnull=True) | Q(first_contact_at__gt=at))
        & (Q(status=IntroductionStatus.OPEN) | Q(ended_at__gt=at))
    )


@dataclass(frozen=True, slots=True)
class WaitingCall:
    """An introduction whose target waits for the client's call, with its deadlines."""

    introduction: Introduction
    """With `client` (its `user` and `coach`), `introducer`, `target` and `application`."""
    call: Obligation
    thresholds: Thresholds
    """In force for the client (the practice's, then the client's own)."""
    at: datetime
    """The moment it was asked about."""

    @property
    def waiting(self) -> timedelta:
        return self.at - self.call.since

    @property
    def days_waiting(self) -> int:
        return self.waiting.days

    @property
    def severity(self) -> str:
        """One of "due", "late" (past `intro_warning_days`), "critical" (`intro_critical_days`)."""
        return call_severity(self.call, thresholds=self.thresholds, now=self.at)

    @property
    def critical_at(self) -> datetime:
        return self.call.since + timedelta(days=self.thresholds.intro_critical_days)


def longest_in_force(name: str, *, clients: QuerySet[Client]) -> int:
    """The largest value of the threshold `name` in force for any of `clients`: how far back a
    job must look to find every deadline still running. Two queries."""
    practice = practice_overrides()
    cache = ThresholdCache()
    layers = clients.values_list("threshold_overrides", flat=True)
    values = [getattr(cache.get(practice=practice, client=c or {})[0], name) for c in layers]
    return max(values, default=getattr(cache.get(practice=practice, client={})[0], name))


def calls_waiting(*, clients: QuerySet[Client], at: datetime) -> list[WaitingCall]:
    """Every introduction of `clients` waiting for the client's call at the moment `at`,
    longest-waiting first. Two queries whatever their number."""
    practice = practice_overrides()
    rows = (
        Introduction.objects.filter(awaiting_call(at=at), client__in=clients)
        .select_related("client__user", "client__coach", "introducer", "target", "application")
        .order_by("made_at", "pk")
    )
    return list(_with_deadlines(rows, practice=practice, at=at))


def _with_deadlines(
    rows: Iterable[Introduction], *, practice: dict[str, Any], at: datetime
) -> Iterable[WaitingCall]:
    cache = ThresholdCache()
    for intro in rows:
        client = intro.client
        thresholds, _ = cache.get(practice=practice, client=client.threshold_overrides or {})
        day = partial(_local_day, tz=zone_or_utc(client.time_zone))
        call = call_owed(introduction_record(intro), day=day, thresholds=thresholds)
        yield WaitingCall(introduction=intro, call=call, thresholds=thresholds, at=at)


def _local_day(moment: datetime, *, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def obligations_by_record(
    *, client_ids: Iterable[int], now: datetime
) -> dict[tuple[Owed, str, int], Obligation]:
    """For jobs: every obligation of these clients as of their own today, by what is owed and
    the record it is owed for (`("meeting", id)`, `("introduction", id)`). Seven queries."""
    found: dict[tuple[Owed, str, int], Obligation] = {}
    for search in searches_load_all(client_ids=list(client_ids)):
        today = now.astimezone(zone_or_utc(search.client.time_zone)).date()
        owed = search_obligations(search=search, as_of=today)
        for o in (*owed.calls, *owed.meeting_thanks, *owed.introducer_thanks, *owed.outcomes):
            found[(o.owed, *o.record)] = o
    return found


def search_obligations(*, search: LoadedSearch, as_of: date) -> Obligations:
    """Everything the client owes as of the end of `as_of` (their day), as the rules see it."""
    return obligations_of(
        Context(snapshot=search.snapshot, as_of=as_of, thresholds=search.thresholds)
    )


@dataclass(frozen=True, slots=True)
class OwedItem:
    """A thank-you or an outcome report the client still owes, in words."""

    owed: Obligation
    label: str

    @property
    def what(self) -> str:
        return self.owed.owed.value

    @property
    def record_id(self) -> int:
        return self.owed.record[1]

    @property
    def since(self) -> datetime:
        return self.owed.since


def thanks_and_outcomes_owed(*, search: LoadedSearch, as_of: date) -> list[OwedItem]:
    """Thank-yous and outcome reports not sent yet that arose within the diagnostics window
    (`window_days`), oldest first, with a sentence naming the people."""
    owed = search_obligations(search=search, as_of=as_of)
    names = {c.id: c.name for c in search.snapshot.contacts}
    first = as_of - timedelta(days=search.thresholds.window_days - 1)
    return [
        OwedItem(owed=o, label=_label(o, names))
        for o in owed.thanks_and_outcomes_owed
        if o.since_on >= first
    ]


def _label(owed: Obligation, names: dict[int, str]) -> str:
    person = names.get(owed.owed_to, "them")
    if owed.owed is Owed.MEETING_THANKS:
        return f"Thank {person} for the meeting"
    intro = owed.introduction
    assert intro is not None
    target = names.get(intro.target_id, "them")
    if owed.owed is Owed.OUTCOME:
        return f"Tell {person} how it went with {target}"
    if intro.kind == IntroductionKind.RESUME_FORWARD:
        return f"Thank {person} for forwarding your resume to {target}"
    return f"Thank {person} for introducing you to {target}"
