"""The portal's quick log: one event, one record; asks instead of guessing; errors announced;
undo for a minute; nothing crosses to another client or practice."""

import re
from collections.abc import Callable
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client as HttpClient
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from coaching.access import NotFound
from coaching.choices import Channel, MeetingPurpose, MeetingStatus
from coaching.insights.client_page import search_diagnosis
from coaching.models import Client, Contact, Interaction, Introduction, Meeting
from coaching.services import linking
from notifications.jobs.reminders import hourly_reminders
from notifications.models import Notification, NotificationStatus
from notifications.services import notification_deliver
from tenants.models import Practice

Login = Callable[[User], HttpClient]


def _intro(search: Client, introducer: Contact, target: Contact, days: int) -> Introduction:
    return Introduction.objects.create(
        client=search,
        introducer=introducer,
        target=target,
        made_at=timezone.now() - timedelta(days=days),
    )


def _log(http: HttpClient, **fields: str) -> tuple[int, str]:
    data = {"what": "outreach", "channel": Channel.EMAIL, **fields}
    response = http.post("/log/", data, HTTP_HX_REQUEST="true")
    return response.status_code, response.content.decode()


def _receipt(html: str) -> str:
    found = re.search(r'name="receipt" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def _left_waiting(coach: User, search: Client, intro: Introduction) -> bool:
    """The coach's diagnosis says the introduction waits for the client's call (a first contact
    made late stays a finding of its own while in the window: "Contacted … 9 days after")."""
    diagnosis, _ = search_diagnosis(actor=coach, client=search)
    return any(
        f.code == "intro_not_acted_on"
        and f.subject == f"introduction:{intro.pk}"
        and "not contacted yet" in f.measure.sentence
        for f in diagnosis.findings
    )


def test_outreach_to_a_target_is_the_introductions_first_contact_and_no_nudge_follows(
    as_user: Login,
    client_user: User,
    coach: User,
    search: Client,
    make_contact: Callable[..., Contact],
) -> None:
    ada, chloe = make_contact(search, "Ada Introducer"), make_contact(search, "Chloe Usman")
    intro = _intro(search, ada, chloe, days=9)
    assert _left_waiting(coach, search, intro)
    http = as_user(client_user)
    assert "Chloe Usman" in http.get("/").content.decode()
    status, html = _log(http, who="Chloe Usman", channel=Channel.LINKEDIN)
    assert status == 200
    intro.refresh_from_db()
    assert intro.first_contact_at is not None
    assert "your first contact after Ada Introducer" in html
    waiting = html.split('id="waiting-title"')[1].split("</section>")[0]
    assert "Chloe Usman" not in waiting
    assert not _left_waiting(coach, search, intro)
    before = len(mail.outbox)
    hourly_reminders(now=timezone.now())
    for pk in Notification.objects.filter(status=NotificationStatus.QUEUED).values_list(
        "pk", flat=True
    ):
        notification_deliver(notification_id=pk)
    assert not [m for m in mail.outbox[before:] if "Chloe" in m.subject]


def test_a_nudge_queued_before_the_log_is_not_sent(
    as_user: Login, client_user: User, search: Client, make_contact: Callable[..., Contact]
) -> None:
    """The reminder re-reads the obligation when it is sent, not only when it is written."""
    intro = _intro(search, make_contact(search, "Ada"), make_contact(search, "Chloe"), days=3)
    noon_berlin = timezone.now().replace(hour=11, minute=0)  # awake in Europe/Berlin
    if noon_berlin > timezone.now():
        noon_berlin -= timedelta(days=1)
    intro.made_at = noon_berlin - timedelta(days=3)
    intro.save()
    hourly_reminders(now=noon_berlin)
    queued = Notification.objects.get(kind="intro_nudge")
    _log(as_user(client_user), who="Chloe")
    before = len(mail.outbox)
    assert notification_deliver(notification_id=queued.pk) == NotificationStatus.SKIPPED
    assert len(mail.outbox) == before
    queued.refresh_from_db()
    assert queued.last_error.startswith("Not sent: already done")


def test_a_thank_you_clears_what_it_owes_and_asks_when_two_things_could_be_meant(
    as_user: Login, client_user: User, search: Client, make_contact: Callable[..., Contact]
) -> None:
    kate, yusuf = make_contact(search, "Kate Bauer"), make_contact(search, "Yusuf Haddad")
    intro = _intro(search, kate, yusuf, days=4)
    meeting = Meeting.objects.create(
        client=search,
        contact=kate,
        scheduled_for=timezone.now() - timedelta(days=2),
        purpose=MeetingPurpose.NETWORKING,
        status=MeetingStatus.HELD,
    )
    http = as_user(client_user)
    status, html = _log(http, who="Kate Bauer", what="thank_you")
    assert status == 200
    assert "Which was it for?" in html
    intro.refresh_from_db()
    meeting.refresh_from_db()
    assert intro.thanked_at is None
    assert meeting.thanked_at is None
    response = http.post(
        "/log/settle/",
        {"receipt": _receipt(html), "settles": f"meeting:{meeting.pk}"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    meeting.refresh_from_db()
    intro.refresh_from_db()
    assert meeting.thanked_at is not None
    assert intro.thanked_at is None
    # A second thank-you now has one thing left to settle: the introducer's.
    _log(http, who="Kate Bauer", what="thank_you")
    intro.refresh_from_db()
    assert intro.thanked_at is not None
    owed = http.get("/").content.decode().split('id="owed-title"')[1]
    assert "Thank Kate Bauer" not in owed


def test_reporting_back_records_the_outcome(
    as_user: Login, client_user: User, search: Client, make_contact: Callable[..., Contact]
) -> None:
    ada = make_contact(search, "Ada")
    intro = _intro(search, ada, make_contact(search, "Tom"), days=5)
    _log(as_user(client_user), who="Ada", what="outcome")
    intro.refresh_from_db()
    assert intro.outcome_reported_at is not None


def test_namesakes_are_asked_about_with_their_companies(
    as_user: Login, client_user: User, search: Client, make_contact: Callable[..., Contact]
) -> None:
    acme = make_contact(search, "Sam Lee", company="Acme")
    stripe = make_contact(search, "Sam Lee", company="Stripe")
    http = as_user(client_user)
    assert "Sam Lee at Stripe" in http.get("/").content.decode()  # the suggestions
    status, html = _log(http, who="sam lee")
    assert status == 200
    assert "Sam Lee at Acme" in html
    assert "Sam Lee at Stripe" in html
    assert 'role="alert" id="log-ask"' in html
    assert not Interaction.objects.filter(client=search).exists()
    status, html = _log(http, who="sam lee", contact=str(stripe.pk))
    assert status == 200
    assert stripe.interactions.count() == 1
    assert acme.interactions.count() == 0


def test_a_near_miss_offers_did_you_mean_and_a_new_contact_on_request(
    as_user: Login, client_user: User, search: Client, make_contact: Callable[..., Contact]
) -> None:
    priya = make_contact(search, "Priya Patel", company="Quarry")
    http = as_user(client_user)
    status, html = _log(http, who="Priya Patell")
    assert status == 200
    assert "Did you mean" in html
    assert "Priya Patel at Quarry" in html
    assert search.contacts.count() == 1
    _log(http, who="Priya Patell", contact=str(priya.pk))
    assert priya.interactions.count() == 1
    _, html = _log(http, who="Priya Patell", new_contact="on")
    assert search.contacts.filter(name="Priya Patell").exists()
    assert "Priya Patell is new in your contacts." in html


def test_a_refused_log_shows_and_announces_the_error_and_changes_nothing(
    as_user: Login, client_user: User, search: Client
) -> None:
    http = as_user(client_user)
    status, html = _log(http, who="Nina New")
    assert status == 200
    assert "Logged: you reached out to Nina New" in html
    count = Interaction.objects.count()
    status, html = _log(http, who="", when="day", on="")
    assert status == 400
    assert "Logged:" not in html  # the old confirmation is gone
    assert 'role="alert" id="log-errors"' in html
    assert 'id="id_who-error"' in html
    assert 'id="id_on-error"' in html
    assert 'aria-describedby="id_who-help id_who-error"' in html
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    status, html = _log(http, who="Nina New", when="day", on=future)
    assert status == 400
    assert "cannot be in the future" in html
    assert Interaction.objects.count() == count


def test_yesterday_is_logged_as_yesterday_in_the_clients_zone(
    as_user: Login, client_user: User, search: Client
) -> None:
    _log(as_user(client_user), who="Nina New", when="yesterday")
    logged = Interaction.objects.get(contact__name="Nina New")
    local = timezone.localtime(logged.occurred_at, timezone=linking_zone(search))
    today = timezone.localtime(timezone.now(), timezone=linking_zone(search)).date()
    assert local.date() == today - timedelta(days=1)
    assert local.hour == 12


def linking_zone(search: Client) -> ZoneInfo:
    return ZoneInfo(search.time_zone)


def test_undo_within_a_minute_reverts_every_record_and_later_is_refused(
    as_user: Login,
    client_user: User,
    search: Client,
    make_contact: Callable[..., Contact],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    intro = _intro(search, make_contact(search, "Ada"), make_contact(search, "Chloe"), days=2)
    http = as_user(client_user)
    _, html = _log(http, who="Chloe")
    token = _receipt(html)
    _, html2 = _log(http, who="Zed Brand New")
    late_token = _receipt(html2)
    undone = http.post("/log/undo/", {"receipt": token}, HTTP_HX_REQUEST="true")
    assert undone.status_code == 200
    assert "Undone" in undone.content.decode()
    intro.refresh_from_db()
    assert intro.first_contact_at is None
    assert not Interaction.objects.filter(contact__name="Chloe").exists()
    assert "Chloe" in undone.content.decode().split('id="waiting-title"')[1]
    again = http.post("/log/undo/", {"receipt": token}, HTTP_HX_REQUEST="true")
    assert "already undone" in again.content.decode()
    real_time = linking.time.time
    monkeypatch.setattr(linking.time, "time", lambda: real_time() + 61)
    late = http.post("/log/undo/", {"receipt": late_token}, HTTP_HX_REQUEST="true")
    assert late.status_code == 400
    assert 'role="alert" id="undo-error"' in late.content.decode()
    assert search.contacts.filter(name="Zed Brand New").exists()
    assert Interaction.objects.filter(contact__name="Zed Brand New").exists()


def test_undo_removes_a_contact_the_log_created(
    as_user: Login, client_user: User, search: Client
) -> None:
    http = as_user(client_user)
    _, html = _log(http, who="Olga Once")
    http.post("/log/undo/", {"receipt": _receipt(html)}, HTTP_HX_REQUEST="true")
    assert not search.contacts.filter(name="Olga Once").exists()


def test_receipts_and_picks_do_not_cross_clients_or_practices(
    as_user: Login,
    client_user: User,
    other_client_user: User,
    search: Client,
    other_search: Client,
    other_http: HttpClient,
    other_practice: Practice,
    make_contact: Callable[..., Contact],
) -> None:
    carls = make_contact(other_search, "Carl's Friend")
    http = as_user(client_user)
    _, html = _log(http, who="Nina New")
    token = _receipt(html)
    theirs = HttpClient(HTTP_HOST=http.defaults.get("HTTP_HOST", ""))
    theirs.force_login(other_client_user)
    assert theirs.post("/log/undo/", {"receipt": token}).status_code == 404
    assert theirs.post("/log/settle/", {"receipt": token, "settles": "none"}).status_code == 404
    assert Interaction.objects.filter(contact__name="Nina New").exists()
    # Another client's contact id in the "which one?" answer is not found either.
    assert http.post("/log/", {"who": "X", "what": "outreach", "channel": "email",
                               "contact": carls.pk}).status_code == 404  # fmt: skip
    assert http.post("/log/undo/", {"receipt": "forged:token"}).status_code == 404
    # Practice B's host does not know practice A's receipt: signed for A's schema only.
    with schema_context(other_practice.schema_name):
        other_http.force_login(User.objects.get(email="owner@bravo.example.com"))
        with pytest.raises(NotFound):
            linking.receipt_read(token=token, client=search)
    assert other_http.post("/log/undo/", {"receipt": token}).status_code == 404


def test_the_channel_select_and_the_log_controls_are_phone_sized() -> None:
    from pathlib import Path

    css = Path("frontend/static/frontend/app.css").read_text()
    assert ".quicklog select" in css
    assert "min-height:44px" in css


def test_the_coachs_page_settles_the_same_way(
    as_user: Login, coach: User, search: Client, make_contact: Callable[..., Contact]
) -> None:
    """The coach records the client's message on the client's behalf: same service, same rule
    (the time is typed in the client's zone, Europe/Berlin)."""
    target = make_contact(search, "Tara Target")
    intro = _intro(search, make_contact(search, "Ada"), target, days=3)
    http = as_user(coach)
    when = timezone.localtime(timezone.now() - timedelta(hours=2), ZoneInfo(search.time_zone))
    response = http.post(
        f"/clients/{search.pk}/interactions/new/",
        {
            "contact": target.pk,
            "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
            "kind": "outreach",
            "channel": "phone",
            "direction": "outbound",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    intro.refresh_from_db()
    assert intro.first_contact_at == when.replace(second=0, microsecond=0)


def test_undo_of_a_reply_takes_the_reply_back(
    as_user: Login, client_user: User, search: Client
) -> None:
    http = as_user(client_user)
    _log(http, who="Nina New")
    _, html = _log(http, who="Nina New", what="reply")
    message = Interaction.objects.get(contact__name="Nina New")
    assert message.replied_at is not None
    http.post("/log/undo/", {"receipt": _receipt(html)}, HTTP_HX_REQUEST="true")
    message.refresh_from_db()
    assert message.replied_at is None
