"""Humane relative dates (frontend/templatetags/warmpath.py): "today", "yesterday", "in 2 days",
"Tue 1 Dec", each in the viewer's zone, never "0 days ago"."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from frontend.templatetags.warmpath import (
    day_label,
    relative_day,
    relative_day_text,
    since_day,
)

TODAY = date(2026, 11, 30)  # a Monday


@pytest.mark.parametrize(
    ("day", "said"),
    [
        (date(2026, 11, 30), "today"),
        (date(2026, 11, 29), "yesterday"),
        (date(2026, 12, 1), "tomorrow"),
        (date(2026, 12, 2), "in 2 days"),
        (date(2026, 12, 6), "in 6 days"),
        (date(2026, 11, 27), "3 days ago"),
        (date(2026, 11, 24), "6 days ago"),
        (date(2026, 12, 7), "Mon 7 Dec"),
        (date(2026, 11, 23), "Mon 23 Nov"),
        (date(2027, 1, 5), "Tue 5 Jan 2027"),
        (date(2025, 12, 1), "Mon 1 Dec 2025"),
    ],
)
def test_days_near_and_far(day: date, said: str) -> None:
    assert relative_day_text(day, today=TODAY) == said


def test_never_zero_days_and_always_a_weekday_beyond_a_week() -> None:
    for offset in range(-40, 41):
        day = date.fromordinal(TODAY.toordinal() + offset)
        text = relative_day_text(day, today=TODAY)
        assert "0 days" not in text
        assert not text.startswith(("1 days", "in 1 day"))
        if abs(offset) >= 7:
            assert text == day_label(day, today=TODAY)
            assert text.split()[0] in {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}


def test_across_midnight_in_the_viewers_zone() -> None:
    """23:30 UTC on the 30th is already the 1st in Berlin and still the 30th in Los Angeles:
    the same follow-up day reads differently, each right for its viewer."""
    with time_machine.travel(datetime(2026, 11, 30, 23, 30, tzinfo=UTC), tick=False):
        assert relative_day(date(2026, 12, 1), "Europe/Berlin") == "today"
        assert relative_day(date(2026, 12, 1), "America/Los_Angeles") == "tomorrow"
        assert relative_day(date(2026, 11, 30), "Europe/Berlin") == "yesterday"
        # an instant is placed on the viewer's own calendar first
        sent = datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # 08:00 Berlin, 23:00 LA on the 29th
        assert relative_day(sent, "Europe/Berlin") == "yesterday"
        assert relative_day(sent, "America/Los_Angeles") == "yesterday"
        assert relative_day(datetime(2026, 11, 30, 9, 0, tzinfo=UTC), "America/Los_Angeles") == (
            "today"
        )


def test_waiting_since() -> None:
    with time_machine.travel(datetime(2026, 11, 30, 12, 0, tzinfo=UTC), tick=False):
        assert since_day(datetime(2026, 11, 30, 8, 0, tzinfo=UTC), "UTC") == "since today"
        assert since_day(datetime(2026, 11, 29, 8, 0, tzinfo=UTC), "UTC") == "since yesterday"
        assert since_day(datetime(2026, 11, 21, 8, 0, tzinfo=UTC), "UTC") == "since Sat 21 Nov"
        assert since_day(datetime(2026, 11, 27, 8, 0, tzinfo=UTC), "UTC") == "for 3 days"
        assert relative_day(None) == ""
