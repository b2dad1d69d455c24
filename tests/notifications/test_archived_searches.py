"""An archived search (coaching.services.archive) is no longer nudged: no follow-up reminder,
no introduction nudge, no thank-you or close-the-loop reminder, even for a landed one."""

from datetime import date, datetime, timedelta

from accounts.models import User
from coaching.services import client_set_status
from coaching.services.archive import client_archive
from notifications.jobs.follow_ups import follow_up_reminders
from notifications.jobs.introductions import introduction_nudges
from notifications.jobs.thanks import thank_you_reminders
from tests.notifications import builders as b


def test_an_archived_search_gets_no_reminders(coach: User, now: datetime) -> None:
    working, shelved = b.make_client(coach=coach), b.make_client(coach=coach)
    for client in (working, shelved):
        b.follow_up(client, due_on=now.date())
        b.introduction(client, made_at=now - timedelta(days=3))
        b.introduction(
            client,
            made_at=now - timedelta(days=20),
            first_contact_at=now - b.days(19),
            closed_at=now - timedelta(days=1),
        )
    client_set_status(client=shelved, actor=coach, status="landed", landed_on=date(2024, 3, 1))
    client_archive(client=shelved, actor=coach, now=now)
    assert follow_up_reminders(now=now) == 1
    assert introduction_nudges(now=now).client_nudges == 1
    assert thank_you_reminders(now=now).close_the_loop == 1
