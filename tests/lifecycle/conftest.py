"""A search with every kind of record, and with one contact (Jane Doe) copied everywhere a real
search copies a person: other records' notes, the timeline, the stored weekly findings, an
import file, the emails Warmpath queued, a webhook delivery and a remembered API answer.

Everything is made through the services and jobs that make it in production."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from accounts.models import User
from coaching import services as s
from coaching.choices import (
    ApplicationSource,
    Channel,
    Direction,
    FeedbackAbout,
    FeedbackSource,
    ImportKind,
    InteractionKind,
    MeetingPurpose,
)
from coaching.models import Client, Contact, Introduction
from coaching.services.imports import import_run, import_start
from integrations.webhooks.services import endpoint_create
from notifications.jobs.introductions import introduction_nudges
from notifications.jobs.nightly import nightly_diagnostics
from tests.api.conftest import (
    api_for,
    client_api,
    coach_api,
    other_client_api,
    other_coach_api,
    owner_api,
)
from tests.coaching.conftest import NOW, make_contact, now, other_search, search

__all__ = [
    "api_for",
    "client_api",
    "coach_api",
    "make_contact",
    "now",
    "other_client_api",
    "other_coach_api",
    "other_search",
    "owner_api",
    "search",
]

DAY = timedelta(days=1)
JANE = {
    "name": "Jane Doe",
    "email": "jane.doe@example.org",
    "linkedin_url": "https://www.linkedin.com/in/jane-doe-1234",
}
# How Jane could be found again: her name, her email, her LinkedIn profile.
JANE_TRACES = ("Jane Doe", "jane.doe@example.org", "linkedin.com/in/jane-doe-1234")


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class World:
    search: Client
    jane: Contact
    ann: Contact
    bob: Contact
    introduction: Introduction


@pytest.fixture
def world(search: Client, coach: User, client_user: User, owner: User, api_for: Any) -> World:
    """Cleo's search (coached by Cora) in which Jane Doe is everywhere."""
    jane = s.contact_create(
        client=search, actor=client_user, company="Initech", title="CTO", notes="Met at PyCon",
        now=NOW, **JANE,
    )  # fmt: skip
    ann = s.contact_create(
        client=search, actor=client_user, name="Ann Archer", email="ann@example.com",
        notes="Knows Jane Doe from school", tags=["alumni"], now=NOW,
    )  # fmt: skip
    bob = s.contact_create(client=search, actor=coach, name="Bob Baker", now=NOW)
    endpoint_create(
        actor=owner,
        url="https://hooks.example.com/warmpath",
        events=["introduction.made", "introduction.overdue", "record.deleted"],
        description="CRM",
    )
    s.interaction_record(
        client=search, actor=client_user, contact=jane, occurred_at=NOW - 20 * DAY,
        channel=Channel.EMAIL, direction=Direction.OUTBOUND, kind=InteractionKind.OUTREACH,
        note="Asked Jane Doe about the platform team", now=NOW,
    )  # fmt: skip
    s.interaction_record(
        client=search, actor=client_user, contact=bob, occurred_at=NOW - 19 * DAY,
        channel=Channel.PHONE, direction=Direction.OUTBOUND, kind=InteractionKind.OUTREACH,
        note="Bob says jane.doe@example.org is hiring", now=NOW,
    )  # fmt: skip
    intro = s.introduction_create(
        client=search, actor=client_user, introducer=ann, target=jane,
        made_at=NOW - 8 * DAY, note="Ann introduces Jane Doe", now=NOW,
    )  # fmt: skip
    s.meeting_schedule(
        client=search, actor=client_user, contact=jane, scheduled_for=NOW + 3 * DAY,
        purpose=MeetingPurpose.INFORMATIONAL, note="Coffee with Jane",
    )  # fmt: skip
    s.follow_up_schedule(
        client=search, actor=client_user, contact=jane, due_on=date(2024, 4, 20),
        note="Send Jane Doe the portfolio",
    )  # fmt: skip
    s.application_create(
        client=search, actor=coach, company="Initech", role="Data engineer",
        source=ApplicationSource.REFERRAL, note="Referral through Jane Doe", now=NOW,
    )  # fmt: skip
    s.feedback_record(
        client=search, actor=coach, source=FeedbackSource.INTRODUCER, contact=jane,
        about=FeedbackAbout.OTHER, received_on=date(2024, 4, 1), note="Jane found him sharp",
        now=NOW,
    )  # fmt: skip
    s.contact_update(contact=jane, actor=coach, data={"title": "VP Engineering"}, now=NOW)
    job = import_start(
        client=search,
        actor=coach,
        kind=ImportKind.CONTACTS_CSV,
        payload=f"name,email,company\n{JANE['name']},{JANE['email']},Initech\n".encode(),
        filename="network.csv",
    )
    import_run(job_id=job.pk, now=NOW)
    nightly_diagnostics(as_of=NOW.date() - DAY, now=NOW)
    introduction_nudges(now=NOW)
    api = api_for(coach)
    created = api.post(
        "/api/v1/contacts/",
        {"client": search.pk, "name": "Zed Zimmer", "notes": "Friend of Jane Doe"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="world-zed",
    )
    assert created.status_code == 201, created.content
    return World(search=search, jane=jane, ann=ann, bob=bob, introduction=intro)


def schema_texts_containing(needles: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """Every (table, column, value) in the practice's schema whose text holds one of `needles`
    (any case): every text, JSON and binary column of every table, looked at directly."""
    schema = connection.schema_name
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = %s AND data_type IN "
            "('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'inet')",
            [schema],
        )
        for table, column, data_type in cursor.fetchall():
            as_text = (
                f"convert_from({_q(column)}, 'UTF8')"
                if data_type == "bytea"
                else f"{_q(column)}::text"
            )
            for needle in needles:
                cursor.execute(
                    f"SELECT {as_text} FROM {_q(schema)}.{_q(table)} "
                    f"WHERE strpos(lower({as_text}), lower(%s)) > 0",
                    [needle],
                )
                found += [(table, column, row[0][:200]) for row in cursor.fetchall()]
    return found


def _q(name: str) -> str:
    assert re.fullmatch(r"[a-z0-9_]+", name), name
    return f'"{name}"'
