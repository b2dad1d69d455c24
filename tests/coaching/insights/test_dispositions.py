"""A coach's decision on a finding: it stays visible, stops counting, and only the client's coach
(or the owner) can make it."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coaching.access import NotFound
from coaching.insights.models import FindingDisposition
from coaching.insights.reports import client_report
from coaching.insights.services import finding_dispose, finding_disposition_withdraw
from coaching.models import ActivityEvent
from tests.coaching.insights.conftest import AS_OF, NOW


@pytest.fixture
def waiting(search, builder):
    """Cleo ignores an introduction made 9 days ago: `intro_not_acted_on` (critical)."""
    b = builder(search)
    b.profile()
    introducer, target = b.contact(), b.contact()
    intro = b.introduction(introducer, target, requested=12, made=9)
    b.finish()
    return intro


def finding(report: dict, key: str) -> dict:
    return next(f for f in report["findings"] if f["key"] == key)


def test_a_disposed_finding_stays_visible_but_stops_counting(search, coach, waiting):
    key = f"intro_not_acted_on:introduction:{waiting.pk}"
    before = client_report(actor=coach, client_id=search.pk, as_of=AS_OF)
    assert finding(before, key)["counts"] is True
    assert "intro_not_acted_on" in before["open_codes"]

    finding_dispose(
        actor=coach, client_id=search.pk, finding_key=key, state="not_applicable",
        note="The target asked to be called after her holiday.", now=NOW,
    )  # fmt: skip
    after = client_report(actor=coach, client_id=search.pk, as_of=AS_OF)
    disposed = finding(after, key)
    assert disposed["counts"] is False
    assert disposed["disposition"] == {
        "state": "not_applicable",
        "note": "The target asked to be called after her holiday.",
        "decided_on": AS_OF.isoformat(),
    }
    assert "intro_not_acted_on" not in after["open_codes"]
    assert after["counts"]["disposed"] == before["counts"]["disposed"] + 1
    assert after["counts"]["total"] == before["counts"]["total"] - 1
    assert after["findings"][-1]["key"] == key  # disposed findings come last
    assert ActivityEvent.objects.filter(client=search, verb="finding.not_applicable").exists()
    # The report of the day before is unchanged: the decision applies from its day.
    earlier = client_report(actor=coach, client_id=search.pk, as_of=AS_OF - timedelta(days=1))
    assert finding(earlier, key)["counts"] is True


def test_a_same_day_decision_replaces_and_a_withdrawal_makes_it_count_again(search, coach, waiting):
    key = f"intro_not_acted_on:introduction:{waiting.pk}"
    finding_dispose(
        actor=coach, client_id=search.pk, finding_key=key, state="acknowledged", now=NOW
    )
    finding_dispose(
        actor=coach, client_id=search.pk, finding_key=key, state="not_applicable",
        note="Wrong person", now=NOW,
    )  # fmt: skip
    assert FindingDisposition.objects.filter(client=search).count() == 1
    # Decided today and withdrawn today: as if never decided.
    assert (
        finding_disposition_withdraw(actor=coach, client_id=search.pk, finding_key=key, now=NOW)
        == 1
    )
    report = client_report(actor=coach, client_id=search.pk, as_of=AS_OF)
    assert finding(report, key)["counts"] is True

    # Decided two days ago and withdrawn today: the past keeps it, today counts again.
    finding_dispose(
        actor=coach, client_id=search.pk, finding_key=key, state="acknowledged",
        now=NOW - timedelta(days=2),
    )  # fmt: skip
    finding_disposition_withdraw(actor=coach, client_id=search.pk, finding_key=key, now=NOW)
    past = client_report(actor=coach, client_id=search.pk, as_of=AS_OF - timedelta(days=1))
    assert finding(past, key)["counts"] is False
    today = client_report(actor=coach, client_id=search.pk, as_of=AS_OF)
    assert finding(today, key)["counts"] is True
    assert FindingDisposition.objects.filter(client=search).count() == 1


def test_an_acknowledgement_can_lapse(search, coach, waiting):
    key = f"intro_not_acted_on:introduction:{waiting.pk}"
    finding_dispose(
        actor=coach, client_id=search.pk, finding_key=key, state="acknowledged",
        expires_on=AS_OF + timedelta(days=2), now=NOW,
    )  # fmt: skip
    assert (
        finding(client_report(actor=coach, client_id=search.pk, as_of=AS_OF), key)["counts"]
        is False
    )
    later = client_report(actor=coach, client_id=search.pk, as_of=AS_OF + timedelta(days=3))
    assert finding(later, key)["counts"] is True


@pytest.mark.parametrize(
    ("key", "state", "note", "field"),
    [
        ("not_a_code:client", "acknowledged", "", "finding_key"),
        ("intro_not_acted_on:introduction:x", "acknowledged", "", "finding_key"),
        ("intro_not_acted_on", "acknowledged", "", "finding_key"),
        ("low_outreach_volume:client", "ignored", "", "state"),
        ("low_outreach_volume:client", "not_applicable", "  ", "note"),
        ("low_outreach_volume:client", "acknowledged", "x" * 2001, "note"),
    ],
)
def test_bad_decisions_are_refused_naming_the_field(search, coach, key, state, note, field):
    with pytest.raises(ValidationError) as refused:
        finding_dispose(
            actor=coach, client_id=search.pk, finding_key=key, state=state, note=note, now=NOW
        )
    assert field in refused.value.message_dict
    assert not FindingDisposition.objects.exists()


def test_expiry_before_the_decision_is_refused(search, coach):
    with pytest.raises(ValidationError) as refused:
        finding_dispose(
            actor=coach, client_id=search.pk, finding_key="low_season:season:summer-2024",
            state="acknowledged", expires_on=AS_OF - timedelta(days=1), now=NOW,
        )  # fmt: skip
    assert "expires_on" in refused.value.message_dict


def test_only_the_clients_coach_or_the_owner_decides(
    search, other_search, coach, other_coach, owner, client_user, other_client_user
):
    key = "low_outreach_volume:client"
    with pytest.raises(NotFound):
        finding_dispose(
            actor=other_coach, client_id=search.pk, finding_key=key, state="acknowledged", now=NOW
        )
    with pytest.raises(PermissionDenied):
        finding_dispose(
            actor=client_user, client_id=search.pk, finding_key=key, state="acknowledged", now=NOW
        )
    with pytest.raises(NotFound):
        finding_dispose(
            actor=other_client_user, client_id=search.pk, finding_key=key, state="acknowledged",
            now=NOW,
        )  # fmt: skip
    with pytest.raises(NotFound):
        finding_disposition_withdraw(actor=other_coach, client_id=search.pk, finding_key=key)
    with pytest.raises(PermissionDenied):
        finding_disposition_withdraw(actor=client_user, client_id=search.pk, finding_key=key)
    assert not FindingDisposition.objects.exists()
    made = finding_dispose(
        actor=owner, client_id=other_search.pk, finding_key=key, state="acknowledged", now=NOW
    )
    assert made.decided_by == owner
    # The day is the client's: 23:30 UTC on the 15th is already the 16th in Berlin.
    late = datetime(2024, 4, 15, 23, 30, tzinfo=UTC)
    berlin = finding_dispose(
        actor=coach, client_id=search.pk, finding_key=key, state="acknowledged", now=late
    )
    assert berlin.decided_on == AS_OF + timedelta(days=1)
