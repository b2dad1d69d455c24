"""The client page in tabs (`frontend/views/client_tabs.py`): each tab is its own server-rendered
page reading only what it shows, in a fixed number of queries; the as-of picker on the client
page and the dashboard refuses a day that has not happened yet; another coach's client, on any
tab or day, is a 404."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from coaching.models import Client
from frontend.views.client_tabs import TABS
from tenants.models import Practice
from tests.frontend.test_pages import intro_waiting  # noqa: F401 (a fixture)

# Queries per tab, warm (the host's practice remembered, the header's summary cached). Every tab
# starts with six: session, user, the client with its checklist (the decorator), and the header's
# summary version; then what the tab reads. `SET search_path` is not counted.
QUERIES = {
    "findings": 22,  # the search for the engine (seven), dispositions, the practice view (ten)
    "activity": 10,  # follow-ups (scope check, list), the timeline (scope check, list)
    "contacts": 8,  # scope check, contacts with their freshness
    "introductions": 18,  # waiting calls, the introductions, the ask cautions (eight)
    "applications": 7,
    "meetings": 8,  # meetings, feedback
    "settings": 10,  # thresholds in force, imports running, the weekly goal in force
}


def _queries(http: HttpClient, url: str) -> int:
    http.get(url)  # warm: the summary cache, the host lookup
    with CaptureQueriesContext(connection) as captured:
        response = http.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return sum(not q["sql"].startswith("SET search_path") for q in captured.captured_queries)


@pytest.mark.usefixtures("intro_waiting")
@pytest.mark.parametrize("tab", list(TABS))
def test_each_tab_renders_alone_in_a_fixed_number_of_queries(
    as_user: Callable[[User], HttpClient], coach: User, search: Client, tab: str
) -> None:
    http = as_user(coach)
    url = f"/clients/{search.pk}/?tab={tab}"
    page = http.get(url).content.decode()
    assert f'aria-current="page">{TABS[tab]}</a>' in page
    assert "Cleo Client" in page  # the header on every tab
    others = [label for key, label in TABS.items() if key != tab]
    assert all(f">{label}</a>" in page for label in others)  # links to the others
    assert _queries(http, url) == QUERIES[tab], tab


@pytest.mark.usefixtures("intro_waiting")
def test_findings_come_first_and_each_tab_shows_only_its_part(
    as_user: Callable[[User], HttpClient], coach: User, search: Client
) -> None:
    http = as_user(coach)
    first = http.get(f"/clients/{search.pk}/").content.decode()
    assert 'aria-current="page">Findings</a>' in first
    assert "Why the search is where it is" in first
    assert "Goal and thresholds for this client" not in first
    settings_tab = http.get(f"/clients/{search.pk}/", {"tab": "settings"}).content.decode()
    assert "Goal and thresholds for this client" in settings_tab
    assert "Why the search is where it is" not in settings_tab


def test_an_unknown_tab_is_refused_by_name(
    as_user: Callable[[User], HttpClient], coach: User, search: Client
) -> None:
    response = as_user(coach).get(f"/clients/{search.pk}/", {"tab": "secrets"})
    assert response.status_code == 400
    assert "no section called &#x27;secrets&#x27;" in response.content.decode()


def test_a_saved_form_returns_to_its_tab(
    as_user: Callable[[User], HttpClient], coach: User, search: Client
) -> None:
    http = as_user(coach)
    saved = http.post(f"/clients/{search.pk}/goal/", {"weekly_outreach_goal": "20"})
    assert saved["Location"] == f"/clients/{search.pk}/?tab=settings#settings"
    refused = http.post(f"/clients/{search.pk}/goal/", {"weekly_outreach_goal": "0"})
    assert refused.status_code == 400
    assert 'aria-current="page">Settings</a>' in refused.content.decode()


def test_the_page_says_as_of_when_not_today_and_keeps_the_day_across_tabs(
    as_user: Callable[[User], HttpClient], coach: User, search: Client
) -> None:
    http = as_user(coach)
    day = timezone.localdate() - timedelta(days=10)
    page = http.get(f"/clients/{search.pk}/", {"as_of": day.isoformat()}).content.decode()
    assert f"as of {day:%b} {day.day}, {day.year}" in page
    assert f"?tab=contacts&amp;as_of={day.isoformat()}" in page
    assert "Back to today" in page
    today = http.get(f"/clients/{search.pk}/").content.decode()
    assert "as-of-note" not in today
    assert f'max="{timezone.localdate():%Y-%m-%d}"' in today or "max=" in today


@pytest.mark.parametrize("path", ["/", "/clients/{client}/", "/clients/{client}/?tab=contacts"])
def test_a_future_as_of_day_is_refused_with_a_clear_message(
    as_user: Callable[[User], HttpClient], coach: User, search: Client, path: str
) -> None:
    tomorrow = timezone.localdate() + timedelta(days=2)
    url = path.format(client=search.pk)
    join = "&" if "?" in url else "?"
    response = as_user(coach).get(f"{url}{join}as_of={tomorrow.isoformat()}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "has not happened yet" in html
    assert "Show today instead" in html


def test_another_coachs_client_is_a_404_on_every_tab_and_day(
    as_user: Callable[[User], HttpClient], coach: User, other_search: Client
) -> None:
    http = as_user(coach)
    past = (timezone.localdate() - timedelta(days=5)).isoformat()
    for tab in TABS:
        assert http.get(f"/clients/{other_search.pk}/", {"tab": tab}).status_code == 404, tab
        assert (
            http.get(f"/clients/{other_search.pk}/", {"tab": tab, "as_of": past}).status_code == 404
        ), tab
    # A bad day or tab on a foreign client says nothing about it: still a 404.
    assert http.get(f"/clients/{other_search.pk}/", {"as_of": "2999-01-01"}).status_code == 404
    assert http.get(f"/clients/{other_search.pk}/", {"tab": "nope"}).status_code == 404


def test_another_practice_has_no_such_client_page(
    other_http: HttpClient, other_practice: Practice, search: Client
) -> None:
    with schema_context(other_practice.schema_name):
        other_http.force_login(User.objects.get(email="owner@bravo.example.com"))
    for tab in TABS:
        assert other_http.get(f"/clients/{search.pk}/", {"tab": tab}).status_code == 404, tab
