"""What each job decides, run in-process with an explicit `now` (the real worker has its own
tests in test_worker.py): who gets which email, when, and only once."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.core import mail

from accounts.models import User
from coaching.choices import ClientStatus, InteractionKind
from integrations.models import WebhookDelivery, WebhookEndpoint
from notifications.jobs.follow_ups import follow_up_reminders
from notifications.jobs.introductions import introduction_nudges
from notifications.jobs.reminders import hourly_reminders
from notifications.jobs.thanks import thank_you_reminders
from notifications.models import Notification, NotificationPreference, NotificationStatus
from tests.notifications import builders as b

Deliver = Callable[[], list[mail.EmailMessage]]


def _endpoint(*events: str) -> WebhookEndpoint:
    return WebhookEndpoint.objects.create(
        url="https://hooks.example.com/in", events=list(events), secret="s" * 32
    )


# --- introduction nudges ---------------------------------------------------------------------


def test_no_nudge_before_48_hours(coach: User, now: datetime, deliver_all: Deliver) -> None:
    client = b.make_client(coach=coach)
    b.introduction(client, made_at=now - timedelta(hours=47))
    assert introduction_nudges(now=now).client_nudges == 0
    assert deliver_all() == []


def test_client_is_nudged_at_48_hours_once(
    coach: User, now: datetime, deliver_all: Deliver, django_capture_on_commit_callbacks
) -> None:
    client = b.make_client(coach=coach, name="Cleo Client")
    intro = b.introduction(client, made_at=now - timedelta(hours=49))
    _endpoint("introduction.overdue")
    with django_capture_on_commit_callbacks() as queued:
        first = introduction_nudges(now=now)
        again = introduction_nudges(now=now + timedelta(hours=1))
    assert (first.client_nudges, first.coach_alerts, first.webhooks) == (1, 0, 1)
    assert (again.client_nudges, again.webhooks) == (0, 0)
    assert len(queued) == 2  # one email delivery, one webhook delivery
    [email] = deliver_all()
    assert email.to == [client.user.email]
    assert email.subject == "Tom Target is expecting your call"
    assert "Ivy Introducer introduced you to Tom Target 2 days ago" in email.body
    assert "/notifications/unsubscribe/" in email.body
    assert email.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [delivery] = WebhookDelivery.objects.filter(event="introduction.overdue")
    assert f'"introduction_id":{intro.pk}' in delivery.body


def test_at_seven_days_the_coach_hears_too(
    coach: User, now: datetime, deliver_all: Deliver
) -> None:
    client = b.make_client(coach=coach, name="Cleo Client")
    b.introduction(client, made_at=now - timedelta(days=7, hours=1))
    counts = introduction_nudges(now=now)
    assert (counts.client_nudges, counts.coach_alerts) == (1, 1)
    emails = {e.to[0]: e for e in deliver_all()}
    assert set(emails) == {client.user.email, coach.email}
    assert "waiting 7 days" in emails[client.user.email].subject
    assert emails[coach.email].subject == "Cleo Client has not called Tom Target after 7 days"
    keys = set(Notification.objects.values_list("dedupe_key", flat=True))
    assert all(k.endswith(":7d") or k.startswith("intro_overdue_coach") for k in keys)


def test_no_nudge_once_contacted_paused_or_at_night(coach: User, now: datetime) -> None:
    contacted = b.make_client(coach=coach)
    b.introduction(
        contacted, made_at=now - timedelta(days=3), first_contact_at=now - timedelta(days=2)
    )
    paused = b.make_client(coach=coach)
    paused.status = ClientStatus.PAUSED
    paused.save()
    b.introduction(paused, made_at=now - timedelta(days=3))
    asleep = b.make_client(coach=coach, time_zone="Asia/Tokyo")  # 00:00 in Tokyo
    b.introduction(asleep, made_at=now - timedelta(days=3))
    assert introduction_nudges(now=now).client_nudges == 0
    # Tokyo's morning: the waiting nudge goes out then
    assert introduction_nudges(now=now + timedelta(hours=9)).client_nudges == 1


# --- follow-up reminders ---------------------------------------------------------------------


def test_follow_ups_due_today_are_listed_once(
    coach: User, now: datetime, deliver_all: Deliver
) -> None:
    client = b.make_client(coach=coach)
    dana = b.contact(client, "Dana Diaz")
    b.follow_up(client, due_on=now.date(), to=dana)
    b.follow_up(client, due_on=now.date() + timedelta(days=1))  # tomorrow: not yet
    assert follow_up_reminders(now=now) == 1
    assert follow_up_reminders(now=now + timedelta(hours=1)) == 0
    [email] = deliver_all()
    assert email.subject == "Follow up today: Dana Diaz"
    assert "- Dana Diaz, by email" in email.body
    assert "let it rest" not in email.body


def test_no_follow_up_nudge_for_a_contact_already_chased_says_so(
    coach: User, now: datetime, deliver_all: Deliver
) -> None:
    """One email and one call, then leave it: two unanswered follow-ups already went out."""
    client = b.make_client(coach=coach)
    silent = b.contact(client, "Sam Silent")
    b.conversation(client, silent, at=now - timedelta(days=20))
    b.outbound(client, silent, at=now - timedelta(days=12))
    b.outbound(client, silent, at=now - timedelta(days=6))
    b.follow_up(client, due_on=now.date(), to=silent)
    assert follow_up_reminders(now=now) == 1
    [email] = deliver_all()
    assert email.subject == "A follow-up due today: time to let it rest"
    assert "Sam Silent: you have already followed up 2 times without a reply" in email.body
    assert "One email and one call is enough" in email.body
    assert "Follow-ups due today" not in email.body


def test_a_reply_resets_the_count(coach: User, now: datetime, deliver_all: Deliver) -> None:
    client = b.make_client(coach=coach)
    contact = b.contact(client, "Rita Replied")
    for days_ago in (12, 6):
        b.outbound(client, contact, at=now - timedelta(days=days_ago))
    b.conversation(client, contact, at=now - timedelta(days=3))
    b.follow_up(client, due_on=now.date(), to=contact)
    follow_up_reminders(now=now)
    [email] = deliver_all()
    assert email.subject == "Follow up today: Rita Replied"


def test_due_day_is_the_clients_own(coach: User, now: datetime) -> None:
    """15:00 UTC on the 16th is already the 17th in Auckland (03:00, asleep)."""
    client = b.make_client(coach=coach, time_zone="Pacific/Auckland")
    b.follow_up(client, due_on=now.date())
    assert follow_up_reminders(now=now) == 0
    b.follow_up(client, due_on=now.date() + timedelta(days=1))
    assert follow_up_reminders(now=now) == 0  # asleep
    assert follow_up_reminders(now=now + timedelta(hours=6)) == 1  # 09:00 on the 17th


# --- thank-you and outcome reminders ---------------------------------------------------------


def test_thank_you_after_a_meeting_and_an_update_for_the_introducer(
    coach: User, now: datetime, deliver_all: Deliver
) -> None:
    client = b.make_client(coach=coach)
    intro = b.introduction(
        client, made_at=now - timedelta(days=6), first_contact_at=now - b.days(5)
    )
    b.held_meeting(client, at=now - timedelta(hours=20), to=intro.target, introduction=intro)
    counts = thank_you_reminders(now=now)
    assert counts.after_meeting == 1
    [email] = deliver_all()
    assert email.subject == "Thank Tom Target for the meeting"
    assert "Ivy Introducer made this meeting possible" in email.body


def test_no_thank_you_reminder_once_thanked(coach: User, now: datetime) -> None:
    client = b.make_client(coach=coach)
    meeting = b.held_meeting(client, at=now - timedelta(hours=20))
    b.outbound(client, meeting.contact, at=now - b.days(0.5), kind=InteractionKind.THANK_YOU)
    b.held_meeting(client, at=now - timedelta(hours=1))  # too soon
    b.held_meeting(client, at=now - timedelta(days=5))  # too late to help
    assert thank_you_reminders(now=now).after_meeting == 0


def test_closed_introduction_without_thanks_or_outcome(
    coach: User, now: datetime, deliver_all: Deliver
) -> None:
    client = b.make_client(coach=coach)
    b.introduction(
        client,
        made_at=now - timedelta(days=20),
        first_contact_at=now - b.days(19),
        closed_at=now - timedelta(days=1),
    )
    b.introduction(
        client,
        made_at=now - timedelta(days=20),
        first_contact_at=now - b.days(19),
        closed_at=now - timedelta(days=1),
        thanked_at=now - b.days(18),
        outcome_reported_at=now - b.days(2),
    )
    assert thank_you_reminders(now=now).close_the_loop == 1
    [email] = deliver_all()
    assert email.subject == "Close the loop with Ivy Introducer"
    assert "has not been thanked yet" in email.body
    assert "has not heard how it turned out" in email.body


# --- the hourly job, preferences -------------------------------------------------------------


def test_switched_off_topics_are_settled_without_email(
    coach: User, now: datetime, deliver_all: Deliver
) -> None:
    client = b.make_client(coach=coach)
    NotificationPreference.objects.create(user=client.user, topic="follow_ups", enabled=False)
    b.follow_up(client, due_on=now.date())
    b.introduction(client, made_at=now - timedelta(days=3))
    result = hourly_reminders(now=now)
    assert result["follow_up_reminders"] == 0
    assert result["intro_nudges"] == 1
    assert Notification.objects.get(kind="follow_ups_due").status == NotificationStatus.SKIPPED
    assert [e.subject for e in deliver_all()] == ["Tom Target is expecting your call"]


def test_switching_off_before_delivery_skips_the_queued_email(
    coach: User, now: datetime, deliver_all: Deliver
) -> None:
    client = b.make_client(coach=coach)
    b.follow_up(client, due_on=now.date())
    hourly_reminders(now=now)
    NotificationPreference.objects.create(user=client.user, topic="follow_ups", enabled=False)
    assert deliver_all() == []
    assert Notification.objects.get().status == NotificationStatus.SKIPPED


def test_a_broken_occasion_is_recorded_failed_and_the_rest_go_out(
    coach: User, now: datetime, deliver_all: Deliver, monkeypatch: pytest.MonkeyPatch
) -> None:
    from notifications.jobs import introductions

    def broken(**kwargs: object) -> None:
        raise KeyError("boom")

    client = b.make_client(coach=coach)
    b.introduction(client, made_at=now - timedelta(days=3))
    b.follow_up(client, due_on=now.date())
    monkeypatch.setattr(introductions, "_client_nudge", broken)
    result = hourly_reminders(now=now)
    assert result["follow_up_reminders"] == 1
    failed = Notification.objects.get(kind="intro_nudge")
    assert failed.status == NotificationStatus.FAILED
    assert "KeyError" in failed.last_error
    assert len(deliver_all()) == 1
    monkeypatch.undo()
    assert hourly_reminders(now=now + timedelta(hours=1))["intro_nudges"] == 0  # not a loop
