"""Writes to a client's search profile: who they are, what they target, the coach's verdicts."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from billing.entitlements import seats_check
from coaching.access import NotFound, ensure_can_coach, ensure_can_write
from coaching.choices import ChecklistState, ClientStatus, PresentationItem, Verdict
from coaching.models import Client, PresentationCheck
from coaching.services.activity import activity_record, apply_changes, field_values, save_changes
from coaching.validation import Errors, unknown_fields
from tenants.context import active_practice

PROFILE_FIELDS = (
    "headline",
    "target_roles",
    "search_started_on",
    "weekly_outreach_goal",
    "time_zone",
)


def _check_profile(errors: Errors, data: dict[str, Any]) -> dict[str, Any]:
    """Validate the editable profile fields present in `data`; return them cleaned."""
    clean: dict[str, Any] = {}
    if "headline" in data:
        clean["headline"] = str(data["headline"] or "").strip()
        errors.max_length("headline", clean["headline"], 200)
    if "target_roles" in data:
        clean["target_roles"] = _clean_target_roles(errors, data["target_roles"])
    if "search_started_on" in data:
        errors.day("search_started_on", data["search_started_on"])
        clean["search_started_on"] = data["search_started_on"]
    if "weekly_outreach_goal" in data:
        goal = data["weekly_outreach_goal"]
        if isinstance(goal, bool) or not isinstance(goal, int) or not 1 <= goal <= 500:
            errors.add("weekly_outreach_goal", "Use a whole number of contacts from 1 to 500.")
        clean["weekly_outreach_goal"] = goal
    if "time_zone" in data:
        errors.time_zone("time_zone", data["time_zone"])
        clean["time_zone"] = data["time_zone"]
    return clean


def _clean_target_roles(errors: Errors, roles: Any) -> list[dict[str, str]]:
    """`[{"role": "Data engineer", "family": "data"}]`; a bare string is a role with no family."""
    if not isinstance(roles, list | tuple):
        errors.add("target_roles", 'Expected a list like [{"role": "...", "family": "..."}].')
        return []
    clean = []
    for i, item in enumerate(roles):
        entry = {"role": item, "family": ""} if isinstance(item, str) else item
        if not isinstance(entry, dict) or not str(entry.get("role", "")).strip():
            errors.add("target_roles", f"Item {i + 1} needs a non-empty role.")
            continue
        clean.append(
            {"role": str(entry["role"]).strip(), "family": str(entry.get("family", "")).strip()}
        )
    return clean


def _ensure_seat() -> None:
    """An active client takes a paid seat; refuse, saying how to add seats, when none is left."""
    seats_check(practice=active_practice())


@transaction.atomic
def client_create(
    *,
    actor: User,
    user: User,
    coach: User,
    search_started_on: date,
    headline: str = "",
    target_roles: list[Any] | None = None,
    weekly_outreach_goal: int = 15,
    time_zone: str = "UTC",
) -> Client:
    """Open a search for a client user, assigned to a coach; the checklist starts unreviewed."""
    if actor.role not in (Role.OWNER, Role.COACH) or not actor.is_active:
        raise NotFound("No such client.")
    errors = Errors()
    if user.role != Role.CLIENT:
        errors.add("user", "Only a user with the client role can have a search.")
    elif Client.objects.filter(user=user).exists():
        errors.add("user", "This client already has a search.")
    if coach.role not in (Role.OWNER, Role.COACH):
        errors.add("coach", "A client can only be assigned to a coach or the owner.")
    elif actor.role == Role.COACH and coach.pk != actor.pk:
        errors.add("coach", "A coach can only open searches for their own clients.")
    profile = _check_profile(
        errors,
        {
            "headline": headline,
            "target_roles": target_roles or [],
            "search_started_on": search_started_on,
            "weekly_outreach_goal": weekly_outreach_goal,
            "time_zone": time_zone,
        },
    )
    errors.raise_if_any()
    _ensure_seat()
    client = Client.objects.create(user=user, coach=coach, **profile)
    PresentationCheck.objects.bulk_create(
        PresentationCheck(client=client, item=item) for item in PresentationItem.values
    )
    activity_record(
        client=client,
        actor=actor,
        verb="client.created",
        subject=client,
        changes=field_values(client, ["coach", *PROFILE_FIELDS]),
    )
    return client


@transaction.atomic
def client_update(*, client: Client, actor: User, data: dict[str, Any]) -> Client:
    """Change profile fields (`PROFILE_FIELDS`); the client may edit their own profile too."""
    ensure_can_write(actor=actor, client=client)
    errors = unknown_fields(data, PROFILE_FIELDS)
    clean = _check_profile(errors, data)
    errors.raise_if_any()
    changed, diff = apply_changes(client, clean)
    save_changes(client, changed)
    if changed:
        activity_record(
            client=client, actor=actor, verb="client.updated", subject=client, changes=diff
        )
    return client


@transaction.atomic
def client_set_status(
    *,
    client: Client,
    actor: User,
    status: str,
    landed_on: date | None = None,
    now: datetime | None = None,
) -> Client:
    """Active, paused or landed; landing needs the day, leaving "landed" clears it."""
    now = now or timezone.now()
    ensure_can_coach(actor=actor, client=client)
    errors = Errors()
    if client.archived_at is not None:
        errors.add("status", "This client is archived: restore the client before changing it.")
        errors.raise_if_any()
    errors.choice("status", status, ClientStatus)
    if status == ClientStatus.LANDED:
        errors.required("landed_on", landed_on)
        errors.day_not_future("landed_on", landed_on, client=client, now=now)
        errors.not_before("landed_on", landed_on, client.search_started_on, "the search started")
    elif landed_on is not None:
        errors.add("landed_on", "Only a landed client has a landing date.")
    errors.raise_if_any()
    if status == ClientStatus.ACTIVE and client.status != ClientStatus.ACTIVE:
        _ensure_seat()
    changed, diff = apply_changes(
        client,
        {"status": status, "landed_on": landed_on if status == ClientStatus.LANDED else None},
    )
    save_changes(client, changed)
    if changed:
        activity_record(
            client=client, actor=actor, verb="client.status_changed", subject=client, changes=diff
        )
    return client


@transaction.atomic
def client_review_leaving_story(
    *, client: Client, actor: User, verdict: str, story: str | None = None
) -> Client:
    """The coach's verdict on the reason-for-leaving story, and the story as the client tells it."""
    ensure_can_coach(actor=actor, client=client)
    errors = Errors()
    errors.choice("verdict", verdict, Verdict)
    new_story = client.leaving_story if story is None else story.strip()
    if verdict == Verdict.OK and not new_story:
        errors.add("verdict", "A missing story cannot be convincing: record the story first.")
    errors.raise_if_any()
    changed, diff = apply_changes(
        client, {"leaving_story": new_story, "leaving_story_verdict": verdict}
    )
    save_changes(client, changed)
    if changed:
        activity_record(
            client=client,
            actor=actor,
            verb="client.leaving_story_reviewed",
            subject=client,
            changes=diff,
        )
    return client


@transaction.atomic
def client_review_presentation(
    *,
    client: Client,
    actor: User,
    item: str,
    state: str,
    note: str = "",
    now: datetime | None = None,
) -> PresentationCheck:
    """One checklist line (resume, LinkedIn, other profiles): ok, needs work, unreviewed, or not
    applicable (the client has no such profile: nothing to review)."""
    now = now or timezone.now()
    ensure_can_coach(actor=actor, client=client)
    errors = Errors()
    errors.choice("item", item, PresentationItem)
    errors.choice("state", state, ChecklistState)
    errors.raise_if_any()
    check, _ = PresentationCheck.objects.get_or_create(client=client, item=item)
    reviewed_at = None if state == ChecklistState.UNREVIEWED else now
    changed, diff = apply_changes(
        check, {"state": state, "note": note.strip(), "reviewed_at": reviewed_at}
    )
    save_changes(check, changed)
    if changed:
        activity_record(
            client=client,
            actor=actor,
            verb="presentation.reviewed",
            subject=check,
            changes={"item": item, **diff},
        )
    return check


@transaction.atomic
def client_set_report_sharing(*, client: Client, actor: User, shared: bool) -> Client:
    """The coach decides whether the client sees their diagnostic report in the portal."""
    ensure_can_coach(actor=actor, client=client)
    changed, diff = apply_changes(client, {"report_shared_with_client": bool(shared)})
    save_changes(client, changed)
    if changed:
        activity_record(
            client=client, actor=actor, verb="client.report_sharing", subject=client, changes=diff
        )
    return client


@transaction.atomic
def client_set_threshold_overrides(
    *, client: Client, actor: User, overrides: dict[str, Any]
) -> Client:
    """Per-client thresholds; only the shape is checked here, the diagnostics know the keys."""
    ensure_can_coach(actor=actor, client=client)
    errors = Errors()
    if not isinstance(overrides, dict):
        errors.add("threshold_overrides", "Expected an object of threshold names to numbers.")
    else:
        for key, value in overrides.items():
            if not isinstance(key, str) or isinstance(value, bool):
                errors.add("threshold_overrides", f"{key!r}: expected a number.")
            elif not isinstance(value, int | float) or value < 0:
                errors.add("threshold_overrides", f"{key!r}: expected a number of 0 or more.")
    errors.raise_if_any()
    changed, diff = apply_changes(client, {"threshold_overrides": dict(overrides)})
    save_changes(client, changed)
    if changed:
        activity_record(
            client=client,
            actor=actor,
            verb="client.thresholds_changed",
            subject=client,
            changes=diff,
        )
    return client


@transaction.atomic
def client_reassign(*, client: Client, actor: User, coach: User) -> Client:
    """Only the owner moves a client between coaches."""
    ensure_can_write(actor=actor, client=client)
    if actor.role != Role.OWNER:
        raise PermissionDenied("Only the practice owner can reassign a client.")
    errors = Errors()
    if coach.role not in (Role.OWNER, Role.COACH):
        errors.add("coach", "A client can only be assigned to a coach or the owner.")
    errors.raise_if_any()
    if coach.pk != client.coach_id:
        old = client.coach_id
        client.coach = coach
        save_changes(client, ["coach"])
        activity_record(
            client=client,
            actor=actor,
            verb="client.reassigned",
            subject=client,
            changes={"coach": [old, coach.pk]},
        )
    return client
