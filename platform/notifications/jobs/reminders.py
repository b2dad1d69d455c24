"""The hourly job of one practice: every client-facing reminder that has come due. Each
reminder is sent once (its dedupe key), between 8:00 and 20:00 in the recipient's zone, so
running hourly sends each in the first waking hour after it comes due. (Emails whose delivery
task was lost are sent again by the sweeper, `notifications.sweeper`.)"""

from datetime import datetime
from typing import Any

from notifications.jobs.follow_ups import follow_up_reminders
from notifications.jobs.introductions import introduction_nudges
from notifications.jobs.thanks import thank_you_reminders


def hourly_reminders(*, now: datetime) -> dict[str, Any]:
    intros = introduction_nudges(now=now)
    follow_ups = follow_up_reminders(now=now)
    thanks = thank_you_reminders(now=now)
    return {
        "intro_nudges": intros.client_nudges,
        "coach_alerts": intros.coach_alerts,
        "introduction_overdue_webhooks": intros.webhooks,
        "follow_up_reminders": follow_ups,
        "after_meeting": thanks.after_meeting,
        "close_the_loop": thanks.close_the_loop,
    }
