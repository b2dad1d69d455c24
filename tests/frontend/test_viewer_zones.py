"""Times typed and shown in the right zone: a Los Angeles client's 10:00 winter meeting is 18:00Z
in the database, "10:00" in her portal, "18:00 (10:00 client's time)" to a coach in London, and
`DTSTART:…T180000Z` in the calendar feed."""

from collections.abc import Callable
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.test import Client as HttpClient
from django.utils import timezone

from accounts.models import User
from coaching.models import Client, Meeting
from frontend.zones import viewer_zone
from notifications.ics import calendar_for

LA = "America/Los_Angeles"


def _la(search: Client) -> Client:
    search.time_zone = LA
    search.save(update_fields=["time_zone"])
    return search


def _show(value: datetime, client: Client, viewer: str) -> str:
    with timezone.override(ZoneInfo(viewer)):
        return Template("{% load warmpath %}{% moment value client %}").render(
            Context({"value": value, "client": client})
        )


def test_a_meeting_typed_in_the_portal_is_the_clients_wall_clock_everywhere(
    as_user: Callable[[User], HttpClient], client_user: User, search: Client
) -> None:
    _la(search)
    http = as_user(client_user)
    form = http.get("/my/meetings/").content.decode()
    assert f"In your time zone ({LA})" in form
    response = http.post(
        "/my/meetings/",
        {"contact": "Yusuf Haddad", "scheduled_for": "2030-01-15T10:00", "purpose": "networking"},
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(client=search)
    assert meeting.scheduled_for == datetime(2030, 1, 15, 18, 0, tzinfo=UTC)
    page = http.get("/my/meetings/").content.decode()
    assert "10:00" in page
    assert "18:00" not in page
    assert "DTSTART:20300115T180000Z" in calendar_for(
        user=client_user, now=datetime(2030, 1, 1, tzinfo=UTC)
    ).decode().replace("\r\n ", "")
    assert _show(meeting.scheduled_for, search, "Europe/London") == (
        f'<time datetime="2030-01-15T18:00:00+00:00" title="Times in Europe/London; the client '
        f'is in {LA}">Tue 15 Jan, 18:00 (10:00 client&#x27;s time)</time>'
    )
    assert "(" not in _show(meeting.scheduled_for, search, LA).split(">")[1]


def test_the_client_time_names_the_day_when_it_differs(search: Client) -> None:
    _la(search)
    late = datetime(2030, 1, 16, 4, 30, tzinfo=UTC)  # 20:30 the evening before in LA
    assert "Wed 16 Jan, 04:30 (Tue 20:30 client&#x27;s time)" in _show(late, search, "UTC")


def test_dst_is_the_zones_not_a_fixed_offset(search: Client) -> None:
    _la(search)
    summer = datetime(2030, 7, 15, 17, 0, tzinfo=UTC)  # 10:00 PDT, 18:00 BST
    assert "18:00 (10:00 client&#x27;s time)" in _show(summer, search, "Europe/London")


def test_whose_zone_a_page_is_in(
    client_user: User, coach: User, search: Client, other_client_user: User
) -> None:
    _la(search)
    assert viewer_zone(user=client_user, practice_zone="Europe/London") == LA
    assert viewer_zone(user=coach, practice_zone="Europe/London") == "Europe/London"
    assert viewer_zone(user=coach, practice_zone="") == "UTC"
    # A client whose coach has not opened a search yet: the practice's zone.
    assert viewer_zone(user=other_client_user, practice_zone="Europe/Paris") == "Europe/Paris"


def test_the_coach_sees_the_practices_time_and_the_clients(
    as_user: Callable[[User], HttpClient], coach: User, search: Client
) -> None:
    """Practice A is in New York, the client in Los Angeles: her 10:00 is 13:00 for her coach."""
    _la(search)
    Meeting.objects.create(
        client=search,
        contact=search.contacts.create(name="Yusuf Haddad"),
        scheduled_for=datetime(2030, 1, 15, 18, 0, tzinfo=UTC),
        purpose="networking",
    )
    page = as_user(coach).get(f"/clients/{search.pk}/?tab=meetings").content.decode()
    assert "Tue 15 Jan, 13:00 (10:00 client&#x27;s time)" in page
