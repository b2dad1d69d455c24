"""One rule for dates and instants, whichever way they come in, saying the same thing.

The bounds live in `coaching.validation` (EARLIEST_DAY, LATEST_DAY). A day or a moment outside
them is refused with the same words by the API, the CSV import, the web forms and the services,
and by the function inbound mail (or any new way in) calls; `as_of` on a page and in the API
is refused with the same sentence; what a record says already happened cannot be in the future.
"""

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client as HttpClient
from rest_framework.test import APIClient

from accounts.models import User
from coaching.choices import ImportKind, ImportStatus
from coaching.models import Client, Contact
from coaching.services import contact_create
from coaching.services.imports import import_run, import_start
from coaching.validation import (
    EARLIEST_DAY,
    LATEST_DAY,
    day_param,
    day_problems,
    instant_problems,
)
from tests.conftest import SeededPractice

NOW = datetime(2024, 4, 15, 12, tzinfo=UTC)
DAYS = ["0001-01-01", "1949-12-31", "2101-01-01", "9999-12-31"]
INSTANTS = ["0001-01-01T00:00:00+05:00", "1900-06-01T12:00:00Z", "9999-12-31T23:59:59-12:00"]


def test_the_bounds_are_the_documented_ones() -> None:
    assert (date(1950, 1, 1), date(2100, 12, 31)) == (EARLIEST_DAY, LATEST_DAY)
    assert day_problems(EARLIEST_DAY) == day_problems(LATEST_DAY) == []
    assert day_problems(EARLIEST_DAY - timedelta(days=1))
    assert day_problems(LATEST_DAY + timedelta(days=1))


@pytest.mark.parametrize("text", DAYS)
def test_a_day_out_of_range_is_refused_alike_everywhere(
    text: str,
    search: Client,
    coach: User,
    client_user: User,
    owner_api: APIClient,
    seeded: dict[str, SeededPractice],
) -> None:
    expected = day_problems(date.fromisoformat(text))
    assert len(expected) == 1
    assert text in expected[0]

    # The API
    response = owner_api.post(
        "/api/v1/contacts/", {"client": search.pk, "name": "Ann", "first_met_on": text}
    )
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["first_met_on"] == expected
    # The service (what every other way in calls)
    with pytest.raises(ValidationError) as refused:
        contact_create(
            client=search, actor=coach, name="Ann", first_met_on=date.fromisoformat(text), now=NOW
        )
    assert refused.value.message_dict["first_met_on"] == expected
    # A CSV import
    job = import_start(
        client=search,
        actor=coach,
        kind=ImportKind.CONTACTS_CSV,
        payload=f"name,first_met_on\nAnn,{text}\n".encode(),
    )
    job = import_run(job_id=job.pk, now=NOW)
    assert job.status == ImportStatus.FAILED
    assert job.errors == [{"line": 2, "field": "first_met_on", "message": expected[0]}]
    # The portal's form
    browser = HttpClient(HTTP_HOST=seeded["a"].host)
    browser.force_login(client_user)
    page = browser.post("/my/contacts/", {"name": "Ann", "how_met": "other", "first_met_on": text})
    assert page.status_code == 400
    assert expected[0] in page.content.decode()
    assert not Contact.objects.filter(client=search).exists()


@pytest.mark.parametrize("text", INSTANTS)
def test_an_instant_out_of_range_is_refused_alike_everywhere(
    text: str, search: Client, coach: User, owner_api: APIClient, make_contact: Any
) -> None:
    contact = make_contact(search, email="ann@example.com")
    expected = instant_problems(datetime.fromisoformat(text), now=NOW)
    assert len(expected) == 1

    response = owner_api.post(
        "/api/v1/interactions/",
        {"contact": contact.pk, "occurred_at": text, "channel": "email",
         "direction": "outbound", "kind": "outreach"},
    )  # fmt: skip
    assert response.status_code == 400
    assert response.json()["error"]["fields"]["occurred_at"] == expected
    header = "contact_email,occurred_at,channel,direction,kind\n"
    job = import_start(
        client=search,
        actor=coach,
        kind=ImportKind.INTERACTIONS_CSV,
        payload=f"{header}ann@example.com,{text},email,outbound,outreach\n".encode(),
    )
    job = import_run(job_id=job.pk, now=NOW)
    assert job.errors == [{"line": 2, "field": "occurred_at", "message": expected[0]}]


def test_what_inbound_mail_will_call() -> None:
    """A way in that does not exist yet (a forwarded email's Date header) has the rule ready."""
    sent = datetime(2024, 4, 2, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert instant_problems(sent, now=NOW) == []
    assert instant_problems(sent.replace(year=2030), now=NOW) == [
        "This already happened, so it cannot be in the future (2030-04-02 07:30 UTC)."
    ]
    assert instant_problems(sent.replace(tzinfo=None), now=NOW) == [
        "The time needs a time zone (an offset such as +00:00)."
    ]
    assert instant_problems(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=5)))) == [
        "0001-01-01 is before 1950-01-01, the earliest date Warmpath accepts."
    ]
    assert instant_problems(datetime(9999, 12, 31, 23, tzinfo=timezone(timedelta(hours=-5)))) == [
        "9999-12-31 is after 2100-12-31, the latest date Warmpath accepts."
    ]
    assert instant_problems("2024-04-02") == ["Expected a date and time."]
    assert day_problems(datetime(2024, 4, 2, tzinfo=UTC)) == [
        "Expected a calendar date (YYYY-MM-DD)."
    ]
    assert day_problems(date(2024, 4, 16), today=date(2024, 4, 15)) == [
        "This already happened, so it cannot be after today (2024-04-15)."
    ]


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "1949-12-31", "soon", "2024-13-01"])
def test_as_of_is_refused_with_one_sentence_on_pages_and_in_the_api(
    text: str,
    search: Client,
    coach: User,
    coach_api: APIClient,
    seeded: dict[str, SeededPractice],
) -> None:
    with pytest.raises(ValueError, match="as_of must be a date") as refused:
        day_param(text, name="as_of")
    sentence = str(refused.value)
    assert "between 1950-01-01 and 2100-12-31" in sentence

    api = coach_api.get(f"/api/v1/clients/{search.pk}/report/?as_of={text}")
    assert api.status_code == 400
    assert api.json()["error"]["fields"]["as_of"] == [sentence]
    browser = HttpClient(HTTP_HOST=seeded["a"].host)
    browser.force_login(coach)
    page = browser.get(f"/clients/{search.pk}/?as_of={text}")
    assert page.status_code == 400
    assert sentence.replace("'", "&#x27;") in page.content.decode()
