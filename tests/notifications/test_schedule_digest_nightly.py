"""When practices run their jobs (time zones, spread), the weekly digest (exceptions only) and
the nightly diagnostics with their webhooks."""

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail

from accounts.models import User
from coaching.insights.models import WeeklySnapshot
from integrations.models import WebhookDelivery, WebhookEndpoint
from notifications.jobs import schedule
from notifications.jobs.digest import weekly_digest
from notifications.jobs.nightly import nightly_diagnostics
from notifications.models import Notification
from notifications.services import job_run_once
from tests.notifications import builders as b

Deliver = Callable[[], list[mail.EmailMessage]]


# --- schedule --------------------------------------------------------------------------------


def _jobs(tz: str, at: datetime) -> dict[str, schedule.DueJob]:
    return {d.job: d for d in schedule.jobs_due(practice_id=7, time_zone=tz, at=at)}


def test_digest_is_monday_8_local_and_nightly_is_4_local() -> None:
    monday_8_new_york = datetime(2024, 4, 15, 12, 0, tzinfo=UTC)  # EDT, UTC-4
    jobs = _jobs("America/New_York", monday_8_new_york)
    assert set(jobs) == {"hourly_reminders", "weekly_digest"}
    assert jobs["weekly_digest"].as_of == date(2024, 4, 15)
    assert set(_jobs("Europe/Berlin", monday_8_new_york)) == {"hourly_reminders"}
    four_berlin = datetime(2024, 4, 16, 2, 0, tzinfo=UTC)  # CEST, UTC+2
    nightly = _jobs("Europe/Berlin", four_berlin)["nightly_diagnostics"]
    assert (nightly.period, nightly.as_of) == ("2024-04-15", date(2024, 4, 15))


def test_digest_follows_daylight_saving() -> None:
    winter = datetime(2024, 1, 15, 13, 0, tzinfo=UTC)  # EST, UTC-5: 8:00
    assert "weekly_digest" in _jobs("America/New_York", winter)
    assert "weekly_digest" not in _jobs("America/New_York", winter - timedelta(hours=1))


def test_half_hour_zones_run_in_the_hour_containing_the_time() -> None:
    at = datetime(2024, 4, 15, 3, 0, tzinfo=UTC)  # 08:30 in Kolkata
    assert "weekly_digest" in _jobs("Asia/Kolkata", at)


def test_practices_are_spread_deterministically_within_bounds() -> None:
    delays = {schedule.spread(practice_id=pk, job="weekly_digest") for pk in range(1, 500)}
    assert all(0 <= d < schedule.SPREAD_SECONDS["weekly_digest"] for d in delays)
    assert len(delays) > 400  # not all at once
    assert schedule.spread(practice_id=3, job="weekly_digest") == schedule.spread(
        practice_id=3, job="weekly_digest"
    )
    assert max(schedule.SPREAD_SECONDS.values()) < 3600  # under the broker's visibility timeout


def test_the_hourly_period_is_the_utc_hour() -> None:
    at = datetime(2024, 4, 15, 9, 0, 5, tzinfo=UTC)
    assert _jobs("Asia/Tokyo", at)["hourly_reminders"].period == "2024-04-15T09"


# --- weekly digest ---------------------------------------------------------------------------

MONDAY = date(2024, 4, 15)
LAST_WEEK = MONDAY - timedelta(days=7)


def _snapshot(client_id: int, week: date, status: str, findings: list[dict[str, object]]) -> None:
    WeeklySnapshot.objects.create(
        client_id=client_id,
        week_start=week,
        as_of=week + timedelta(days=6),
        status=status,
        findings=findings,
        engine_version="test",
    )


def _finding(key: str, severity: str = "warning", counts: bool = True) -> dict[str, object]:
    return {"key": key, "code": key.split(":")[0], "severity": severity, "counts": counts}


def test_digest_lists_only_the_exceptions(
    coach: User, other_coach: User, now: datetime, deliver_all: Deliver
) -> None:
    stalled = b.make_client(coach=coach, name="Stella Stalled")
    steady = b.make_client(coach=coach, name="Steady Eddie")
    chaser = b.make_client(coach=other_coach, name="Chase Chaser")
    silent = b.contact(chaser, "Sam Silent")
    _snapshot(stalled.pk, LAST_WEEK - timedelta(days=7), "active", [])
    _snapshot(
        stalled.pk,
        LAST_WEEK,
        "stalled",
        [
            _finding("intro_not_acted_on:introduction:1", "critical"),
            _finding("low_outreach_volume:client"),
        ],
    )
    _snapshot(steady.pk, LAST_WEEK - timedelta(days=7), "stalled", [])
    _snapshot(steady.pk, LAST_WEEK, "stalled", [_finding("low_outreach_volume:client")])
    _snapshot(chaser.pk, LAST_WEEK, "active", [_finding(f"over_follow_up:contact:{silent.pk}")])
    result = weekly_digest(week_of=MONDAY, now=now)
    assert (result["coaches"], result["queued"]) == (2, 2)
    emails = {e.to[0]: e for e in deliver_all()}
    mine = emails[coach.email]
    assert mine.subject == "Your week: 1 client needs attention"
    assert "Stella Stalled" in mine.body
    assert "Became stalled (was active)" in mine.body
    assert "New critical finding: Introduction left waiting" in mine.body
    assert "Steady Eddie" not in mine.body  # stalled already last week: not news
    assert "Over-chased contact: Sam Silent" in emails[other_coach.email].body


def test_no_news_no_email_and_never_twice(coach: User, now: datetime) -> None:
    quiet = b.make_client(coach=coach)
    _snapshot(quiet.pk, LAST_WEEK, "active", [_finding("low_outreach_volume:client")])
    assert weekly_digest(week_of=MONDAY, now=now)["queued"] == 0
    _snapshot(quiet.pk, LAST_WEEK - timedelta(days=7), "active", [])
    WeeklySnapshot.objects.filter(client=quiet, week_start=LAST_WEEK).update(status="slowing")
    assert weekly_digest(week_of=MONDAY, now=now)["queued"] == 1
    assert weekly_digest(week_of=MONDAY, now=now)["queued"] == 0
    assert Notification.objects.filter(kind="weekly_digest").count() == 1


# --- nightly diagnostics ---------------------------------------------------------------------


@pytest.fixture
def endpoint(practice: object) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        url="https://hooks.example.com/in",
        events=["client.status_changed", "finding.raised", "finding.resolved"],
        secret="s" * 32,
    )


def test_nightly_stores_snapshots_and_announces_changes_once(
    coach: User, endpoint: WebhookEndpoint, django_capture_on_commit_callbacks
) -> None:
    client = b.make_client(coach=coach)
    as_of = date(2024, 4, 15)
    _snapshot(client.pk, as_of - timedelta(days=7), "active", [_finding("stalemate:contact:999")])
    now = datetime(2024, 4, 16, 8, 0, tzinfo=UTC)
    with django_capture_on_commit_callbacks():
        run = job_run_once(
            job="nightly_diagnostics",
            period=as_of.isoformat(),
            work=lambda: nightly_diagnostics(as_of=as_of, now=now),
        )
        again = job_run_once(
            job="nightly_diagnostics",
            period=as_of.isoformat(),
            work=lambda: nightly_diagnostics(as_of=as_of, now=now),
        )
    assert run.result["stored"] == 1
    assert again.pk == run.pk
    stored = WeeklySnapshot.objects.get(client=client, week_start=as_of)
    assert stored.status != "active"
    events = list(WebhookDelivery.objects.values_list("event", flat=True))
    assert events.count("client.status_changed") == 1
    assert events.count("finding.resolved") == 1  # the stalemate is gone
    assert events.count("finding.raised") == len([f for f in stored.findings if f["counts"]])
    status = WebhookDelivery.objects.get(event="client.status_changed")
    assert f'"client_id":{client.pk}' in status.body
    assert '"previous_status":"active"' in status.body


# --- the dispatcher --------------------------------------------------------------------------


def test_dispatch_queues_each_live_practice_from_its_own_schema(
    practice: object, other_practice: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time_machine
    from django.db import connection

    from notifications import tasks

    sent: list[tuple[str, str, int]] = []

    def record(*, kwargs: dict[str, object], countdown: int) -> None:
        # tenant-schemas-celery stamps the message with connection.schema_name at this moment
        sent.append((connection.schema_name, str(kwargs["job"]), countdown))

    monkeypatch.setattr(tasks.run_practice_job, "apply_async", record)
    queued = 0
    for minute in range(0, 60, 10):  # beat runs it every ten minutes
        with time_machine.travel(datetime(2024, 4, 15, 12, minute, 30, tzinfo=UTC), tick=False):
            queued += tasks.dispatch()
    assert connection.schema_name == "p_alpha"  # put back as it was
    by_schema: dict[str, set[str]] = {}
    for schema, job, countdown in sent:
        by_schema.setdefault(schema, set()).add(job)
        # never held in the broker longer than the window (far under the visibility timeout)
        assert 0 <= countdown < schedule.DISPATCH_WINDOW_SECONDS
    assert len(sent) == len(set(sent))  # each job queued by one window only
    assert by_schema["p_alpha"] == {"hourly_reminders", "weekly_digest"}  # 8:00 in New York
    assert by_schema["p_bravo"] == {"hourly_reminders", "weekly_digest"}
    assert "public" not in by_schema
    assert not any(s.startswith("spare_") for s in by_schema)
    assert queued == len(sent)


def test_beat_runs_the_dispatcher_every_ten_minutes() -> None:
    from django.conf import settings

    from config.celery_app import app

    entry = settings.CELERY_BEAT_SCHEDULE["notifications-dispatch"]
    assert entry["task"] == "notifications.dispatch"
    assert entry["schedule"].minute == {0, 10, 20, 30, 40, 50}
    assert len(entry["schedule"].hour) == 24
    assert "notifications.dispatch" in app.tasks
    assert app.conf.task_acks_late
    assert app.conf.task_reject_on_worker_lost


def test_each_job_falls_in_exactly_one_dispatch_window_with_a_short_countdown() -> None:
    from django.conf import settings

    for job, spread in schedule.SPREAD_SECONDS.items():
        for practice_id in range(1, 300):
            place = schedule.spread(practice_id=practice_id, job=job)
            assert place < spread
            windows = [
                start
                for start in range(0, 3600, schedule.DISPATCH_WINDOW_SECONDS)
                if schedule.in_window(countdown=place, window_start=start)
            ]
            assert len(windows) == 1
            assert place - windows[0] < schedule.DISPATCH_WINDOW_SECONDS
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert (
        schedule.DISPATCH_WINDOW_SECONDS <= settings.CELERY_MAX_COUNTDOWN_SECONDS * 4 <= visibility
    )
