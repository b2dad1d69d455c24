"""The demo practice's clients each show the reasons their story was written for, and no other:
a change to a rule that breaks a story fails here."""

from coaching.demo import STORIES, seed_demo
from insights.reports import practice_report
from tests.insights.conftest import AS_OF


def test_every_demo_story_shows_its_reasons(coach, client_user):
    seeded = seed_demo(as_of=AS_OF, coach=coach, portal_client=client_user)
    rows = {row["client_id"]: row for row in practice_report(actor=coach, as_of=AS_OF)["clients"]}
    assert len(rows) == len(STORIES)
    shown = {}
    for demo in seeded:
        row = rows[demo.client.pk]
        shown[demo.story.slug] = (row["status"], tuple(sorted(row["open_codes"])))
    expected = {
        story.slug: ("landed" if story.landed else "active", tuple(sorted(story.reasons)))
        for story in STORIES
    }
    assert shown == expected
