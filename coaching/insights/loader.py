"""ORM rows to the engine's `Snapshot`: one client or a whole practice, in fixed query counts.

One query for the clients, with the small per-client sets folded in as JSON subqueries (the
presentation checklist, feedback, the coach's dispositions, stored weekly snapshots, whether
someone chose the weekly goal, the practice's threshold overrides); then one query per large kind
of record for all the clients together, on a single cursor: contacts, interactions,
introductions, follow-ups, applications (with the day of the offer from the activity log) and
meetings. Seven queries on two cursors, whatever the number of clients or records.

Rows are read with `values_list` and mapped field by field, positionally: model instances would
cost more than the diagnosis itself for a client with thousands of interactions.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import Enum
from typing import Any, TypeVar
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.postgres.aggregates import JSONBAgg
from django.db import connection
from django.db.models import (
    BigIntegerField,
    Exists,
    Func,
    JSONField,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from accounts.models import User
from coaching.access import NotFound, client_queryset_for
from coaching.choices import (
    ApplicationSource,
    ApplicationStatus,
    Channel,
    ChecklistState,
    ClientStatus,
    Direction,
    FeedbackAbout,
    FeedbackSource,
    FitRating,
    HowMet,
    InteractionKind,
    IntroductionKind,
    IntroductionStatus,
    MeetingPurpose,
    MeetingStatus,
    PresentationItem,
    Verdict,
    Willingness,
)
from coaching.diagnostics import snapshot as s
from coaching.diagnostics.findings import DispositionState
from coaching.diagnostics.problems import screen
from coaching.diagnostics.thresholds import InvalidThresholds, Thresholds, resolve_thresholds
from coaching.insights.models import FindingDisposition, PracticeDiagnosticsSettings, WeeklySnapshot
from coaching.insights.stored_dates import (
    HIGHEST_DAY,
    HIGHEST_INSTANT,
    LOWEST_DAY,
    LOWEST_INSTANT,
)
from coaching.models import (
    DEFAULT_WEEKLY_OUTREACH_GOAL,
    ActivityEvent,
    Application,
    Client,
    Contact,
    Feedback,
    FollowUp,
    Interaction,
    Introduction,
    Meeting,
    PresentationCheck,
)

E = TypeVar("E", bound=Enum)

# Application statuses that mean an offer was made; the first change to one dates the offer.
_OFFER_STATUSES = [ApplicationStatus.OFFER.value, ApplicationStatus.ACCEPTED.value]


def _lookup(enum: type[E]) -> dict[str, E]:
    """Value -> member, a dict lookup: calling the enum costs more than a row's other fields."""
    return {member.value: member for member in enum}


_CHANNEL = _lookup(Channel)
_DIRECTION = _lookup(Direction)
_KIND = _lookup(InteractionKind)
_HOW_MET = _lookup(HowMet)
_WILLINGNESS = _lookup(Willingness)
_INTRO_KIND = _lookup(IntroductionKind)
_INTRO_STATUS = _lookup(IntroductionStatus)
_SOURCE = _lookup(ApplicationSource)
_FIT = _lookup(FitRating)
_APP_STATUS = _lookup(ApplicationStatus)
_PURPOSE = _lookup(MeetingPurpose)
_MEETING_STATUS = _lookup(MeetingStatus)
_FEEDBACK_SOURCE = _lookup(FeedbackSource)
_FEEDBACK_ABOUT = _lookup(FeedbackAbout)
_DISPOSITION = _lookup(DispositionState)


@dataclass(frozen=True, slots=True)
class StoredWeek:
    """One stored weekly snapshot (`insights.models.WeeklySnapshot`), as the reports read it."""

    week_start: date
    as_of: date
    status: str
    days_without_progress: int
    weekly_goal: int
    average_weekly_reach: float
    open_codes: tuple[str, ...]
    open_findings: tuple[str, ...]
    """The code of every finding that counted, one entry per finding."""
    counts: dict[str, int]


@dataclass(frozen=True, slots=True)
class LoadedSearch:
    """A client's records as the engine sees them, and the thresholds in force for them."""

    client: Client
    """With `user` and `coach` loaded."""
    snapshot: s.Snapshot
    thresholds: Thresholds
    """Defaults, then the practice's overrides, then the client's (the weekly goal stored on
    the client row is folded in by the engine)."""
    threshold_errors: dict[str, list[str]] = field(default_factory=dict)
    """Stored overrides that could not apply (written before a rule changed); empty normally."""
    history: tuple[StoredWeek, ...] = ()
    """Stored weekly snapshots of the weeks asked for, oldest first."""


# --- thresholds --------------------------------------------------------------------------------


def thresholds_in_force(
    *, practice: Mapping[str, Any] | None, client: Mapping[str, Any] | None
) -> tuple[Thresholds, dict[str, list[str]]]:
    """Resolve the stored layers. A layer that no longer validates is left out (and reported)
    rather than failing the report: the settings services refuse such values on the way in."""
    try:
        return resolve_thresholds(practice=practice, client=client), {}
    except InvalidThresholds as problem:
        errors = problem.errors
    try:
        return resolve_thresholds(practice=practice), errors
    except InvalidThresholds:
        return resolve_thresholds(), errors


class ThresholdCache:
    """Most clients share the same (usually empty) layers: resolve each combination once."""

    def __init__(self) -> None:
        self._seen: dict[str, tuple[Thresholds, dict[str, list[str]]]] = {}

    def get(
        self, *, practice: Mapping[str, Any], client: Mapping[str, Any]
    ) -> tuple[Thresholds, dict[str, list[str]]]:
        key = json.dumps([practice, client], sort_keys=True, default=str)
        if key not in self._seen:
            self._seen[key] = thresholds_in_force(practice=practice, client=client)
        return self._seen[key]


# --- the clients -------------------------------------------------------------------------------


def _json_rows(queryset: QuerySet[Any], **fields: Any) -> Subquery:
    """A correlated subquery: the client's rows of `queryset` as one JSON array (or NULL)."""
    rows = (
        queryset.filter(client=OuterRef("pk"))
        .values("client")
        .annotate(rows=JSONBAgg(JSONObject(**fields), order_by="id"))
        .values("rows")
    )
    return Subquery(rows, output_field=JSONField())


def with_diagnostic_facts(
    clients: QuerySet[Client], *, history: Collection[date] = ()
) -> QuerySet[Client]:
    """`clients` with what a snapshot needs beyond the per-record tables, in the same query: the
    presentation checklist, feedback, the coach's dispositions, whether someone chose the weekly
    goal, the practice's threshold overrides, and the stored weekly snapshots of the weeks in
    `history` (Mondays)."""
    goal_changed = ActivityEvent.objects.filter(
        client=OuterRef("pk"), verb="client.updated", changes__has_key="weekly_outreach_goal"
    )
    practice = PracticeDiagnosticsSettings.objects.values("threshold_overrides")[:1]
    annotated = clients.select_related("user", "coach").annotate(
        goal_changed=Exists(goal_changed),
        practice_overrides=Subquery(practice, output_field=JSONField()),
        checklist_rows=_json_rows(
            PresentationCheck.objects.all(), item="item", state="state", reviewed_at="reviewed_at"
        ),
        feedback_rows=_json_rows(
            Feedback.objects.all(), id="id", source="source", about="about",
            received_on="received_on", note="note", contact_id="contact_id",
        ),
        disposition_rows=_json_rows(
            FindingDisposition.objects.all(), finding_key="finding_key", state="state",
            decided_on="decided_on", note="note", expires_on="expires_on",
        ),
    )  # fmt: skip
    if history:
        annotated = annotated.annotate(
            history_rows=_json_rows(
                WeeklySnapshot.objects.filter(week_start__in=sorted(history)),
                week_start="week_start", as_of="as_of", status="status",
                days_without_progress="days_without_progress", weekly_goal="weekly_goal",
                average_weekly_reach="average_weekly_reach", open_codes="open_codes",
                findings="findings", counts="counts",
            )
        )  # fmt: skip
    return annotated


def weekly_goal_chosen(client: Client) -> int | None:
    """The client's goal only when someone chose it: the column's default must not beat the
    practice's goal. Chosen means it differs from the default, or the timeline shows a change."""
    goal = client.weekly_outreach_goal
    if goal != DEFAULT_WEEKLY_OUTREACH_GOAL or getattr(client, "goal_changed", False):
        return goal
    return None


def _day(value: str | None) -> date | None:
    """A day from a JSON subquery. PostgreSQL writes days Python cannot hold (`infinity`,
    `0044-03-15 BC`, year 20000) as text too: they become the nearest end of Python's range,
    which the engine then reports as a data problem (see `stored_dates`)."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return LOWEST_DAY if _before_year_one(value) else HIGHEST_DAY


def _moment(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        moment = parse_datetime(value)
    except ValueError:
        moment = None
    if moment is None:
        return LOWEST_INSTANT if _before_year_one(value) else HIGHEST_INSTANT
    return moment


def _before_year_one(text: str) -> bool:
    return text.startswith("-") or text.rstrip().endswith("BC")


def zone_or_utc(name: str) -> ZoneInfo:
    """The client's zone; an unknown one (the engine reports it) reads as UTC."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError, TypeError):
        return ZoneInfo("UTC")


def _client_facts(client: Client) -> s.ClientFacts:
    rows = getattr(client, "checklist_rows", None) or []
    presentation = tuple(
        s.ChecklistEntry(
            item=PresentationItem(row["item"]),
            state=ChecklistState(row["state"]),
            reviewed_at=_moment(row["reviewed_at"]),
        )
        for row in sorted(rows, key=lambda r: r["item"])
    )
    return s.ClientFacts(
        id=client.pk,
        time_zone=client.time_zone,
        search_started_on=client.search_started_on,
        name=_first_name(client),
        status=ClientStatus(client.status),
        landed_on=client.landed_on,
        weekly_goal=weekly_goal_chosen(client),
        target_role_families=tuple(sorted(client.role_families)),
        leaving_story_verdict=Verdict(client.leaving_story_verdict),
        presentation=presentation,
    )


def _first_name(client: Client) -> str:
    """The client's first name for the coach's to-dos (user is loaded with the client)."""
    full = str(getattr(client.user, "name", "") or "").strip()
    return full.split()[0] if full else ""


def _feedback(client: Client) -> tuple[s.Feedback, ...]:
    return tuple(
        s.Feedback(
            id=row["id"],
            source=_FEEDBACK_SOURCE[row["source"]],
            about=_FEEDBACK_ABOUT[row["about"]],
            received_on=_day(row["received_on"]) or LOWEST_DAY,
            note=row["note"],
            contact_id=row["contact_id"],
        )
        for row in getattr(client, "feedback_rows", None) or []
    )


def _dispositions(client: Client) -> tuple[s.Disposition, ...]:
    return tuple(
        s.Disposition(
            finding_key=row["finding_key"],
            state=_DISPOSITION[row["state"]],
            decided_on=_day(row["decided_on"]) or LOWEST_DAY,
            note=row["note"],
            expires_on=_day(row["expires_on"]),
        )
        for row in getattr(client, "disposition_rows", None) or []
    )


def _history(client: Client) -> tuple[StoredWeek, ...]:
    weeks = (
        StoredWeek(
            week_start=_day(row["week_start"]) or LOWEST_DAY,
            as_of=_day(row["as_of"]) or LOWEST_DAY,
            status=row["status"],
            days_without_progress=row["days_without_progress"],
            weekly_goal=row["weekly_goal"],
            average_weekly_reach=row["average_weekly_reach"],
            open_codes=tuple(row["open_codes"]),
            open_findings=tuple(f["code"] for f in row["findings"] if f.get("counts", True)),
            counts=dict(row["counts"]),
        )
        for row in getattr(client, "history_rows", None) or []
    )
    return tuple(sorted(weeks, key=lambda w: w.week_start))


# --- the records -------------------------------------------------------------------------------


def introduction_record(intro: Introduction) -> s.Introduction:
    """One introduction as the engine sees it (for callers that hold the model already)."""
    return s.Introduction(
        id=intro.pk,
        introducer_id=intro.introducer_id,
        target_id=intro.target_id,
        kind=_INTRO_KIND[intro.kind],
        status=_INTRO_STATUS[intro.status],
        application_id=intro.application_id,
        requested_at=intro.requested_at,
        made_at=intro.made_at,
        first_contact_at=intro.first_contact_at,
        thanked_at=intro.thanked_at,
        outcome_reported_at=intro.outcome_reported_at,
        reached_hiring_authority_at=intro.reached_hiring_authority_at,
        ended_at=intro.ended_at,
        abandon_reason=intro.abandon_reason,
    )


def _select(source: QuerySet[Any] | type[Model], ids: list[int], *fields: str) -> QuerySet[Any]:
    """`client_id` first, then `fields`, in a stable order (client, then primary key)."""
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    return (
        queryset.filter(client_id__in=ids)
        .order_by("client_id", "pk")
        .values_list("client_id", *fields)
    )


def _fetch_all(querysets: list[QuerySet[Any]]) -> list[list[tuple[Any, ...]]]:
    """Run the compiled SQL of each queryset on one cursor: plain columns need none of the ORM's
    per-row conversion, and django-tenants sets the search path once per cursor, not per query."""
    results = []
    with connection.cursor() as cursor:
        for queryset in querysets:
            sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    return results


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


_SQL_LOWEST = f"'{LOWEST_INSTANT.isoformat()}'::timestamptz"
_SQL_HIGHEST = f"'{HIGHEST_INSTANT.isoformat()}'::timestamptz"


class _EpochMicros(Func):
    """A timestamp as whole microseconds since 1970 (exact: PostgreSQL keeps microseconds).
    psycopg reads an integer in C, while Django's time-zone loader parses every timestamp's text
    in Python; for a practice's 250,000 interactions that parsing was a third of the load.
    A value beyond Python's range (`infinity`, a day BC) is read as the nearest end of it, as
    `stored_dates` does for every other read; NULL stays NULL."""

    template = (
        "(EXTRACT(EPOCH FROM CASE WHEN %(expressions)s < " + _SQL_LOWEST + " THEN " + _SQL_LOWEST
        + " WHEN %(expressions)s > " + _SQL_HIGHEST + " THEN " + _SQL_HIGHEST
        + " ELSE %(expressions)s END) * 1000000)::bigint"
    )  # fmt: skip
    output_field = BigIntegerField()


def _offer_days() -> Subquery:
    """When the application first moved to an offer (or straight to accepted), from the log:
    services log `{"status": [old, new]}` on updates and the new value on creation."""
    events = (
        ActivityEvent.objects.filter(subject_type="application", subject_id=OuterRef("pk"))
        .filter(Q(changes__status__in=_OFFER_STATUSES) | Q(changes__status__1__in=_OFFER_STATUSES))
        .order_by("at", "pk")
        .values("at")[:1]
    )
    return Subquery(events)


@dataclass(slots=True)
class _Records:
    contacts: list[s.Contact] = field(default_factory=list)
    interactions: list[s.Interaction] = field(default_factory=list)
    introductions: list[s.Introduction] = field(default_factory=list)
    follow_ups: list[s.FollowUp] = field(default_factory=list)
    applications: list[s.Application] = field(default_factory=list)
    meetings: list[s.Meeting] = field(default_factory=list)


def _load_records(*, zones: Mapping[int, ZoneInfo]) -> dict[int, _Records]:
    ids = sorted(zones)
    contacts, interactions, introductions, follow_ups, applications, meetings = _fetch_all(
        [
            _select(
                Contact, ids, "id", "name", "company", "is_hiring_authority",
                "is_key_influencer", "how_met", "first_met_on", "willingness",
            ),
            _select(
                Interaction.objects.annotate(
                    occurred_us=_EpochMicros("occurred_at"), replied_us=_EpochMicros("replied_at")
                ),
                ids, "id", "contact_id", "occurred_us", "channel", "direction", "kind",
                "replied_us",
            ),
            _select(
                Introduction, ids, "id", "introducer_id", "target_id", "kind", "status",
                "application_id", "requested_at", "made_at", "first_contact_at", "thanked_at",
                "outcome_reported_at", "reached_hiring_authority_at", "ended_at",
                "abandon_reason",
            ),
            _select(FollowUp, ids, "id", "contact_id", "due_on", "done_at", "channel"),
            _select(
                Application.objects.annotate(offer_at=_offer_days()), ids, "id", "company",
                "role", "role_family", "source", "fit_rating", "status", "posting_seen_on",
                "first_outreach_on", "applied_on", "last_employer_contact_on",
                "last_client_action_on", "offer_at",
            ),
            _select(
                Meeting, ids, "id", "contact_id", "scheduled_for", "purpose", "status",
                "introduction_id", "application_id", "prepared_at", "prep_company_research",
                "prep_questions", "prep_goal", "thanked_at",
            ),
        ]
    )  # fmt: skip
    records: dict[int, _Records] = defaultdict(_Records)

    for cid, pk, name, company, hiring, influencer, how_met, met_on, willing in contacts:
        records[cid].contacts.append(
            s.Contact(
                id=pk,
                name=name,
                company=company,
                is_hiring_authority=hiring,
                is_key_influencer=influencer,
                how_met=_HOW_MET[how_met],
                first_met_on=met_on,
                willingness=_WILLINGNESS[willing],
            )
        )

    # The bulk of the data: positional arguments and local lookups, one bucket per client.
    channel, direction, kind, make = _CHANNEL, _DIRECTION, _KIND, s.Interaction
    epoch, micros = _EPOCH, timedelta
    last_cid: int | None = None
    bucket: list[s.Interaction] = []
    for cid, pk, contact_id, occurred_us, ch, dr, kd, replied_us in interactions:
        if cid != last_cid:
            bucket, last_cid = records[cid].interactions, cid
        bucket.append(
            make(
                pk,
                contact_id,
                epoch + micros(microseconds=occurred_us),
                channel[ch],
                direction[dr],
                kind[kd],
                None if replied_us is None else epoch + micros(microseconds=replied_us),
            )
        )

    for cid, pk, introducer, target, kd, status, app, *moments, abandon in introductions:
        requested, made, contacted, thanked, reported, authority, ended = moments
        records[cid].introductions.append(
            s.Introduction(
                id=pk,
                introducer_id=introducer,
                target_id=target,
                kind=_INTRO_KIND[kd],
                status=_INTRO_STATUS[status],
                application_id=app,
                requested_at=requested,
                made_at=made,
                first_contact_at=contacted,
                thanked_at=thanked,
                outcome_reported_at=reported,
                reached_hiring_authority_at=authority,
                ended_at=ended,
                abandon_reason=abandon,
            )
        )

    for cid, pk, contact_id, due_on, done_at, ch in follow_ups:
        records[cid].follow_ups.append(
            s.FollowUp(
                id=pk, contact_id=contact_id, due_on=due_on, done_at=done_at, channel=_CHANNEL[ch]
            )
        )

    for cid, pk, company, role, family, source, fit, status, *days, offer_at in applications:
        posting_seen, first_outreach, applied, employer_contact, client_action = days
        records[cid].applications.append(
            s.Application(
                id=pk,
                company=company,
                role=role,
                role_family=family,
                source=_SOURCE[source],
                fit_rating=_FIT[fit],
                status=_APP_STATUS[status],
                posting_seen_on=posting_seen,
                first_outreach_on=first_outreach,
                applied_on=applied,
                last_employer_contact_on=employer_contact,
                last_client_action_on=client_action,
                offer_on=offer_at.astimezone(zones[cid]).date() if offer_at else None,
            )
        )

    for cid, pk, contact_id, at, purpose, status, intro, app, *prep, thanked in meetings:
        prepared_at, research, questions, goal = prep
        records[cid].meetings.append(
            s.Meeting(
                id=pk,
                contact_id=contact_id,
                scheduled_for=at,
                purpose=_PURPOSE[purpose],
                status=_MEETING_STATUS[status],
                introduction_id=intro,
                application_id=app,
                prepared_at=prepared_at,
                prep_company_research=bool(research.strip()),
                prep_questions=bool(questions.strip()),
                prep_goal=bool(goal.strip()),
                thanked_at=thanked,
            )
        )
    return records


def _assemble(clients: list[Client]) -> list[LoadedSearch]:
    if not clients:
        return []
    zones = {c.pk: zone_or_utc(c.time_zone) for c in clients}
    records = _load_records(zones=zones)
    cache = ThresholdCache()
    loaded = []
    for client in clients:
        r = records.get(client.pk) or _Records()
        thresholds, errors = cache.get(
            practice=getattr(client, "practice_overrides", None) or {},
            client=client.threshold_overrides or {},
        )
        snapshot = screen(  # what the engine cannot use, set aside and reported once, here
            s.Snapshot(
                client=_client_facts(client),
                contacts=tuple(r.contacts),
                interactions=tuple(r.interactions),
                introductions=tuple(r.introductions),
                follow_ups=tuple(r.follow_ups),
                applications=tuple(r.applications),
                meetings=tuple(r.meetings),
                feedback=_feedback(client),
                dispositions=_dispositions(client),
            )
        )
        loaded.append(
            LoadedSearch(
                client=client,
                snapshot=snapshot,
                thresholds=thresholds,
                threshold_errors=errors,
                history=_history(client),
            )
        )
    return loaded


# --- the selectors -----------------------------------------------------------------------------
# Each runs two cursors: the clients (1 query) and the records (6 queries on one cursor): 7
# statements whatever the sizes, plus a `SET search_path` per cursor when the connection has
# just switched practice (tenants/db_backend).


def search_load(*, actor: User, client_id: int, history: Collection[date] = ()) -> LoadedSearch:
    """One client's search, scoped to `actor` (`NotFound` when missing or not theirs)."""
    try:
        scoped = client_queryset_for(actor=actor).filter(pk=client_id)
        client = with_diagnostic_facts(scoped, history=history).first()
    except (ValueError, TypeError) as exc:
        raise NotFound("No such client.") from exc
    if client is None:
        raise NotFound("No such client.")
    return _assemble([client])[0]


def searches_load(
    *, actor: User, client_ids: Collection[int] | None = None, history: Collection[date] = ()
) -> list[LoadedSearch]:
    """Every search `actor` may see (or those of `client_ids` among them), ordered by client id.
    Ids outside the scope are left out: a list shows what one may see."""
    clients = client_queryset_for(actor=actor)
    if client_ids is not None:
        clients = clients.filter(pk__in=list(client_ids))
    return _assemble(list(with_diagnostic_facts(clients, history=history).order_by("pk")))


def searches_load_all(
    *, client_ids: Collection[int] | None = None, history: Collection[date] = ()
) -> list[LoadedSearch]:
    """Every search of the current practice, for system jobs with no acting user (the nightly
    snapshot) and for the practice-wide cohort table (`insights.cohorts`, which lets only
    medians and quartiles out). The one unscoped read here: never show a request what it read."""
    clients = Client.objects.all()
    if client_ids is not None:
        clients = clients.filter(pk__in=list(client_ids))
    return _assemble(list(with_diagnostic_facts(clients, history=history).order_by("pk")))


def default_as_of() -> date:
    """Today in the practice's time zone (the day reports default to)."""
    tenant = getattr(connection, "tenant", None)
    zone = ZoneInfo(getattr(tenant, "time_zone", None) or "UTC")
    return timezone.now().astimezone(zone).date()
