"""One stored record with a date nothing should have accepted must not take a practice down.

The fault-injection run found an interactions row dated `0001-01-01T00:00:00+05:00` (1 BC in UTC,
which PostgreSQL stores and Python cannot read): from then on the dashboards, the practice
report, the interaction list, the client report and the contacts page answered 500, and the row
could not even be deleted. Here such values are written straight into the database, past every
validation (the ORM for what Python can hold, SQL for what only PostgreSQL can: `infinity`, days
BC, year 294276), and every page must answer 200, the reports must name the record as a data
problem, and the API must delete it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from django.db import connection
from django.test import Client as HttpClient
from rest_framework.test import APIClient

from accounts.models import User
from coaching.models import Client, Contact, FollowUp, Interaction, Introduction, Meeting
from coaching.services import (
    client_set_report_sharing,
    follow_up_schedule,
    interaction_record,
    introduction_create,
    meeting_schedule,
)
from tests.conftest import SeededPractice

NOW = datetime(2024, 4, 15, 12, tzinfo=UTC)
AT = datetime(2024, 4, 2, 9, tzinfo=UTC)


def _set(model: type, pk: int, field: str, sql_value: str, cast: str) -> None:
    """Write a value PostgreSQL accepts but no validation would, bypassing the ORM."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'UPDATE "{table}" SET "{field}" = %s::{cast} WHERE id = %s',
            [sql_value, pk],
        )


@dataclass(frozen=True)
class Poison:
    id: str
    record: str  # as the report names it
    field: str
    make: Callable[..., int]  # (search, contact, actor) -> the poisoned record's id


def _interaction(search: Client, contact: Contact, actor: User) -> Interaction:
    return interaction_record(
        client=search, actor=actor, contact=contact, occurred_at=AT, channel="email",
        direction="outbound", kind="outreach", now=NOW,
    )  # fmt: skip


def _orm_year_one(search: Client, contact: Contact, actor: User) -> int:
    """The row from the report: what the import let through, saved with the ORM."""
    return Interaction.objects.create(
        client=search, contact=contact, channel="email", direction="outbound", kind="outreach",
        occurred_at=datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5))),
    ).pk  # fmt: skip


def _interaction_at(value: str) -> Callable[..., int]:
    def make(search: Client, contact: Contact, actor: User) -> int:
        pk = _interaction(search, contact, actor).pk
        _set(Interaction, pk, "occurred_at", value, "timestamptz")
        return pk

    return make


def _contact_met(value: str) -> Callable[..., int]:
    def make(search: Client, contact: Contact, actor: User) -> int:
        _set(Contact, contact.pk, "first_met_on", value, "date")
        return contact.pk

    return make


def _follow_up_due(search: Client, contact: Contact, actor: User) -> int:
    follow_up = follow_up_schedule(
        client=search, actor=actor, contact=contact, due_on=date(2024, 4, 20)
    )
    _set(FollowUp, follow_up.pk, "due_on", "infinity", "date")
    return follow_up.pk


def _meeting_at(search: Client, contact: Contact, actor: User) -> int:
    meeting = meeting_schedule(
        client=search, actor=actor, contact=contact, scheduled_for=AT, purpose="networking"
    )
    _set(Meeting, meeting.pk, "scheduled_for", "-infinity", "timestamptz")
    return meeting.pk


def _introduction_requested(search: Client, contact: Contact, actor: User) -> int:
    target = Contact.objects.create(client=search, name="Bea Target")
    intro = introduction_create(
        client=search, actor=actor, introducer=contact, target=target,
        requested_at=AT, made_at=AT + timedelta(days=1), now=NOW,
    )  # fmt: skip
    _set(Introduction, intro.pk, "requested_at", "0044-03-15 12:00:00+00 BC", "timestamptz")
    return intro.pk


POISONS = [
    Poison("orm-year-1-east-of-utc", "interaction", "occurred_at", _orm_year_one),
    Poison("sql-infinity", "interaction", "occurred_at", _interaction_at("infinity")),
    Poison("sql-minus-infinity", "interaction", "occurred_at", _interaction_at("-infinity")),
    Poison("sql-4713-bc", "interaction", "occurred_at",
           _interaction_at("4713-01-01 00:00:00+00 BC")),
    Poison("sql-year-294276", "interaction", "occurred_at",
           _interaction_at("294276-12-31 00:00:00+00")),
    Poison("sql-year-1200", "interaction", "occurred_at",
           _interaction_at("1200-06-01 12:00:00+00")),
    Poison("sql-year-2500", "interaction", "occurred_at",
           _interaction_at("2500-06-01 12:00:00+00")),
    Poison("contact-met-bc", "contact", "first_met_on", _contact_met("0044-03-15 BC")),
    Poison("contact-met-year-3000", "contact", "first_met_on", _contact_met("3000-01-01")),
    Poison("follow-up-due-infinity", "follow_up", "due_on", _follow_up_due),
    Poison("meeting-minus-infinity", "meeting", "scheduled_for", _meeting_at),
    Poison("introduction-requested-bc", "introduction", "requested_at", _introduction_requested),
]  # fmt: skip


@pytest.fixture(params=POISONS, ids=[p.id for p in POISONS])
def poisoned(
    request: pytest.FixtureRequest,
    search: Client,
    make_contact: Callable[..., Contact],
    coach: User,
) -> tuple[Poison, int, Contact]:
    """Cleo's search with ordinary records and one poisoned value."""
    poison: Poison = request.param
    contact = make_contact(search, name="Ann Archer", email="ann@example.com")
    healthy = make_contact(search, name="Hal Healthy")
    _interaction(search, healthy, coach)
    client_set_report_sharing(client=search, actor=coach, shared=True)
    return poison, poison.make(search, contact, coach), contact


def _browser(seeded: dict[str, SeededPractice], user: User) -> HttpClient:
    browser = HttpClient(HTTP_HOST=seeded["a"].host)
    browser.force_login(user)
    return browser


def test_every_page_answers_with_the_poisoned_row_present(
    poisoned: tuple[Poison, int, Contact],
    search: Client,
    seeded: dict[str, SeededPractice],
    owner: User,
    coach: User,
    client_user: User,
    owner_api: APIClient,
    coach_api: APIClient,
) -> None:
    _, _, contact = poisoned
    pages = {
        coach: [
            "/",  # the coach's dashboard
            "/report/",  # the practice report
            f"/clients/{search.pk}/",  # the client report as the coach reads it
            f"/clients/{search.pk}/contacts/{contact.pk}/",
        ],
        owner: ["/", "/report/", f"/clients/{search.pk}/"],  # the owner's dashboard
        # the client's portal: today, the contacts page, and the rest
        client_user: ["/", "/my/contacts/", "/my/report/", "/my/meetings/", "/my/introductions/"],
    }
    for user, paths in pages.items():
        browser = _browser(seeded, user)
        for path in paths:
            assert browser.get(path).status_code == 200, (user.email, path)
    for api, path in (
        (owner_api, "/api/v1/interactions/"),  # the practice-wide interaction list
        (owner_api, "/api/v1/contacts/"),
        (owner_api, "/api/v1/follow-ups/"),
        (owner_api, "/api/v1/meetings/"),
        (owner_api, "/api/v1/introductions/"),
        (owner_api, f"/api/v1/clients/{search.pk}/report/"),
        (owner_api, f"/api/v1/clients/{search.pk}/figures/"),
        (coach_api, "/api/v1/diagnostics/practice-report/"),
        (owner_api, "/api/v1/diagnostics/practice-report/"),
    ):
        response = api.get(path)
        assert response.status_code == 200, (path, response.content[:300])


def test_the_reports_name_the_record_as_a_data_problem(
    poisoned: tuple[Poison, int, Contact], search: Client, owner_api: APIClient
) -> None:
    poison, pk, _ = poisoned
    report = owner_api.get(f"/api/v1/clients/{search.pk}/report/?as_of=2024-04-15").json()

    (problem,) = report["data_problems"]
    assert (problem["record"], problem["id"], problem["field"]) == (poison.record, pk, poison.field)
    assert "1950-01-01" in problem["message"] or "2100-12-31" in problem["message"]
    assert report["figures"]["outreach"]["weeks"], "the rest of the report is there"
    practice = owner_api.get("/api/v1/diagnostics/practice-report/?as_of=2024-04-15").json()
    (row,) = (r for r in practice["clients"] if r["client_id"] == search.pk)
    assert row["data_problems"] == 1


def test_the_printed_report_lists_the_record_to_correct(
    search: Client,
    make_contact: Callable[..., Contact],
    coach: User,
    seeded: dict[str, SeededPractice],
) -> None:
    contact = make_contact(search, name="Ann Archer")
    pk = _orm_year_one(search, contact, coach)

    response = _browser(seeded, coach).get(f"/clients/{search.pk}/report.pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    from coaching.insights.pdf import client_report_html
    from coaching.insights.reports import client_report

    html = client_report_html(
        report=client_report(actor=coach, client_id=search.pk),
        record_url=lambda record, record_id: f"/r/{record}/{record_id}/",
    )
    assert "Records to correct" in html
    assert f'<a href="/r/interaction/{pk}/">A message, call or conversation</a>' in html
    assert f"interaction {pk}" not in html  # the id is in the link, never in the words


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00:00+05:00", "infinity", "-infinity", "4713-01-01 00:00:00+00 BC"]
)
def test_the_poisoned_interaction_can_be_deleted_through_the_api(
    value: str,
    search: Client,
    make_contact: Callable[..., Contact],
    coach: User,
    owner_api: APIClient,
) -> None:
    contact = make_contact(search, name="Ann Archer")
    pk = _interaction(search, contact, coach).pk
    _set(Interaction, pk, "occurred_at", value, "timestamptz")

    assert owner_api.get(f"/api/v1/interactions/{pk}/").status_code == 200
    response = owner_api.delete(f"/api/v1/interactions/{pk}/")

    assert response.status_code == 204, response.content
    assert not Interaction.objects.filter(pk=pk).exists()
    report = owner_api.get(f"/api/v1/clients/{search.pk}/report/").json()
    assert report["data_problems"] == []


def test_an_unknown_stored_time_zone_is_a_data_problem_not_an_error(
    search: Client, owner_api: APIClient
) -> None:
    Client.objects.filter(pk=search.pk).update(time_zone="Mars/Olympus")

    report = owner_api.get(f"/api/v1/clients/{search.pk}/report/")
    practice = owner_api.get("/api/v1/diagnostics/practice-report/")

    assert report.status_code == 200, report.content[:300]
    assert practice.status_code == 200
    (problem,) = report.json()["data_problems"]
    assert (problem["record"], problem["field"]) == ("client", "time_zone")


def test_pages_refuse_an_as_of_outside_the_range_with_the_reason(
    search: Client, seeded: dict[str, SeededPractice], coach: User
) -> None:
    browser = _browser(seeded, coach)
    for query in ("0001-01-01", "9999-12-31", "1949-12-31", "tomorrow", "2024-02-30", "%00"):
        for path in ("/", f"/clients/{search.pk}/", f"/clients/{search.pk}/report.pdf"):
            response = browser.get(f"{path}?as_of={query}")
            assert response.status_code == 400, (path, query)
            assert "as_of must be a date (YYYY-MM-DD) between 1950-01-01 and 2100-12-31" in (
                response.content.decode()
            )
    assert browser.get(f"/clients/{search.pk}/?as_of=2024-04-01").status_code == 200
