"""The reminders and the calendar feed read the obligations (issue #12): a forwarded resume is
waited on like an introduction, and every reminder follows the thresholds in force for the
practice and the client, not a fixed 48 hours or two days."""

from collections.abc import Callable
from datetime import datetime, timedelta

from django.core import mail
from django.test import Client as HttpClient
from icalendar import Calendar

from accounts.models import User
from coaching.choices import IntroductionKind
from coaching.insights.services import client_thresholds_update, practice_thresholds_update
from coaching.models import Introduction
from notifications.ics import calendar_for
from notifications.jobs.introductions import introduction_nudges
from notifications.jobs.thanks import thank_you_reminders
from tests.notifications import builders as b

Deliver = Callable[[], list[mail.EmailMessage]]


def _forwarded(intro: Introduction) -> Introduction:
    intro.kind = IntroductionKind.RESUME_FORWARD
    intro.save()
    return intro


def test_a_forwarded_resume_gets_the_nudges_of_an_introduction(
    coach: User, now: datetime, deliver_all: Deliver
) -> None:
    client = b.make_client(coach=coach, name="Cleo Client")
    _forwarded(b.introduction(client, made_at=now - timedelta(hours=49)))
    assert introduction_nudges(now=now).client_nudges == 1
    [email] = deliver_all()
    assert email.subject == "Tom Target is expecting your call"
    assert "Ivy Introducer forwarded your resume to Tom Target 2 days ago" in email.body
    later = introduction_nudges(now=now + timedelta(days=6))
    assert (later.client_nudges, later.coach_alerts) == (1, 1)


def test_nudges_follow_the_practices_threshold(
    owner: User, coach: User, now: datetime, deliver_all: Deliver
) -> None:
    practice_thresholds_update(
        actor=owner, changes={"intro_warning_days": 3, "intro_critical_days": 10}
    )
    client = b.make_client(coach=coach)
    b.introduction(client, made_at=now - timedelta(hours=49))
    assert introduction_nudges(now=now).client_nudges == 0  # 48 hours is not the rule here
    counts = introduction_nudges(now=now + timedelta(hours=23))  # 72 hours
    assert (counts.client_nudges, counts.coach_alerts) == (1, 0)
    [email] = deliver_all()
    assert "within 3 days is what makes an introduction work" in email.body
    # 10 days (intro_critical_days) after the introduction, not 7: the coach hears.
    assert introduction_nudges(now=now + timedelta(days=7, hours=22)).coach_alerts == 0
    assert introduction_nudges(now=now + timedelta(days=7, hours=23)).coach_alerts == 1


def test_a_clients_own_threshold_wins_over_the_practices(
    owner: User, coach: User, now: datetime
) -> None:
    practice_thresholds_update(actor=owner, changes={"intro_warning_days": 3})
    client = b.make_client(coach=coach)
    client_thresholds_update(actor=coach, client_id=client.pk, changes={"intro_warning_days": 1})
    b.introduction(client, made_at=now - timedelta(hours=25))
    assert introduction_nudges(now=now).client_nudges == 1


def test_the_thank_you_reminder_runs_until_the_practices_deadline(
    owner: User, coach: User, now: datetime, deliver_all: Deliver
) -> None:
    client = b.make_client(coach=coach)
    b.held_meeting(client, at=now - timedelta(days=3))
    assert thank_you_reminders(now=now).after_meeting == 0  # past the default two days
    practice_thresholds_update(actor=owner, changes={"thanks_days": 4})
    assert thank_you_reminders(now=now).after_meeting == 1
    [email] = deliver_all()
    assert "A short thank-you within 4 days is part of the meeting" in email.body


def _events(body: bytes) -> dict[str, tuple[str, str]]:
    calendar = Calendar.from_ical(body)
    return {
        str(e["uid"]): (str(e["summary"]), e.decoded("dtstart").isoformat())
        for e in calendar.walk("VEVENT")
    }


def test_the_calendar_shows_a_forwarded_resumes_call_on_the_clients_deadline(
    http: HttpClient, owner: User, coach: User, now: datetime
) -> None:
    client = b.make_client(coach=coach)
    intro = _forwarded(b.introduction(client, made_at=now - timedelta(hours=30)))
    events = _events(calendar_for(user=client.user, now=now))
    key = f"introduction-call-{intro.pk}@p_alpha.warmpath"
    due = (now - timedelta(hours=30)).date() + timedelta(days=2)
    assert events[key] == ("Call Tom Target (resume forwarded by Ivy Introducer)", due.isoformat())
    practice_thresholds_update(actor=owner, changes={"intro_warning_days": 5})
    later = due + timedelta(days=3)
    assert _events(calendar_for(user=client.user, now=now))[key][1] == later.isoformat()
