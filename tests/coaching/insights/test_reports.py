"""The client report and the practice report: deterministic, ranked, linkable, scoped, and
compared with stored weekly snapshots."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied

from coaching.demo import STORIES, seed_demo
from coaching.diagnostics.findings import SEVERITY_RANK, Severity
from coaching.insights.models import WeeklySnapshot
from coaching.insights.reports import (
    EVIDENCE_RECORDS,
    catalog_to_dict,
    client_report,
    client_report_json,
    client_reports,
    client_statuses,
    practice_report,
)
from coaching.insights.services import weekly_snapshots_backfill
from coaching.models import (
    Application,
    Contact,
    Feedback,
    FollowUp,
    Interaction,
    Introduction,
    Meeting,
)
from coaching.services import client_set_report_sharing
from tests.coaching.insights.conftest import AS_OF

RECORD_MODELS = {
    "application": Application,
    "contact": Contact,
    "feedback": Feedback,
    "follow_up": FollowUp,
    "interaction": Interaction,
    "introduction": Introduction,
    "meeting": Meeting,
}


def stories(*slugs: str):
    return tuple(story for story in STORIES if story.slug in slugs)


@pytest.fixture
def demo(coach, client_user):
    """A few demo searches; Gina's is the portal client's own (`client_user`)."""
    seeded = seed_demo(
        as_of=AS_OF,
        coach=coach,
        portal_client=client_user,
        stories=stories("steady-sam", "quiet-quinn", "ghost-gina", "risky-rick"),
    )
    return {d.story.slug: d.client for d in seeded}


def test_the_client_report_is_byte_identical_for_the_same_data_and_day(demo, coach):
    gina = demo["ghost-gina"]
    first = client_report_json(actor=coach, client_id=gina.pk, as_of=AS_OF)
    second = client_report_json(actor=coach, client_id=gina.pk, as_of=AS_OF)
    assert first == second
    assert first != client_report_json(actor=coach, client_id=gina.pk, as_of=AS_OF - timedelta(1))
    assert '"kind":"client_report"' in first


def test_findings_are_ranked_with_evidence_advice_and_sources(demo, coach):
    report = client_report(actor=coach, client_id=demo["ghost-gina"].pk, as_of=AS_OF)
    assert (
        report["client"]["name"] == "Gina Ghost" or report["client"]["id"] == demo["ghost-gina"].pk
    )
    counting = [f for f in report["findings"] if f["counts"]]
    assert {f["code"] for f in counting} == {"intro_not_acted_on", "no_thanks_or_outcome"}
    order = [
        (SEVERITY_RANK[Severity(f["severity"])], -date.fromisoformat(f["observed_on"]).toordinal())
        for f in counting
    ]
    assert order == sorted(order)
    assert counting[0]["severity"] == "critical"  # the introduction ignored for 9 days
    for f in counting:
        assert f["advice"]
        assert f["explanation"]
        assert f["sources"]
        assert f["measure"]["sentence"]
        assert f["fault"] == "client"
        for item in f["evidence"]:
            assert item["record"] in EVIDENCE_RECORDS
            model = RECORD_MODELS.get(item["record"])
            if model is not None:  # a real record of this client's search
                assert model.objects.filter(pk=item["id"], client=demo["ghost-gina"]).exists()


def test_the_report_carries_figures_with_trend_and_the_thresholds_in_force(demo, coach):
    report = client_report(actor=coach, client_id=demo["steady-sam"].pk, as_of=AS_OF)
    assert report["status"]["status"] == "active"
    weeks = report["figures"]["outreach"]["weeks"]
    assert len(weeks) == 12
    assert weeks[-1]["week_start"] == AS_OF.isoformat()
    assert report["figures"]["outreach"]["average_last_4_weeks"] >= 15
    assert next(s["name"] for s in report["figures"]["funnel"]["stages"]) == "requested"
    assert report["figures"]["hygiene"]["follow_ups_on_time"]["share"] is not None
    assert report["thresholds"]["in_force"]["weekly_goal"] == {"value": 15, "source": "default"}
    assert len(report["history"]) == 12
    assert report["history"][-1]["source"] == "computed"
    assert {h["source"] for h in report["history"][:-1]} == {"missing"}


def test_stored_weeks_fill_the_history(demo, coach):
    run = weekly_snapshots_backfill(as_of=AS_OF, weeks=12)
    assert run.stored == 12 * len(demo)
    report = client_report(actor=coach, client_id=demo["quiet-quinn"].pk, as_of=AS_OF)
    assert [h["source"] for h in report["history"]] == ["stored"] * 11 + ["computed"]
    last_week = report["history"][-2]
    assert last_week["as_of"] == (AS_OF - timedelta(days=1)).isoformat()  # that week's Sunday


def test_a_client_sees_their_report_only_once_shared(demo, coach, client_user):
    gina = demo["ghost-gina"]
    with pytest.raises(PermissionDenied):
        client_report(actor=client_user, client_id=gina.pk, as_of=AS_OF)
    client_set_report_sharing(client=gina, actor=coach, shared=True)
    report = client_report(actor=client_user, client_id=gina.pk, as_of=AS_OF)
    assert report["client"]["report_shared_with_client"] is True
    with pytest.raises(PermissionDenied):
        practice_report(actor=client_user, as_of=AS_OF)
    with pytest.raises(PermissionDenied):
        client_statuses(actor=client_user, as_of=AS_OF)
    with pytest.raises(PermissionDenied):
        client_reports(actor=client_user, as_of=AS_OF)


def test_dashboard_statuses_put_exceptions_first(demo, make_client, coach, other_search):
    idle = make_client()
    rows = client_statuses(actor=coach, as_of=AS_OF)
    assert next(r["client_id"] for r in rows) == idle.pk  # no activity at all: stalled
    assert rows[0]["status"] == "stalled"
    assert other_search.pk not in {r["client_id"] for r in rows}  # another coach's client
    gina = next(r for r in rows if r["client_id"] == demo["ghost-gina"].pk)
    assert gina["introductions_waiting"] == 2
    assert gina["top_finding"]["code"] == "intro_not_acted_on"
    assert gina["outreach"]["goal"] == 15


def test_bulk_client_reports_match_one_by_one(demo, coach):
    bulk = client_reports(actor=coach, as_of=AS_OF)
    assert [r["client"]["id"] for r in bulk] == sorted(c.pk for c in demo.values())
    for report in bulk:
        assert report == client_report(actor=coach, client_id=report["client"]["id"], as_of=AS_OF)


def stored(client, day: date, status: str, codes: list[str]) -> WeeklySnapshot:
    return WeeklySnapshot.objects.create(
        client=client,
        week_start=day - timedelta(days=day.weekday()),
        as_of=day,
        status=status,
        open_codes=sorted(set(codes)),
        findings=[
            {"key": f"{c}:client", "code": c, "severity": "warning", "counts": True}
            for c in codes
        ],
        counts={"total": len(codes)},
        engine_version="1",
    )  # fmt: skip


def test_practice_report_counts_month_over_month_and_status_changes(demo, coach, owner):
    sam, quinn, gina, rick = (
        demo[k] for k in ("steady-sam", "quiet-quinn", "ghost-gina", "risky-rick")
    )
    week_ago, month_ago = AS_OF - timedelta(days=7), AS_OF - timedelta(days=28)
    stored(sam, week_ago, "stalled", [])
    stored(quinn, week_ago, "active", ["low_outreach_volume"])
    stored(rick, week_ago, "active", [])
    for client in (sam, quinn, rick):
        stored(client, month_ago, "active", ["low_outreach_volume"])
    stored(gina, month_ago, "slowing", ["stalemate", "stalemate"])

    report = practice_report(actor=owner, as_of=AS_OF)

    assert report["compared_with"] == {
        "last_week": {"day": week_ago.isoformat(), "sources": {"computed": 1, "stored": 3}},
        "last_month": {"day": month_ago.isoformat(), "sources": {"stored": 4}},
    }
    assert {r["client_id"]: r["status"] for r in report["clients"]} == {
        c.pk: "active" for c in (sam, quinn, gina, rick)
    }
    changes = {c["client_id"]: c for c in report["status_changes"]}
    assert changes[sam.pk] == {
        "client_id": sam.pk, "name": "Sam Steady", "from": "stalled", "to": "active",
        "compared_with": week_ago.isoformat(), "source": "stored",
    }  # fmt: skip
    assert quinn.pk not in changes
    assert rick.pk not in changes
    assert report["status_counts"]["active"] == {
        "now": 4,
        "last_week": 2 + (gina.pk not in changes),  # Sam was stalled
    }

    reasons = {r["code"]: r for r in report["reasons"]}
    assert len(reasons) == 22
    low = reasons["low_outreach_volume"]
    assert (low["clients"], low["clients_last_month"], low["change"]) == (1, 3, -2)
    stalemate = reasons["stalemate"]
    assert (stalemate["clients"], stalemate["clients_last_month"]) == (0, 1)
    assert stalemate["findings_last_month"] == 2
    intro = reasons["intro_not_acted_on"]
    assert (intro["clients"], intro["findings"], intro["change"]) == (1, 2, 1)
    assert report["reasons"][0]["clients"] >= report["reasons"][-1]["clients"]

    funnel = report["funnel"]
    assert funnel["practice"]["introductions"] >= 4
    assert funnel["introducers_total"] == len(funnel["by_introducer"]) > 0
    assert all(i["name"] for i in funnel["by_introducer"])


def test_without_stored_snapshots_the_practice_report_computes_both_days(demo, coach):
    report = practice_report(actor=coach, as_of=AS_OF)
    assert report["compared_with"]["last_week"]["sources"] == {"computed": 4}
    assert report["compared_with"]["last_month"]["sources"] == {"computed": 4}
    # Nothing stored, same answer twice.
    assert report == practice_report(actor=coach, as_of=AS_OF)


def test_a_coach_sees_only_their_clients_in_the_practice_report(demo, other_search, coach, owner):
    mine = {r["client_id"] for r in practice_report(actor=coach, as_of=AS_OF)["clients"]}
    everyone = {r["client_id"] for r in practice_report(actor=owner, as_of=AS_OF)["clients"]}
    assert mine == {c.pk for c in demo.values()}
    assert everyone == mine | {other_search.pk}


def test_the_catalog_lists_every_code_with_its_defaults():
    catalog = catalog_to_dict()
    assert len(catalog["codes"]) == 22
    assert catalog["default_thresholds"]["weekly_goal"] == 15
    assert all(entry["sources"] for entry in catalog["codes"])


def test_all_reports_in_one_pass_match_the_separate_ones(demo, coach):
    from coaching.insights.reports import practice_reports_all

    both = practice_reports_all(actor=coach, as_of=AS_OF)
    assert both.practice == practice_report(actor=coach, as_of=AS_OF)
    assert both.clients == client_reports(actor=coach, as_of=AS_OF)
