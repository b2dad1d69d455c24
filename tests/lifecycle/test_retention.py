"""The retention rule: off unless the owner sets it; landed searches past it are scheduled for
deletion by the sweep with the usual grace period; an undone one is kept; the sweep deletes the
rest after grace."""

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from audit.models import AuditEvent
from coaching import services as s
from coaching.access import NotFound
from coaching.lifecycle.deletion import client_deletion_cancel
from coaching.lifecycle.models import DeletionRequest
from coaching.lifecycle.retention import retention_set
from coaching.lifecycle.selectors import add_months
from coaching.lifecycle.sweep import practice_sweep
from coaching.models import Client

NOW = datetime(2024, 10, 15, 16, 0, tzinfo=UTC)


@pytest.fixture
def landed(search, coach):
    """Cleo landed on March 1, 2024: seven and a half months before NOW."""
    s.client_set_status(
        client=search, actor=coach, status="landed", landed_on=date(2024, 3, 1), now=NOW
    )
    return search


def test_the_rule_is_off_by_default(landed):
    assert practice_sweep(now=NOW).retention_scheduled == []


def test_a_landed_search_past_the_rule_is_scheduled_with_grace(landed, other_search, owner):
    retention_set(actor=owner, landed_months=6)

    result = practice_sweep(now=NOW)

    assert result.retention_scheduled == [landed.pk]  # the active search is not touched
    request = DeletionRequest.objects.get(record_id=landed.pk)
    assert (request.reason, request.status, request.requested_by) == (
        "retention",
        "scheduled",
        None,
    )
    assert request.ended_on == date(2024, 3, 1)
    assert request.due_at == NOW + timedelta(days=30)
    landed.user.refresh_from_db()
    assert not landed.user.is_active


def test_a_search_not_yet_past_the_rule_waits(landed, owner):
    retention_set(actor=owner, landed_months=8)
    assert practice_sweep(now=NOW).retention_scheduled == []


def test_an_undone_retention_deletion_is_not_scheduled_again(landed, owner, coach):
    retention_set(actor=owner, landed_months=6)
    practice_sweep(now=NOW)
    client_deletion_cancel(request=DeletionRequest.objects.get(record_id=landed.pk), actor=coach)

    assert practice_sweep(now=NOW + timedelta(days=1)).retention_scheduled == []
    assert Client.objects.filter(pk=landed.pk).exists()


def test_after_grace_the_search_is_deleted(landed, owner):
    retention_set(actor=owner, landed_months=6)
    practice_sweep(now=NOW)

    result = practice_sweep(now=NOW + timedelta(days=30, minutes=5))

    assert len(result.clients_deleted) == 1
    assert not Client.objects.filter(pk=landed.pk).exists()


def test_only_the_owner_sets_it_and_it_is_audited(owner, coach):
    with pytest.raises(NotFound):
        retention_set(actor=coach, landed_months=6)
    retention_set(actor=owner, landed_months=6)
    retention_set(actor=owner, landed_months=None)
    assert list(
        AuditEvent.objects.filter(action="retention.changed")
        .values_list("details", flat=True)
        .order_by("id")
    ) == [
        {"from": None, "to": 6},
        {"from": 6, "to": None},
    ]


@pytest.mark.parametrize("months", [0, 121, -1, True, "6"])
def test_months_out_of_range_are_refused_naming_the_field(owner, months):
    with pytest.raises(ValidationError) as exc:
        retention_set(actor=owner, landed_months=months)  # type: ignore[arg-type]
    assert list(exc.value.message_dict) == ["landed_months"]


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 8, 31), -6, date(2024, 2, 29)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2023, 3, 31), -1, date(2023, 2, 28)),
        (date(2024, 1, 15), -13, date(2022, 12, 15)),
        (date(2024, 12, 15), 1, date(2025, 1, 15)),
    ],
)
def test_months_are_counted_on_the_calendar(day, months, expected):
    assert add_months(day, months) == expected
