"""Diagnostics snapshots for many clients at once: one query per kind of record, whatever the
number of clients, so the dashboard never runs a loader per client.

The engine is pure (`coaching.diagnostics`); this maps ORM rows to its snapshot records field by
field. The caller passes clients it already scoped through `coaching.access`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

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
from coaching.models import (
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


def _grouped(rows: Iterable[Any]) -> dict[int, list[dict[str, Any]]]:
    by_client: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_client[row.pop("client_id")].append(row)
    return by_client


def load_snapshots(
    *,
    clients: Sequence[Client],
    dispositions: Mapping[int, Sequence[s.Disposition]] | None = None,
) -> dict[int, s.Snapshot]:
    """Snapshots of `clients`, keyed by client id, in 8 queries (values(), no model instances)."""
    ids = [c.pk for c in clients]
    if not ids:
        return {}
    scope = {"client_id__in": ids}
    checks = _grouped(
        PresentationCheck.objects.filter(**scope).values(
            "client_id", "item", "state", "reviewed_at"
        )
    )
    contacts = _grouped(
        Contact.objects.filter(**scope).values(
            "client_id", "id", "name", "company", "is_hiring_authority", "is_key_influencer",
            "how_met", "first_met_on", "willingness",
        )
    )  # fmt: skip
    interactions = _grouped(
        Interaction.objects.filter(**scope).values(
            "client_id", "id", "contact_id", "occurred_at", "channel", "direction", "kind",
            "replied_at",
        )
    )  # fmt: skip
    introductions = _grouped(
        Introduction.objects.filter(**scope).values(
            "client_id", "id", "introducer_id", "target_id", "kind", "status", "application_id",
            "requested_at", "made_at", "first_contact_at", "thanked_at", "outcome_reported_at",
            "reached_hiring_authority_at", "ended_at", "abandon_reason",
        )
    )  # fmt: skip
    follow_ups = _grouped(
        FollowUp.objects.filter(**scope).values(
            "client_id", "id", "contact_id", "due_on", "done_at", "channel"
        )
    )
    applications = _grouped(
        Application.objects.filter(**scope).values(
            "client_id", "id", "company", "role", "role_family", "source", "fit_rating", "status",
            "posting_seen_on", "first_outreach_on", "applied_on", "last_employer_contact_on",
            "last_client_action_on",
        )
    )  # fmt: skip
    meetings = _grouped(
        Meeting.objects.filter(**scope).values(
            "client_id", "id", "contact_id", "scheduled_for", "purpose", "status",
            "introduction_id", "application_id", "prepared_at", "prep_company_research",
            "prep_questions", "prep_goal", "thanked_at",
        )
    )  # fmt: skip
    feedback = _grouped(
        Feedback.objects.filter(**scope).values(
            "client_id", "id", "source", "about", "received_on", "note", "contact_id"
        )
    )
    dispositions = dispositions or {}
    return {
        client.pk: s.Snapshot(
            client=_client_facts(client, checks.get(client.pk, [])),
            contacts=tuple(_contact(r) for r in contacts.get(client.pk, [])),
            interactions=tuple(_interaction(r) for r in interactions.get(client.pk, [])),
            introductions=tuple(_introduction(r) for r in introductions.get(client.pk, [])),
            follow_ups=tuple(_follow_up(r) for r in follow_ups.get(client.pk, [])),
            applications=tuple(_application(r) for r in applications.get(client.pk, [])),
            meetings=tuple(_meeting(r) for r in meetings.get(client.pk, [])),
            feedback=tuple(_feedback(r) for r in feedback.get(client.pk, [])),
            dispositions=tuple(dispositions.get(client.pk, ())),
        )
        for client in clients
    }


def _client_facts(client: Client, checks: list[dict[str, Any]]) -> s.ClientFacts:
    return s.ClientFacts(
        id=client.pk,
        time_zone=client.time_zone,
        search_started_on=client.search_started_on,
        status=ClientStatus(client.status),
        landed_on=client.landed_on,
        weekly_goal=client.weekly_outreach_goal,
        target_role_families=tuple(sorted(client.role_families)),
        leaving_story_verdict=Verdict(client.leaving_story_verdict),
        presentation=tuple(
            s.ChecklistEntry(
                item=PresentationItem(c["item"]),
                state=ChecklistState(c["state"]),
                reviewed_at=c["reviewed_at"],
            )
            for c in sorted(checks, key=lambda c: c["item"])
        ),
    )


def _cast(r: dict[str, Any], **enums: type) -> dict[str, Any]:
    for field, enum in enums.items():
        r[field] = enum(r[field])
    return r


def _contact(r: dict[str, Any]) -> s.Contact:
    return s.Contact(**_cast(r, how_met=HowMet, willingness=Willingness))


def _interaction(r: dict[str, Any]) -> s.Interaction:
    return s.Interaction(**_cast(r, channel=Channel, direction=Direction, kind=InteractionKind))


def _introduction(r: dict[str, Any]) -> s.Introduction:
    return s.Introduction(**_cast(r, kind=IntroductionKind, status=IntroductionStatus))


def _follow_up(r: dict[str, Any]) -> s.FollowUp:
    return s.FollowUp(**_cast(r, channel=Channel))


def _application(r: dict[str, Any]) -> s.Application:
    return s.Application(
        **_cast(r, source=ApplicationSource, fit_rating=FitRating, status=ApplicationStatus)
    )


def _meeting(r: dict[str, Any]) -> s.Meeting:
    for prep in ("prep_company_research", "prep_questions", "prep_goal"):
        r[prep] = bool(r[prep].strip())
    return s.Meeting(**_cast(r, purpose=MeetingPurpose, status=MeetingStatus))


def _feedback(r: dict[str, Any]) -> s.Feedback:
    return s.Feedback(**_cast(r, source=FeedbackSource, about=FeedbackAbout))
