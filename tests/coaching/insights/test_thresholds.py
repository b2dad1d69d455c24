"""Practice-wide and per-client thresholds: they apply, bad values are refused naming the field,
and reports say which values were in force and where each came from."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from coaching.access import NotFound
from coaching.insights.reports import client_report
from coaching.insights.services import (
    client_thresholds_update,
    practice_settings_get,
    practice_thresholds_update,
)
from coaching.models import ActivityEvent, Client
from coaching.services import client_update
from tests.coaching.insights.conftest import AS_OF


def quiet_search(builder, client: Client, *, per_week: int) -> None:
    """`per_week` distinct contacts reached every week for six weeks."""
    b = builder(client)
    b.profile()
    people = [b.contact() for _ in range(per_week)]
    for week in range(6):
        for i, person in enumerate(people):
            b.touch(person, week * 7 + i % 7)
    b.finish()


def in_force(report: dict, name: str) -> dict:
    return report["thresholds"]["in_force"][name]


def volume_finding(report: dict) -> dict | None:
    return next((f for f in report["findings"] if f["code"] == "low_outreach_volume"), None)


def test_defaults_then_practice_then_client(search, coach, owner, builder):
    quiet_search(builder, search, per_week=9)
    report = client_report(actor=coach, client_id=search.pk, as_of=AS_OF)
    assert in_force(report, "weekly_goal") == {"value": 15, "source": "default"}
    assert volume_finding(report)["measure"]["threshold"] == 15

    practice_thresholds_update(actor=owner, changes={"weekly_goal": 8, "stalled_days": 21})
    report = client_report(actor=coach, client_id=search.pk, as_of=AS_OF)
    assert in_force(report, "weekly_goal") == {"value": 8, "source": "practice"}
    assert in_force(report, "stalled_days") == {"value": 21, "source": "practice"}
    assert volume_finding(report) is None  # 9 a week meets a goal of 8

    client_thresholds_update(actor=coach, client_id=search.pk, changes={"weekly_goal": 12})
    report = client_report(actor=coach, client_id=search.pk, as_of=AS_OF)
    assert in_force(report, "weekly_goal") == {"value": 12, "source": "client"}
    assert in_force(report, "stalled_days") == {"value": 21, "source": "practice"}
    assert volume_finding(report)["measure"]["threshold"] == 12
    assert ActivityEvent.objects.filter(client=search, verb="client.thresholds_changed").exists()

    # None removes an override: back to the layer below.
    client_thresholds_update(actor=coach, client_id=search.pk, changes={"weekly_goal": None})
    practice_thresholds_update(actor=owner, changes={"stalled_days": None})
    report = client_report(actor=coach, client_id=search.pk, as_of=AS_OF)
    assert in_force(report, "weekly_goal") == {"value": 8, "source": "practice"}
    assert in_force(report, "stalled_days") == {"value": 14, "source": "default"}
    assert practice_settings_get().threshold_overrides == {"weekly_goal": 8}


def test_the_goal_on_the_client_record_counts_as_the_clients(search, coach, owner, builder):
    quiet_search(builder, search, per_week=9)
    practice_thresholds_update(actor=owner, changes={"weekly_goal": 8})
    client_update(client=search, actor=coach, data={"weekly_outreach_goal": 10})
    report = client_report(actor=coach, client_id=search.pk, as_of=AS_OF)
    assert in_force(report, "weekly_goal") == {"value": 10, "source": "client"}
    assert volume_finding(report)["measure"]["threshold"] == 10


def test_the_season_calendar_is_a_practice_setting(search, coach, owner):
    practice_thresholds_update(actor=owner, changes={"season_calendar": "none"})
    report = client_report(actor=coach, client_id=search.pk, as_of=AS_OF)
    assert in_force(report, "season_calendar") == {"value": "none", "source": "practice"}
    with pytest.raises(ValidationError) as refused:
        client_thresholds_update(
            actor=coach, client_id=search.pk, changes={"season_calendar": "us"}
        )
    assert "practice-wide" in refused.value.message_dict["season_calendar"][0]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"window_days": -7}, "window_days", "cannot be negative"),
        ({"stalled_days": 0}, "stalled_days", "greater than zero"),
        ({"eggs_share": 1.5}, "eggs_share", "between 0 and 1"),
        ({"weekly_goal": 7.5}, "weekly_goal", "whole number"),
        ({"weekly_goal": "ten"}, "weekly_goal", "must be a number"),
        ({"window_days": 10}, "window_days", "multiple of 7"),
        ({"intro_warning_days": 9}, "intro_critical_days", "shorter than the warning"),
        ({"goal": 10}, "goal", "not a threshold"),
        ({"season_calendar": "mars"}, "season_calendar", "must be one of"),
    ],
)
def test_bad_practice_values_are_refused_naming_the_field(owner, changes, field, words):
    with pytest.raises(ValidationError) as refused:
        practice_thresholds_update(actor=owner, changes=changes)
    messages = refused.value.message_dict
    assert field in messages, messages
    assert any(words in m for m in messages[field]), messages
    assert practice_settings_get().threshold_overrides == {}


def test_bad_client_values_are_refused_naming_the_field(search, coach):
    with pytest.raises(ValidationError) as refused:
        client_thresholds_update(
            actor=coach,
            client_id=search.pk,
            changes={"influencer_days": -30, "leverage_days": 0, "employer_silent_days": 14},
        )
    messages = refused.value.message_dict
    assert set(messages) == {"influencer_days", "leverage_days"}
    assert "cannot be negative" in messages["influencer_days"][0]
    search.refresh_from_db()
    assert search.threshold_overrides == {}


def test_layers_that_clash_are_refused_with_whose_values(search, coach, owner):
    client_thresholds_update(actor=coach, client_id=search.pk, changes={"intro_critical_days": 4})
    with pytest.raises(ValidationError) as refused:
        practice_thresholds_update(actor=owner, changes={"intro_warning_days": 5})
    (message,) = refused.value.message_dict["intro_critical_days"]
    assert "Cleo Client" in message
    practice_thresholds_update(actor=owner, changes={"intro_warning_days": 3})
    with pytest.raises(ValidationError) as refused:
        client_thresholds_update(
            actor=coach, client_id=search.pk, changes={"intro_critical_days": 2}
        )
    assert "practice's thresholds" in refused.value.message_dict["intro_critical_days"][0]


def test_who_may_change_thresholds(search, other_search, coach, other_coach, owner, client_user):
    with pytest.raises(PermissionDenied):
        practice_thresholds_update(actor=coach, changes={"weekly_goal": 10})
    with pytest.raises(PermissionDenied):
        practice_thresholds_update(actor=client_user, changes={"weekly_goal": 10})
    with pytest.raises(PermissionDenied):
        client_thresholds_update(actor=client_user, client_id=search.pk, changes={"weekly_goal": 1})
    with pytest.raises(NotFound):
        client_thresholds_update(actor=other_coach, client_id=search.pk, changes={"weekly_goal": 1})
    with pytest.raises(NotFound):
        client_thresholds_update(actor=coach, client_id=other_search.pk, changes={})
    client_thresholds_update(actor=owner, client_id=other_search.pk, changes={"weekly_goal": 9})
    other_search.refresh_from_db()
    assert other_search.threshold_overrides == {"weekly_goal": 9}


def test_stored_values_that_no_longer_validate_are_reported_not_fatal(search, coach):
    Client.objects.filter(pk=search.pk).update(threshold_overrides={"window_days": 10})
    report = client_report(actor=coach, client_id=search.pk, as_of=AS_OF)
    assert in_force(report, "window_days") == {"value": 28, "source": "default"}
    assert "window_days" in report["thresholds"]["ignored_overrides"]


def test_the_settings_reads_show_each_value_and_its_source(
    search, coach, owner, client_user, django_assert_max_num_queries
):
    from coaching.insights.selectors import client_thresholds, practice_thresholds

    practice_thresholds_update(actor=owner, changes={"weekly_goal": 8, "season_calendar": "none"})
    client_thresholds_update(actor=coach, client_id=search.pk, changes={"stalled_days": 21})
    practice = practice_thresholds(actor=coach)
    assert practice["overrides"] == {"weekly_goal": 8, "season_calendar": "none"}
    assert practice["in_force"]["weekly_goal"] == {"value": 8, "source": "practice"}
    with django_assert_max_num_queries(2):
        mine = client_thresholds(actor=coach, client_id=search.pk)
    assert mine["overrides"] == {"stalled_days": 21}
    assert mine["in_force"]["stalled_days"] == {"value": 21, "source": "client"}
    assert mine["in_force"]["weekly_goal"] == {"value": 8, "source": "practice"}
    client_update(client=search, actor=coach, data={"weekly_outreach_goal": 11})
    mine = client_thresholds(actor=coach, client_id=search.pk)
    assert mine["profile_weekly_goal"] == 11
    assert mine["in_force"]["weekly_goal"] == {"value": 11, "source": "client"}
    with pytest.raises(PermissionDenied):
        practice_thresholds(actor=client_user)


def test_low_season_follows_the_day_and_the_practices_calendar(search, coach, owner):
    summer = date(2024, 8, 5)

    def codes(day: date) -> set[str]:
        return set(client_report(actor=coach, client_id=search.pk, as_of=day)["open_codes"])

    assert "low_season" in codes(summer)
    assert "low_season" not in codes(AS_OF)
    practice_thresholds_update(actor=owner, changes={"season_calendar": "none"})
    assert "low_season" not in codes(summer)
