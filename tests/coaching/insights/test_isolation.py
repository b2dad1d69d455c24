"""Reports never cross a client's or a practice's boundary."""

import pytest
from django_tenants.utils import schema_context

from accounts.models import Role, User
from coaching.access import NotFound
from coaching.insights.models import FindingDisposition, WeeklySnapshot
from coaching.insights.pdf import client_report_pdf
from coaching.insights.reports import client_report, client_statuses, practice_report
from coaching.insights.services import finding_dispose, weekly_snapshots_store
from coaching.services import client_create, client_set_report_sharing
from tests.coaching.insights.conftest import AS_OF, NOW


def test_a_client_cannot_read_another_clients_report(
    search, other_search, coach, client_user, other_client_user
):
    client_set_report_sharing(client=search, actor=coach, shared=True)
    client_set_report_sharing(client=other_search, actor=other_search.coach, shared=True)
    assert client_report(actor=client_user, client_id=search.pk, as_of=AS_OF)
    with pytest.raises(NotFound):
        client_report(actor=client_user, client_id=other_search.pk, as_of=AS_OF)
    with pytest.raises(NotFound):
        client_report(actor=other_client_user, client_id=search.pk, as_of=AS_OF)
    with pytest.raises(NotFound):
        client_report_pdf(actor=client_user, client_id=other_search.pk, as_of=AS_OF)
    with pytest.raises(NotFound):
        client_report(actor=coach, client_id=other_search.pk, as_of=AS_OF)


def test_another_practice_sees_none_of_this_practices_reports(
    search, coach, other_practice, django_db_blocker
):
    finding_dispose(
        actor=coach, client_id=search.pk, finding_key="low_outreach_volume:client",
        state="acknowledged", now=NOW,
    )  # fmt: skip
    weekly_snapshots_store(as_of=AS_OF, now=NOW)
    assert WeeklySnapshot.objects.count() == 1

    with schema_context(other_practice.schema_name):
        bravo_owner = User.objects.get(email="owner@bravo.example.com")
        assert not WeeklySnapshot.objects.exists()
        assert not FindingDisposition.objects.exists()
        assert practice_report(actor=bravo_owner, as_of=AS_OF)["clients"] == []
        # Ids are per schema: Bravo's first client may share Cleo's id, never her search.
        bravo_user = User.objects.create_user(
            "brenda@bravo.example.com", None, name="Brenda Bravo", role=Role.CLIENT
        )
        brenda = client_create(
            actor=bravo_owner, user=bravo_user, coach=bravo_owner,
            search_started_on=AS_OF, time_zone="UTC",
        )  # fmt: skip
        rows = client_statuses(actor=bravo_owner, as_of=AS_OF)
        assert [r["name"] for r in rows] == ["Brenda Bravo"]
        for client_id in {search.pk, brenda.pk}:
            try:
                report = client_report(actor=bravo_owner, client_id=client_id, as_of=AS_OF)
            except NotFound:
                continue
            assert report["client"]["name"] == "Brenda Bravo"
            assert report["counts"]["disposed"] == 0
