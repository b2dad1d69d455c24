import json
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from coaching.choices import (
    ApplicationStatus,
    ChecklistState,
    ClientStatus,
    MeetingPurpose,
    PresentationItem,
    Verdict,
)
from coaching.diagnostics import Diagnosis, diagnose, diagnosis_to_dict, diagnosis_to_json
from coaching.diagnostics.catalog import ARTICLES, CATALOG, FailureCode
from coaching.diagnostics.findings import DispositionState, Fault, Severity
from coaching.diagnostics.rules import RULES
from coaching.diagnostics.snapshot import ChecklistEntry, Snapshot
from coaching.diagnostics.status import SearchStatus
from coaching.diagnostics.thresholds import Thresholds, resolve_thresholds
from tests.diagnostics.builders import AS_OF, SnapshotBuilder, ago, healthy, run

SPEC_CODES = {
    "low_outreach_volume": ("volume", "client", ("001",)),
    "eggs_in_one_basket": ("volume", "client", ("004",)),
    "job_board_reliance": ("volume", "client", ("002", "003")),
    "low_season": ("timing", "context", ("001",)),
    "neglected_influencers": ("relationships", "client", ("000",)),
    "not_asking": ("relationships", "client", ("000",)),
    "left_field_ask": ("relationships", "client", ("000", "003")),
    "unwilling_contact": ("relationships", "client", ("001",)),
    "contact_lacks_leverage": ("relationships", "client", ("001",)),
    "intro_not_acted_on": ("follow_through", "client", ("002", "003")),
    "referral_no_show": ("follow_through", "client", ("002",)),
    "referral_abandoned": ("follow_through", "client", ("002",)),
    "no_thanks_or_outcome": ("follow_through", "client", ("003",)),
    "unprepared_meeting": ("follow_through", "client", ("003",)),
    "poor_fit_targeting": ("fit_presentation", "client", ("000",)),
    "presentation_issues": ("fit_presentation", "client", ("001",)),
    "leaving_story_unconvincing": ("fit_presentation", "client", ("001",)),
    "reputation_risk": ("fit_presentation", "client", ("000", "001", "003")),
    "stalemate": ("follow_up_hygiene", "context", ("004",)),
    "over_follow_up": ("follow_up_hygiene", "client", ("004",)),
    "follow_ups_overdue": ("follow_up_hygiene", "client", ("003", "004")),
    "employer_unresponsive": ("employer", "employer", ("002",)),
}


def diagnosis_of(
    b: SnapshotBuilder | Snapshot, *, as_of: date = AS_OF, thresholds: Thresholds | None = None
) -> Diagnosis:
    snapshot = b.build() if isinstance(b, SnapshotBuilder) else b
    return diagnose(snapshot=snapshot, as_of=as_of, thresholds=thresholds or Thresholds())


# the catalog is a public contract


def test_catalog_codes_categories_faults_and_sources_match_the_spec() -> None:
    assert set(CATALOG) == set(SPEC_CODES) == set(RULES) == set(FailureCode.values)
    for code, (category, fault, sources) in SPEC_CODES.items():
        entry = CATALOG[code]
        assert (entry.category, entry.fault, entry.source_ids) == (category, fault, sources)
        assert entry.explanation
        assert entry.advice
        assert entry.title


def test_advice_cites_its_articles_by_title() -> None:
    for entry in CATALOG.values():
        for source in entry.sources:
            assert source.title in entry.advice, entry.code


SEEDS = Path("/work/shared/seeds")


@pytest.mark.skipif(not SEEDS.is_dir(), reason="source articles not available")
def test_catalog_wording_is_our_own() -> None:
    """No run of eight words from the articles appears in a title, explanation or advice."""

    def words(text: str) -> list[str]:
        return re.findall(r"[a-z0-9']+", text.lower().replace("\u2019", "'"))

    article_runs = set()
    for path in SEEDS.glob("0*.txt"):
        w = words(path.read_text(encoding="utf-8"))
        article_runs |= {" ".join(w[i : i + 8]) for i in range(len(w) - 7)}
    titles = {" ".join(words(s.title)) for s in ARTICLES.values()}
    for entry in CATALOG.values():
        text = " ".join((entry.title, entry.explanation, entry.advice))
        for title in titles:
            text = " ".join(words(text)).replace(title, " ")
        w = text.split()
        copied = {" ".join(w[i : i + 8]) for i in range(len(w) - 7)} & article_runs
        assert not copied, (entry.code, copied)


# whole diagnoses


@pytest.mark.parametrize("code", sorted(CATALOG))
def test_every_rule_stays_silent_on_a_healthy_search(code: str) -> None:
    assert run(code, healthy()) == []


def test_a_healthy_search_is_active_with_no_findings() -> None:
    diagnosis = diagnosis_of(healthy())
    assert diagnosis.status.status == SearchStatus.ACTIVE
    assert diagnosis.findings == ()
    assert diagnosis.counts.total == 0


def employer_silence_only() -> SnapshotBuilder:
    """Plenty of outreach, three interview processes at three companies, all gone quiet."""
    b = SnapshotBuilder()
    b.reach(16)
    for company in ("Acme", "Globex", "Initech"):
        interviewer = b.contact(f"{company} manager", company=company, is_hiring_authority=True)
        app = b.application(
            company,
            status=ApplicationStatus.INTERVIEWING,
            applied_on=ago(40),
            last_employer_contact_on=ago(20),
            last_client_action_on=ago(19),
        )
        b.meeting(interviewer, ago(20), purpose=MeetingPurpose.INTERVIEW, application_id=app)
    return b


def test_stalled_only_by_employer_silence_blames_nobody_but_the_employer() -> None:
    diagnosis = diagnosis_of(employer_silence_only())
    assert diagnosis.status.status == SearchStatus.STALLED
    assert diagnosis.status.days_without_progress == 20
    assert {f.code for f in diagnosis.findings} == {FailureCode.EMPLOYER_UNRESPONSIVE}
    assert len(diagnosis.findings) == 3
    assert all(f.fault == Fault.EMPLOYER for f in diagnosis.findings)
    assert not any(f.fault == Fault.CLIENT for f in diagnosis.findings)


def messy() -> SnapshotBuilder:
    """Several problems at once, for ranking, determinism and dispositions."""
    b = SnapshotBuilder(
        leaving_story_verdict=Verdict.UNCONVINCING,
        presentation=(ChecklistEntry(PresentationItem.RESUME, ChecklistState.NEEDS_WORK),),
    )
    b.reach(4)
    ivy, sam, lee = b.contact("Ivy"), b.contact("Sam"), b.contact("Lee")
    b.introduction(ivy, sam, made=ago(9), thanked=ago(9))
    b.introduction(ivy, lee, made=ago(4), thanked=ago(4))
    b.follow_up(lee, ago(8))
    b.follow_up(sam, ago(5))
    return b


def test_findings_rank_by_severity_then_recency_then_code() -> None:
    findings = diagnosis_of(messy()).findings
    ranks = {Severity.CRITICAL: 0, Severity.WARNING: 1, Severity.INFO: 2}
    keys = [(ranks[f.severity], -f.observed_on.toordinal(), f.code) for f in findings]
    assert keys == sorted(keys)
    assert findings[0].severity == Severity.CRITICAL
    assert {f.code for f in findings} >= {
        FailureCode.INTRO_NOT_ACTED_ON,
        FailureCode.LOW_OUTREACH_VOLUME,
        FailureCode.FOLLOW_UPS_OVERDUE,
        FailureCode.PRESENTATION_ISSUES,
        FailureCode.LEAVING_STORY_UNCONVINCING,
    }
    [older_intro, newer_intro] = sorted(
        (f for f in findings if f.code == FailureCode.INTRO_NOT_ACTED_ON),
        key=lambda f: f.observed_on,
    )
    assert older_intro.severity == Severity.CRITICAL
    assert newer_intro.severity == Severity.WARNING


def test_same_snapshot_gives_byte_identical_json_whatever_the_record_order() -> None:
    first = diagnosis_to_json(diagnosis=diagnosis_of(messy()))
    again = diagnosis_to_json(diagnosis=diagnosis_of(messy()))
    snapshot = messy().build()
    shuffled = replace(
        snapshot,
        contacts=snapshot.contacts[::-1],
        interactions=snapshot.interactions[::-1],
        introductions=snapshot.introductions[::-1],
        follow_ups=snapshot.follow_ups[::-1],
    )
    assert first == again == diagnosis_to_json(diagnosis=diagnosis_of(shuffled))
    data = json.loads(first)
    assert data["status"]["status"] in {"active", "slowing", "stalled"}
    assert data["findings"][0]["key"].startswith(data["findings"][0]["code"] + ":")
    assert data["thresholds"]["weekly_goal"] == {"value": 15, "source": "default"}


def test_finding_json_carries_the_contract_fields() -> None:
    finding = diagnosis_to_dict(diagnosis=diagnosis_of(messy()))["findings"][0]
    for field in (
        "code", "title", "category", "severity", "fault", "measure", "evidence", "advice",
        "sources", "observed_on", "key", "explanation", "disposition", "counts",
    ):  # fmt: skip
        assert field in finding
    assert set(finding["measure"]) == {"value", "threshold", "unit", "sentence"}
    assert set(finding["evidence"][0]) == {"record", "id", "on", "note"}
    assert finding["sources"][0]["title"]


# dispositions


def test_disposed_finding_stays_visible_but_stops_counting() -> None:
    before = diagnosis_of(messy())
    target = next(f for f in before.findings if f.code == FailureCode.FOLLOW_UPS_OVERDUE)
    b = messy()
    b.dispose(target.key, state=DispositionState.NOT_APPLICABLE, note="Both were cancelled")
    after = diagnosis_of(b)
    disposed = next(f for f in after.findings if f.key == target.key)
    assert disposed.disposition is not None
    assert disposed.disposition.state == DispositionState.NOT_APPLICABLE
    assert disposed.disposition.note == "Both were cancelled"
    assert not disposed.counts
    assert after.counts.total == before.counts.total - 1
    assert after.counts.disposed == 1
    assert after.findings[-1].key == target.key
    assert FailureCode.FOLLOW_UPS_OVERDUE not in after.open_codes


def test_disposition_key_survives_recomputation_on_a_later_day() -> None:
    b = messy()
    key = next(f.key for f in diagnosis_of(b).findings if f.code == FailureCode.INTRO_NOT_ACTED_ON)
    assert re.fullmatch(r"intro_not_acted_on:introduction:\d+", key)
    b.dispose(key, on=ago(0))
    later = diagnosis_of(b, as_of=AS_OF + timedelta(days=3))
    assert next(f for f in later.findings if f.key == key).disposition is not None


def test_dispositions_apply_only_between_decision_and_expiry() -> None:
    b = messy()
    key = "follow_ups_overdue:client"
    b.dispose(key, on=ago(-1))
    assert all(f.counts for f in diagnosis_of(b).findings)
    b = messy()
    b.dispose(key, on=ago(10), expires_on=ago(1))
    assert all(f.counts for f in diagnosis_of(b).findings)
    b = messy()
    b.dispose(key, on=ago(10), expires_on=ago(0))
    assert not next(f for f in diagnosis_of(b).findings if f.key == key).counts


# status


def test_landed_clients_are_not_diagnosed() -> None:
    b = messy()
    b.client = replace(b.client, status=ClientStatus.LANDED, landed_on=ago(3))
    diagnosis = diagnosis_of(b)
    assert diagnosis.status.status == SearchStatus.LANDED
    assert diagnosis.findings == ()
    before_landing = diagnosis_of(b, as_of=ago(4))
    assert before_landing.status.status != SearchStatus.LANDED
    assert before_landing.findings


def test_an_accepted_offer_means_landed() -> None:
    b = messy()
    b.application("Acme", status=ApplicationStatus.ACCEPTED, applied_on=ago(30), offer_on=ago(2))
    assert diagnosis_of(b).status.status == SearchStatus.LANDED
    assert diagnosis_of(b, as_of=ago(3)).status.status != SearchStatus.LANDED


def progress_at(days_ago: int) -> SnapshotBuilder:
    b = SnapshotBuilder()
    b.reach(16)
    b.conversation(b.contact(), ago(days_ago))
    return b


def test_stalled_after_more_than_14_days_without_progress() -> None:
    assert diagnosis_of(progress_at(14)).status.status == SearchStatus.ACTIVE
    stalled = diagnosis_of(progress_at(15)).status
    assert stalled.status == SearchStatus.STALLED
    assert stalled.last_progress_on == ago(15)
    assert stalled.days_without_progress == 15


def test_applications_and_replies_are_not_progress_but_introductions_are() -> None:
    b = progress_at(30)
    b.application("Acme", applied_on=ago(2))
    b.interaction(b.contact(), ago(3), replied_on=ago(2))
    assert diagnosis_of(b).status.status == SearchStatus.STALLED
    b.introduction(b.contact(), b.contact(), made=ago(5))
    assert diagnosis_of(b).status.status == SearchStatus.ACTIVE


def test_a_new_search_is_not_stalled() -> None:
    assert diagnosis_of(SnapshotBuilder(started=ago(10))).status.status == SearchStatus.ACTIVE
    assert diagnosis_of(SnapshotBuilder(started=ago(15))).status.status == SearchStatus.STALLED


def slowing_case(recent: int) -> SnapshotBuilder:
    b = SnapshotBuilder()
    b.reach(recent, weeks=2)
    b.reach(16, weeks=4, start=14)
    b.meeting(b.contact(), ago(2))  # progress, without reaching anyone new
    return b


def test_slowing_when_recent_outreach_falls_below_half_the_weeks_before() -> None:
    slowing = diagnosis_of(slowing_case(7)).status
    assert slowing.status == SearchStatus.SLOWING
    assert slowing.recent_weekly_reach == 7.0
    assert slowing.baseline_weekly_reach == 16.0
    assert diagnosis_of(slowing_case(8)).status.status == SearchStatus.ACTIVE  # exactly half


def test_stalled_wins_over_slowing() -> None:
    b = SnapshotBuilder()
    b.reach(2, weeks=2)
    b.reach(16, weeks=4, start=14)
    assert diagnosis_of(b).status.status == SearchStatus.STALLED


def test_records_after_as_of_are_ignored() -> None:
    b = messy()
    earlier = diagnosis_of(b, as_of=ago(10))
    assert FailureCode.INTRO_NOT_ACTED_ON not in {f.code for f in earlier.findings}
    assert earlier.figures.funnel.introductions == 0
    assert diagnosis_of(b).figures.funnel.introductions == 2


# thresholds in force


def test_client_goal_and_overrides_are_reported_as_in_force() -> None:
    b = SnapshotBuilder(weekly_goal=10)
    thresholds = resolve_thresholds(practice={"weekly_goal": 20, "stalled_days": 21})
    data = diagnosis_to_dict(diagnosis=diagnosis_of(b, thresholds=thresholds))["thresholds"]
    assert data["weekly_goal"] == {"value": 10, "source": "client"}
    assert data["stalled_days"] == {"value": 21, "source": "practice"}
    assert data["window_days"] == {"value": 28, "source": "default"}
    explicit = resolve_thresholds(practice={"weekly_goal": 20}, client={"weekly_goal": 12})
    assert diagnosis_of(b, thresholds=explicit).thresholds.weekly_goal == 12


def test_unknown_time_zone_is_a_data_problem_naming_the_field() -> None:
    b = SnapshotBuilder()
    b.client = replace(b.client, time_zone="Mars/Olympus")
    (problem,) = diagnosis_of(b).data_problems
    assert (problem.record, problem.field, problem.value) == ("client", "time_zone", "Mars/Olympus")
    assert "UTC" in problem.message
