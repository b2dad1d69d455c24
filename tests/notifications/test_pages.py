"""The pages: unsubscribing without logging in (and only on the practice the link came from),
choosing emails, and the calendar feed behind its revocable secret address."""

from datetime import datetime, timedelta

from django.test import Client as HttpClient
from django.utils import timezone
from django_tenants.utils import schema_context
from icalendar import Calendar

from accounts.models import User
from notifications.models import CalendarFeed, NotificationPreference
from notifications.services import calendar_feed_create, preferences_for
from notifications.tokens import unsubscribe_token
from tenants.models import Practice
from tests.conftest import PASSWORD
from tests.notifications import builders as b


def _unsubscribe_path(user: User, topic: str) -> str:
    return f"/notifications/unsubscribe/{unsubscribe_token(user_id=user.pk, topic=topic)}/"


def test_unsubscribe_link_works_without_login_and_get_changes_nothing(
    http: HttpClient, client_user: User
) -> None:
    path = _unsubscribe_path(client_user, "follow_ups")
    page = http.get(path)
    assert page.status_code == 200
    assert "Stop sending follow-up reminders to client@alpha.example.com?" in page.content.decode()
    assert preferences_for(user=client_user)["follow_ups"] is True  # link scanners are harmless
    done = http.post(path)
    assert done.status_code == 200
    assert "You are unsubscribed" in done.content.decode()
    assert preferences_for(user=client_user) == {
        "introductions": True,
        "follow_ups": False,
        "thank_yous": True,
    }


def test_one_click_unsubscribe_from_a_mail_app(http: HttpClient, coach: User) -> None:
    """RFC 8058: the mail app POSTs `List-Unsubscribe=One-Click`, with no cookie or CSRF token."""
    strict = HttpClient(HTTP_HOST="alpha.localhost", enforce_csrf_checks=True)
    response = strict.post(
        _unsubscribe_path(coach, "all"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert set(preferences_for(user=coach).values()) == {False}
    assert http  # practice A active


def test_a_tampered_or_foreign_link_does_nothing(
    http: HttpClient, other_http: HttpClient, client_user: User, other_practice: Practice
) -> None:
    tampered = _unsubscribe_path(client_user, "follow_ups").replace("/follow", "/x")[:-3] + "ab/"
    assert http.post(tampered).status_code == 404
    # Practice A's link for user id N, replayed on practice B's host, where id N is someone else
    # (ids repeat from one practice's schema to the next): refused, nothing switched off there.
    with schema_context(other_practice.schema_name):
        assert User.objects.filter(pk=client_user.pk).exists()
    response = other_http.post(_unsubscribe_path(client_user, "all"))
    assert response.status_code == 404
    assert "belongs to another practice" in response.content.decode()
    with schema_context(other_practice.schema_name):
        assert not NotificationPreference.objects.exists()


def test_preferences_page(http: HttpClient, client_user: User) -> None:
    assert http.get("/notifications/preferences/").status_code == 302  # to the login page
    http.login(email=client_user.email, password=PASSWORD)
    page = http.get("/notifications/preferences/").content.decode()
    assert "Follow-up reminders" in page
    assert "Weekly digest" not in page  # a coach's topic
    response = http.post(
        "/notifications/preferences/", {"action": "save", "topics": ["introductions"]}
    )
    assert response.status_code == 302
    assert preferences_for(user=client_user) == {
        "introductions": True,
        "follow_ups": False,
        "thank_yous": False,
    }


def test_calendar_address_is_shown_once_and_can_be_revoked(
    http: HttpClient, client_user: User
) -> None:
    http.login(email=client_user.email, password=PASSWORD)
    page = http.post("/notifications/preferences/", {"action": "feed_create"}).content.decode()
    url = page.split('readonly value="')[1].split('"')[0]
    assert url.startswith("http://alpha.localhost")
    assert url.endswith(".ics")
    feed_path = url.split("localhost", 1)[1].lstrip(":0123456789")
    anonymous = HttpClient(HTTP_HOST="alpha.localhost")
    assert anonymous.get(feed_path).status_code == 200
    assert "readonly value" not in http.get("/notifications/preferences/").content.decode()
    http.post("/notifications/preferences/", {"action": "feed_revoke"})
    assert anonymous.get(feed_path).status_code == 404


def _events(body: bytes) -> dict[str, str]:
    calendar = Calendar.from_ical(body)
    return {str(e["uid"]): str(e["summary"]) for e in calendar.walk("VEVENT")}


def test_client_feed_has_their_follow_ups_meetings_and_intro_calls(
    http: HttpClient, coach: User
) -> None:
    now = timezone.now()
    mine = b.make_client(coach=coach, name="Cleo Feed")
    other = b.make_client(coach=coach, name="Someone Else")
    dana = b.contact(mine, "Dana Diaz")
    fu = b.follow_up(mine, due_on=now.date() + timedelta(days=2), to=dana)
    b.follow_up(other, due_on=now.date())
    meeting = b.held_meeting(mine, at=now - timedelta(days=1), to=dana)
    intro = b.introduction(mine, made_at=now - timedelta(hours=30))
    token = calendar_feed_create(user=mine.user)
    response = http.get(f"/notifications/calendar/{token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    events = _events(response.content)
    schema = "p_alpha"
    assert events == {
        f"follow-up-{fu.pk}@{schema}.warmpath": "Follow up with Dana Diaz (Email)",
        f"meeting-{meeting.pk}@{schema}.warmpath": "Networking meeting with Dana Diaz",
        f"introduction-call-{intro.pk}@{schema}.warmpath": (
            "Call Tom Target (introduced by Ivy Introducer)"
        ),
    }


def test_coach_feed_has_their_clients_due_items_only(
    http: HttpClient, coach: User, other_coach: User, django_assert_max_num_queries
) -> None:
    now = timezone.now()
    mine = b.make_client(coach=coach, name="Mine Client")
    theirs = b.make_client(coach=other_coach, name="Theirs Client")
    b.follow_up(mine, due_on=now.date())
    b.follow_up(theirs, due_on=now.date())
    token = calendar_feed_create(user=coach)
    with django_assert_max_num_queries(12):
        response = http.get(f"/notifications/calendar/{token}.ics")
    summaries = list(_events(response.content).values())
    assert len(summaries) == 1
    assert summaries[0].startswith("Mine Client: Follow up with")


def test_feed_tokens_are_per_practice_and_die_with_the_user(
    http: HttpClient, other_http: HttpClient, client_user: User
) -> None:
    token = calendar_feed_create(user=client_user)
    assert other_http.get(f"/notifications/calendar/{token}.ics").status_code == 404
    assert http.get("/notifications/calendar/not-a-token.ics").status_code == 404
    client_user.is_active = False
    client_user.save()
    assert http.get(f"/notifications/calendar/{token}.ics").status_code == 404
    stored = CalendarFeed.objects.get()
    assert token not in stored.token_hash  # only the hash is kept


def test_a_new_address_revokes_the_old(http: HttpClient, client_user: User) -> None:
    old = calendar_feed_create(user=client_user)
    new = calendar_feed_create(user=client_user)
    assert http.get(f"/notifications/calendar/{old}.ics").status_code == 404
    assert http.get(f"/notifications/calendar/{new}.ics").status_code == 200


def test_feed_marks_when_it_was_last_read(http: HttpClient, client_user: User) -> None:
    token = calendar_feed_create(user=client_user)
    http.get(f"/notifications/calendar/{token}.ics")
    used = CalendarFeed.objects.get().last_used_at
    assert used is not None
    assert used > timezone.now() - timedelta(minutes=1)
    assert isinstance(used, datetime)
