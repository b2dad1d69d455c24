"""Every page that says who is waiting for the client's call reads the same obligations (issue
#12): a forwarded resume waits in the dashboard, the portal's Today, the client's page, the
diagnosis and the practice report alike, and the deadlines shown are the thresholds in force."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from accounts.models import User
from coaching.choices import IntroductionKind
from coaching.insights.reports import practice_report
from coaching.insights.services import practice_thresholds_update
from coaching.models import Client, Introduction
from coaching.services import introduction_create


@pytest.fixture
def forwarded(search: Client, make_contact: Callable[..., object]) -> Introduction:
    """Ivy forwarded Cleo's resume to Tom 4 days ago; Cleo has not contacted Tom."""
    return introduction_create(
        client=search,
        actor=search.coach,
        introducer=make_contact(search, "Ivy Introducer"),
        target=make_contact(search, "Tom Target", company="Acme"),
        kind=IntroductionKind.RESUME_FORWARD,
        made_at=timezone.now() - timedelta(days=4),
    )


WAITING_CELL = 'data-label="Intros waiting on client" class="num"><strong>1</strong>'


def test_a_forwarded_resume_waits_on_every_page(
    as_user: Callable[[User], HttpClient],
    coach: User,
    client_user: User,
    search: Client,
    forwarded: Introduction,
) -> None:
    http = as_user(coach)
    assert WAITING_CELL in http.get("/").content.decode()
    client_page = http.get(f"/clients/{search.pk}/").content.decode()  # the Findings tab
    introductions = http.get(f"/clients/{search.pk}/?tab=introductions").content.decode()
    assert "Tom Target waiting 4 days" in introductions
    assert "Introduction left waiting" in client_page  # the rule: intro_not_acted_on
    assert "Resume forwarded to Tom Target 4 days ago and not contacted yet" in client_page
    assert "Introduction left waiting" in http.get("/report/").content.decode()
    [row] = practice_report(actor=coach)["clients"]
    assert row["introductions_waiting"] == 1
    assert "intro_not_acted_on" in row["open_codes"]
    today = as_user(client_user).get("/").content.decode()
    assert "Introductions waiting for your call" in today
    assert "Ivy Introducer forwarded your resume" in today
    assert "Thank Ivy Introducer for forwarding your resume to Tom Target" in today


def test_the_portal_shows_the_practices_deadline(
    as_user: Callable[[User], HttpClient],
    owner: User,
    client_user: User,
    search: Client,
    forwarded: Introduction,
) -> None:
    http = as_user(client_user)
    page = http.get("/").content.decode()
    assert "Reach out within 2 days of an introduction." in page
    assert 'class="pill warning">for 4 days' in page
    practice_thresholds_update(
        actor=owner, changes={"intro_warning_days": 5, "intro_critical_days": 9}
    )
    page = http.get("/").content.decode()
    assert "Reach out within 5 days of an introduction." in page
    assert 'class="pill neutral">for 4 days' in page
