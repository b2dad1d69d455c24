"""Reads for the threshold settings pages and endpoints (the reports live in `insights.reports`).

Each says which value is in force and where it came from (default, practice or client), so a
settings form can show the inherited value next to the override.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, QuerySet, Subquery

from accounts.models import Role, User
from coaching.access import NotFound, client_queryset_for
from coaching.diagnostics.thresholds import Thresholds, thresholds_to_dict, with_client_goal
from coaching.insights.loader import thresholds_in_force, weekly_goal_chosen, with_diagnostic_facts
from coaching.insights.models import PracticeDiagnosticsSettings, WeeklySnapshot
from coaching.insights.services import practice_settings_get
from coaching.models import Client


def practice_overrides() -> dict[str, Any]:
    """The practice's stored threshold overrides (read only: no settings row is created)."""
    stored = PracticeDiagnosticsSettings.objects.values_list("threshold_overrides", flat=True)
    return dict(stored.first() or {})


def inherited_thresholds() -> Thresholds:
    """What a client gets without overrides of their own: the practice's layer."""
    return thresholds_in_force(practice=practice_overrides(), client={})[0]


def practice_thresholds(*, actor: User) -> dict[str, Any]:
    """The practice-wide layer: its overrides and the resulting values. Coaches and the owner
    may read it (it explains their clients' reports); only the owner changes it."""
    if actor.role not in (Role.OWNER, Role.COACH) or not actor.is_active:
        raise PermissionDenied("The practice's thresholds are for its coaches.")
    overrides = dict(practice_settings_get().threshold_overrides)
    thresholds, errors = thresholds_in_force(practice=overrides, client=None)
    return {
        "overrides": overrides,
        "in_force": thresholds_to_dict(thresholds=thresholds),
        "ignored_overrides": errors,
    }


def client_thresholds(*, actor: User, client_id: int) -> dict[str, Any]:
    """One client's thresholds in force (default, practice, client) and their own overrides,
    including the weekly goal on the client's profile when someone chose it. One query."""
    try:
        client = with_diagnostic_facts(
            client_queryset_for(actor=actor).filter(pk=client_id)
        ).first()
    except (ValueError, TypeError) as exc:
        raise NotFound("No such client.") from exc
    if client is None:
        raise NotFound("No such client.")
    practice = getattr(client, "practice_overrides", None) or {}
    overrides = dict(client.threshold_overrides or {})
    thresholds, errors = thresholds_in_force(practice=practice, client=overrides)
    thresholds = with_client_goal(thresholds=thresholds, weekly_goal=weekly_goal_chosen(client))
    return {
        "client_id": client.pk,
        "overrides": overrides,
        "profile_weekly_goal": weekly_goal_chosen(client),
        "in_force": thresholds_to_dict(thresholds=thresholds),
        "ignored_overrides": errors,
    }


def with_latest_search_status(clients: QuerySet[Client]) -> QuerySet[Client]:
    """Each client's search status (active / slowing / stalled / landed) as the nightly job last
    stored it, and the day it was computed for: two subqueries in the same SELECT, so a list
    stays one query whatever its length. Both are null until the first nightly run.

    The newest week holds the newest day (one row per client and week, `as_of` inside it), so
    ordering by `week_start` finds it by reading the (client, week_start) unique index backwards:
    one index probe per client, however many weeks are stored. The expressions are built once;
    `annotate` resolves a copy of them for each query."""
    return clients.annotate(search_status=_LATEST_STATUS, search_status_as_of=_LATEST_AS_OF)


_LATEST = WeeklySnapshot.objects.filter(client=OuterRef("pk")).order_by("-week_start")
_LATEST_STATUS = Subquery(_LATEST.values("status")[:1])
_LATEST_AS_OF = Subquery(_LATEST.values("as_of")[:1])
