"""The demo practice's clients each show the reasons their story was written for, and no other,
through the real loader and reports: a change to a rule that breaks a story fails here."""

from datetime import date

import pytest

from coaching.demo import STORIES, seed_demo
from coaching.insights.reports import practice_report


@pytest.mark.parametrize(
    ("as_of", "season"),
    [(date(2024, 4, 15), False), (date(2025, 10, 8), False), (date(2024, 7, 24), True)],
    ids=["monday-april", "wednesday-october", "summer-low-season"],
)
def test_every_demo_story_shows_its_reasons(coach, client_user, as_of, season):
    seeded = seed_demo(as_of=as_of, coach=coach, portal_client=client_user)
    rows = {row["client_id"]: row for row in practice_report(actor=coach, as_of=as_of)["clients"]}
    assert len(rows) == len(STORIES)
    shown = {
        demo.story.slug: (
            rows[demo.client.pk]["status"],
            sorted(rows[demo.client.pk]["open_codes"]),
        )
        for demo in seeded
    }
    expected = {
        story.slug: (
            story.status,
            sorted({*story.reasons, *(["low_season"] if season and not story.landed else [])}),
        )
        for story in STORIES
    }
    assert shown == expected
