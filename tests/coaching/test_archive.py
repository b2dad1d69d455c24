"""Archiving a client whose search is over or abandoned, and restoring one
(coaching.services.archive): the mark, the pause of an active search (no paid seat), the
timeline and the webhooks; off the dashboard, the board across clients and the nightly
diagnosis; read-only for the client, still editable by the coach; nobody outside the search
archives it."""

import json
from collections.abc import Callable
from datetime import date

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from billing.selectors import active_client_count
from coaching.access import NotFound
from coaching.choices import ApplicationSource, ClientStatus
from coaching.insights.dashboard import Filters, dashboard
from coaching.insights.models import WeeklySnapshot
from coaching.insights.services import weekly_snapshots_store
from coaching.models import ActivityEvent, Client, Contact
from coaching.services import application_create, client_set_status, contact_update
from coaching.services.archive import client_archive, client_restore
from coaching.workspace import application_board
from integrations.models import WebhookDelivery, WebhookEndpoint
from tenants.models import Practice
from tests.coaching.conftest import NOW


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    cache.clear()  # dashboard summaries are cached per client id


@pytest.fixture
def subscribed(search: Client) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        url="https://crm.example.com/hooks",
        events=["client.archived", "client.restored"],
        secret="s" * 32,
    )


def _announced() -> list[tuple[str, dict[str, object]]]:
    rows = WebhookDelivery.objects.order_by("pk")
    return [(d.event, json.loads(d.body)["data"]) for d in rows]


@pytest.mark.usefixtures("subscribed")
def test_archiving_pauses_an_active_search_frees_its_seat_and_restoring_keeps_the_pause(
    practice: Practice, search: Client, coach: User
) -> None:
    seats = active_client_count(practice=practice)
    client_archive(client=search, actor=coach, now=NOW)
    search.refresh_from_db()
    assert (search.archived_at, search.status) == (NOW, ClientStatus.PAUSED)
    assert active_client_count(practice=practice) == seats - 1
    archived = ActivityEvent.objects.get(client=search, verb="client.archived")
    assert archived.changes["status"] == ["active", "paused"]
    client_restore(client=search, actor=coach, now=NOW)
    search.refresh_from_db()
    assert (search.archived_at, search.status) == (None, ClientStatus.PAUSED)
    assert ActivityEvent.objects.filter(client=search, verb="client.restored").exists()
    events = _announced()
    assert [e for e, _ in events] == ["client.archived", "client.restored"]
    assert events[0][1]["client"] == search.pk
    assert events[0][1]["status"] == "paused"
    assert events[1][1]["archived_at"] is None


def test_a_landed_search_stays_landed_and_the_status_waits_for_the_restore(
    search: Client, coach: User
) -> None:
    client_set_status(client=search, actor=coach, status="landed", landed_on=date(2024, 3, 1))
    client_archive(client=search, actor=coach, now=NOW)
    search.refresh_from_db()
    assert search.status == ClientStatus.LANDED
    assert search.landed_on == date(2024, 3, 1)
    with pytest.raises(ValidationError) as refused:
        client_set_status(client=search, actor=coach, status="active")
    assert "restore" in str(refused.value)
    with pytest.raises(ValidationError):
        client_archive(client=search, actor=coach)  # already archived
    client_restore(client=search, actor=coach)
    with pytest.raises(ValidationError):
        client_restore(client=search, actor=coach)  # not archived any more
    client_set_status(client=search, actor=coach, status="active")
    search.refresh_from_db()
    assert search.status == ClientStatus.ACTIVE


def test_the_client_reads_but_no_longer_writes_and_the_coach_still_corrects(
    search: Client, coach: User, client_user: User, make_contact: Callable[..., Contact]
) -> None:
    ann = make_contact(search, name="Ann")
    client_archive(client=search, actor=coach)
    with pytest.raises(PermissionDenied):
        application_create(
            client=search, actor=client_user, company="Acme", role="Analyst",
            source=ApplicationSource.JOB_BOARD,
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        contact_update(contact=ann, actor=client_user, data={"company": "Beta"})
    contact_update(contact=ann, actor=coach, data={"company": "Beta"})
    ann.refresh_from_db()
    assert ann.company == "Beta"


def test_only_the_coach_or_owner_archives_and_nobody_outside_the_search(
    search: Client, other_search: Client, owner: User, coach: User, other_coach: User,
    client_user: User, other_client_user: User,
) -> None:  # fmt: skip
    with pytest.raises(PermissionDenied):
        client_archive(client=search, actor=client_user)
    for stranger in (other_coach, other_client_user):
        with pytest.raises(NotFound):
            client_archive(client=search, actor=stranger)
    with pytest.raises(NotFound):
        client_archive(client=other_search, actor=coach)
    search.refresh_from_db()
    assert search.archived_at is None
    client_archive(client=other_search, actor=owner)
    with pytest.raises(NotFound):
        client_restore(client=other_search, actor=coach)
    other_search.refresh_from_db()
    assert other_search.archived_at is not None


def test_an_archived_search_leaves_the_dashboard_the_board_and_the_nightly_diagnosis(
    search: Client, other_search: Client, owner: User, coach: User
) -> None:
    for client in (search, other_search):
        application_create(
            client=client, actor=client.coach, company="Acme", role="Analyst",
            source=ApplicationSource.JOB_BOARD,
        )  # fmt: skip
    client_archive(client=search, actor=coach)
    working = dashboard(actor=owner, filters=Filters())
    assert [r.client.pk for r in working.rows] == [other_search.pk]
    assert (working.total, working.archived) == (1, 1)
    shelf = dashboard(actor=owner, filters=Filters(archived=True))
    assert [r.client.pk for r in shelf.rows] == [search.pk]
    assert dashboard(actor=coach, filters=Filters()).rows == []
    board = application_board(actor=owner)
    assert {a.client_id for c in board.columns for a in c.cards} == {other_search.pk}
    own = application_board(actor=coach, client=search)  # its own page keeps its board
    assert own.total == 1
    weekly_snapshots_store(as_of=date(2024, 4, 1), now=NOW)
    diagnosed = set(WeeklySnapshot.objects.values_list("client_id", flat=True))
    assert other_search.pk in diagnosed
    assert search.pk not in diagnosed
