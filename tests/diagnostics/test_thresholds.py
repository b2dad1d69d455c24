import pytest

from coaching.diagnostics.thresholds import (
    InvalidThresholds,
    Thresholds,
    resolve_thresholds,
    thresholds_to_dict,
    validate_thresholds,
    with_client_goal,
)


def test_defaults_are_the_catalogs() -> None:
    t = Thresholds()
    assert (t.weekly_goal, t.window_days, t.stalled_days) == (15, 28, 14)
    assert (t.influencer_days, t.event_follow_up_days, t.not_asking_conversations) == (30, 7, 5)
    assert (t.left_field_prior_interactions, t.left_field_known_days) == (2, 14)
    assert (t.unwilling_asks, t.leverage_days) == (2, 21)
    assert (t.intro_warning_days, t.intro_critical_days, t.thanks_days) == (2, 7, 2)
    assert (t.job_board_ratio, t.role_families, t.stalemate_days) == (3.0, 4, 10)
    assert (t.over_follow_up, t.overdue_count, t.overdue_days) == (2, 2, 3)
    assert (t.employer_silent_days, t.season_calendar) == (14, "us")
    assert validate_thresholds(values=t.values()) == {}


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"stalled_days": 0}, "stalled_days", "stalled_days must be greater than zero."),
        ({"leverage_days": -1}, "leverage_days", "leverage_days cannot be negative."),
        ({"weekly_goal": 2.5}, "weekly_goal", "weekly_goal must be a whole number."),
        ({"weekly_goal": True}, "weekly_goal", "weekly_goal must be a number."),
        ({"weekly_goal": "15"}, "weekly_goal", "weekly_goal must be a number."),
        ({"eggs_share": 1.5}, "eggs_share", "eggs_share must be between 0 and 1 (exclusive)."),
        ({"season_calendar": "eu"}, "season_calendar", "season_calendar must be one of us, none."),
        ({"speed": 3}, "speed", "'speed' is not a known threshold."),
        (
            {"window_days": 30},
            "window_days",
            "window_days must be a whole number of weeks (a multiple of 7).",
        ),
        (
            {"intro_critical_days": 1},
            "intro_critical_days",
            "intro_critical_days cannot be shorter than the warning.",
        ),
    ],
)
def test_validation_names_the_field(values: dict[str, object], field: str, message: str) -> None:
    assert validate_thresholds(values=values) == {field: [message]}


def test_zero_is_allowed_where_it_means_immediately() -> None:
    assert validate_thresholds(values={"overdue_days": 0, "thanks_days": 0}) == {}


def test_layers_merge_and_remember_their_source() -> None:
    t = resolve_thresholds(
        practice={"weekly_goal": 20, "stalled_days": 21, "season_calendar": "none"},
        client={"weekly_goal": 10},
    )
    assert (t.weekly_goal, t.stalled_days, t.season_calendar) == (10, 21, "none")
    data = thresholds_to_dict(thresholds=t)
    assert data["weekly_goal"] == {"value": 10, "source": "client"}
    assert data["stalled_days"] == {"value": 21, "source": "practice"}
    assert data["leverage_days"] == {"value": 21, "source": "default"}


def test_invalid_layers_raise_with_every_error_by_field() -> None:
    with pytest.raises(InvalidThresholds) as caught:
        resolve_thresholds(practice={"stalled_days": -3}, client={"weekly_goal": 0})
    assert caught.value.errors == {
        "stalled_days": ["(practice) stalled_days cannot be negative."],
        "weekly_goal": ["(client) weekly_goal must be greater than zero."],
    }
    assert "stalled_days" in str(caught.value)


def test_layers_that_are_fine_alone_can_clash_together() -> None:
    with pytest.raises(InvalidThresholds) as caught:
        resolve_thresholds(practice={"intro_critical_days": 3}, client={"intro_warning_days": 5})
    assert list(caught.value.errors) == ["intro_critical_days"]


def test_client_record_goal_is_folded_in_unless_a_client_override_exists() -> None:
    assert with_client_goal(thresholds=Thresholds(), weekly_goal=None) == Thresholds()
    assert with_client_goal(thresholds=Thresholds(), weekly_goal=15) == Thresholds()
    t = with_client_goal(thresholds=Thresholds(), weekly_goal=12)
    assert (t.weekly_goal, t.source_of("weekly_goal")) == (12, "client")
    explicit = resolve_thresholds(client={"weekly_goal": 9})
    assert with_client_goal(thresholds=explicit, weekly_goal=12).weekly_goal == 9
    with pytest.raises(InvalidThresholds, match="weekly_goal"):
        with_client_goal(thresholds=Thresholds(), weekly_goal=0)
