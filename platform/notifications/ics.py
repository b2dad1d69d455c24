"""The calendar feed (iCalendar / ICS) a person subscribes to from Google Calendar or Outlook.

- A client sees their own open follow-ups (all-day, on the due day), their meetings, and the day
  each introduction (or forwarded resume) waiting for their call should be answered by: its
  deadline from the client's `intro_warning_days` (`coaching.insights.obligations`).
- A coach (or the owner) sees the same for every client they may see, each title starting with
  the client's name.

Events keep stable UIDs, so a calendar that refreshes the feed updates them in place; a
follow-up marked done or an introduction answered simply leaves the feed. Five queries.
"""

from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from icalendar import Calendar, Event

from accounts.models import User
from coaching.access import client_queryset_for
from coaching.choices import ClientStatus, IntroductionKind, MeetingStatus
from coaching.insights.obligations import calls_waiting
from coaching.models import Client, FollowUp, Introduction, Meeting
from notifications.emails import site_url
from notifications.tokens import current_schema

PAST = timedelta(days=30)
AHEAD = timedelta(days=180)
MEETING_LENGTH = timedelta(hours=1)


def _uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{current_schema()}.warmpath"


def _event(
    *, uid: str, summary: str, start: date | datetime, end: date | datetime, url: str, now: datetime
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("url", url)
    all_day = not isinstance(start, datetime)
    event.add("transp", "TRANSPARENT" if all_day else "OPAQUE")
    return event


def _by(intro: Introduction) -> str:
    forwarded = intro.kind == IntroductionKind.RESUME_FORWARD
    return "resume forwarded by" if forwarded else "introduced by"


def calendar_for(*, user: User, now: datetime | None = None) -> bytes:
    now = now or timezone.now()
    coaching = user.is_coaching_staff
    clients: QuerySet[Client] = client_queryset_for(actor=user).filter(status=ClientStatus.ACTIVE)
    calendar = Calendar()
    calendar.add("prodid", "-//Warmpath//Notifications//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    name = getattr(getattr(connection, "tenant", None), "name", "") or "Warmpath"
    calendar.add("x-wr-calname", f"{name}: {'clients' if coaching else 'my search'}")
    calendar.add("refresh-interval;value=duration", "PT1H")
    calendar.add("x-published-ttl", "PT1H")
    base = site_url()

    def label(client: Client, text: str) -> str:
        return f"{client.user.name or client.user.email}: {text}" if coaching else text

    def link(client: Client, path: str) -> str:
        return f"{base}/clients/{client.pk}/" if coaching else f"{base}{path}"

    today = now.date()
    follow_ups = (
        FollowUp.objects.filter(
            client__in=clients,
            done_at__isnull=True,
            due_on__gte=today - PAST,
            due_on__lte=today + AHEAD,
        )
        .select_related("client__user", "contact")
        .order_by("due_on", "pk")
    )
    for follow_up in follow_ups:
        calendar.add_component(
            _event(
                uid=_uid("follow-up", follow_up.pk),
                summary=label(
                    follow_up.client,
                    f"Follow up with {follow_up.contact.name} ({follow_up.get_channel_display()})",
                ),
                start=follow_up.due_on,
                end=follow_up.due_on + timedelta(days=1),
                url=link(follow_up.client, "/"),
                now=now,
            )
        )
    meetings = (
        Meeting.objects.filter(
            client__in=clients,
            status__in=[MeetingStatus.SCHEDULED, MeetingStatus.HELD],
            scheduled_for__gte=now - PAST,
            scheduled_for__lte=now + AHEAD,
        )
        .select_related("client__user", "contact")
        .order_by("scheduled_for", "pk")
    )
    for meeting in meetings:
        calendar.add_component(
            _event(
                uid=_uid("meeting", meeting.pk),
                summary=label(
                    meeting.client,
                    f"{meeting.get_purpose_display()} meeting with {meeting.contact.name}",
                ),
                start=meeting.scheduled_for,
                end=meeting.scheduled_for + MEETING_LENGTH,
                url=link(meeting.client, "/my/meetings/"),
                now=now,
            )
        )
    for waiting in calls_waiting(clients=clients, at=now):
        intro = waiting.introduction
        if waiting.call.since < now - PAST:
            continue
        due = waiting.call.due_on  # the client's day, from their `intro_warning_days`
        calendar.add_component(
            _event(
                uid=_uid("introduction-call", intro.pk),
                summary=label(
                    intro.client,
                    f"Call {intro.target.name} ({_by(intro)} {intro.introducer.name})",
                ),
                start=due,
                end=due + timedelta(days=1),
                url=link(intro.client, "/my/introductions/"),
                now=now,
            )
        )
    return calendar.to_ical()
