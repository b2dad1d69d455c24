"""Every kind of record, created, changed and removed by the coach in Chromium at 1440 and 768 px
(frontend/views/records/); the client and a coach who does not coach them get "not found"; the
applications board moved by keyboard, with and without its script."""

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PRACTICE_PASSWORD, LiveServer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

WIDTHS = (1440, 768)
TODAY = date.today()


@dataclass(frozen=True)
class Workspace:
    slug: str
    client_id: int
    coach_email: str
    foreign_coach_email: str
    client_email: str


@pytest.fixture(scope="module")
def workspace(server: LiveServer, django_db_blocker: pytest.FixtureRequest) -> Workspace:
    """A practice: Cora coaches Cleo (two contacts, one application); Otto coaches nobody."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from coaching.choices import ApplicationSource
    from coaching.services import application_create, client_create, contact_create
    from tenants.provisioning import practice_create

    slug = f"work-{secrets.token_hex(3)}"
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        created = practice_create(
            name="Workspace Coaching",
            slug=slug,
            owner_name="Olga Owner",
            owner_email=f"owner@{slug}.example.com",
            password=PRACTICE_PASSWORD,
        )
        with schema_context(created.practice.schema_name):
            owner = User.objects.get(email=f"owner@{slug}.example.com")
            cora = User.objects.create_user(
                f"cora@{slug}.example.com", PRACTICE_PASSWORD, name="Cora Coach", role=Role.COACH
            )
            User.objects.create_user(
                f"otto@{slug}.example.com", PRACTICE_PASSWORD, name="Otto Coach", role=Role.COACH
            )
            cleo = User.objects.create_user(
                f"cleo@{slug}.example.com", PRACTICE_PASSWORD, name="Cleo Seeker", role=Role.CLIENT
            )
            client = client_create(
                actor=owner,
                user=cleo,
                coach=cora,
                search_started_on=TODAY - timedelta(days=40),
                time_zone="Europe/Berlin",
            )
            for name, company in (("Ann Example", "Acme"), ("Ben Example", "Globex")):
                contact_create(client=client, actor=cora, name=name, company=company)
            application_create(
                client=client,
                actor=cora,
                company="Initech",
                role="Platform engineer",
                source=ApplicationSource.REFERRAL,
            )
            client_id = client.pk
        connection.set_schema_to_public()
    return Workspace(
        slug=slug,
        client_id=client_id,
        coach_email=f"cora@{slug}.example.com",
        foreign_coach_email=f"otto@{slug}.example.com",
        client_email=f"cleo@{slug}.example.com",
    )


def _sign_in(page: Page, server: LiveServer, slug: str, email: str) -> None:
    response = page.goto(server.url(slug, "/accounts/login/"))
    assert response is not None
    assert response.status == 200, response.status
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PRACTICE_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"//{slug}\.localhost:{server.port}/$"))


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def coach_page(
    request: pytest.FixtureRequest, browser: Browser, server: LiveServer, workspace: Workspace
) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    page = context.new_page()
    _sign_in(page, server, workspace.slug, workspace.coach_email)
    yield page
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"the last page scrolls sideways at {request.param}px"
    context.close()


def _open(page: Page, server: LiveServer, ws: Workspace, path: str = "") -> None:
    page.goto(server.url(ws.slug, f"/clients/{ws.client_id}/{path}"))


def _said(page: Page, text: str) -> None:
    expect(page.locator(".messages")).to_contain_text(text)


def _when(days: int = 0, hours: int = 0) -> str:
    from datetime import datetime

    at = datetime.now() + timedelta(days=days, hours=hours)
    return at.strftime("%Y-%m-%dT%H:%M")


def test_a_contact(coach_page: Page, server: LiveServer, workspace: Workspace) -> None:
    page = coach_page
    name = f"Nina {secrets.token_hex(2)}"
    _open(page, server, workspace, "?tab=contacts")
    page.get_by_role("link", name="Add a contact").click()
    page.get_by_label("Name").fill(name)
    page.get_by_label("Company").fill("Umbrella")
    page.get_by_label("How they know each other").select_option(label="Colleague")
    page.get_by_label("Key influencer").check()
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    page.get_by_role("link", name=f"Edit {name}").click()
    page.get_by_label("Title").fill("Head of data")
    page.get_by_label("Willing to help").select_option(label="Willing to help")
    page.get_by_label("Can hire").check()
    page.get_by_role("button", name="Save contact").click()
    _said(page, f"Saved {name}.")
    expect(page.locator("dl.facts")).to_contain_text("Head of data at Umbrella")
    page.get_by_role("link", name=f"Delete {name}…").click()
    page.get_by_role("button", name=f"Delete {name}").click()
    expect(page.get_by_role("link", name=name)).to_have_count(0)


def test_an_interaction(coach_page: Page, server: LiveServer, workspace: Workspace) -> None:
    page = coach_page
    _open(page, server, workspace, "?tab=contacts")
    page.get_by_role("link", name="Record an interaction").click()
    expect(page.get_by_text("In Cleo Seeker's time zone (Europe/Berlin).").first).to_be_visible()
    page.get_by_label("With").select_option(label="Ben Example · Globex")
    page.get_by_label("When").fill(_when(days=-1))
    page.get_by_label("Note").fill("First hello")
    page.get_by_role("button", name="Record interaction").click()
    _said(page, "Interaction recorded.")
    row = page.locator("tr", has_text="First hello")
    row.get_by_role("link", name=re.compile("Correct")).click()
    page.get_by_label("How").select_option(label="Phone")
    page.get_by_role("button", name="Save interaction").click()
    _said(page, "Interaction saved.")
    row = page.locator("tr", has_text="First hello")
    expect(row).to_contain_text("Phone")
    row.get_by_text("Remove…").click()
    row.get_by_role("button", name=re.compile("Remove this outreach")).click()
    _said(page, "The activity log keeps what it said.")
    expect(page.locator("tr", has_text="First hello")).to_have_count(0)


def test_an_introduction(coach_page: Page, server: LiveServer, workspace: Workspace) -> None:
    page = coach_page
    _open(page, server, workspace, "?tab=introductions")
    page.get_by_role("link", name="Record an introduction").click()
    page.get_by_label("Introducer").select_option(label="Ann Example · Acme")
    page.get_by_label("Introduced to").select_option(label="Ben Example · Globex")
    page.get_by_label("Requested at").fill(_when(days=-3))
    page.get_by_role("button", name="Record introduction").click()
    _said(page, "Introduction recorded.")
    page.get_by_text("Record it: the introduction was made").click()
    page.locator("#step-made").get_by_label("When").fill(_when(days=-2))
    page.locator("#step-made").get_by_role("button", name=re.compile("Save")).click()
    _said(page, "Recorded: the introduction was made.")
    page.get_by_label("How it ended").select_option(label="It was dropped")
    page.get_by_label("When", exact=True).last.fill(_when(hours=-1))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator("#id_reason-error")).to_be_visible()  # a dropped one needs its reason
    page.get_by_label("Why it was dropped").select_option(label="Took another offer")
    page.get_by_role("button", name="Save", exact=True).click()
    _said(page, "The introduction is abandoned.")
    page.get_by_role("link", name="Remove this introduction…").click()
    page.get_by_role("button", name="Remove this introduction").click()
    _said(page, "Removed the introduction by Ann Example to Ben Example.")


def test_a_follow_up(coach_page: Page, server: LiveServer, workspace: Workspace) -> None:
    page = coach_page
    _open(page, server, workspace, "?tab=activity")
    page.get_by_role("link", name="Schedule a follow-up").click()
    page.get_by_label("With").select_option(label="Ann Example · Acme")
    page.get_by_label("Due on").fill((TODAY + timedelta(days=2)).isoformat())
    page.get_by_role("button", name="Schedule follow-up").click()
    _said(page, "Follow-up scheduled.")
    page.locator("#follow-ups").get_by_role("link", name="Ann Example").first.click()
    page.get_by_label("Due on").fill((TODAY + timedelta(days=4)).isoformat())
    page.get_by_role("button", name="Move follow-up").click()
    _said(page, "Follow-up moved.")
    page.get_by_role("link", name="Remove this follow-up…").click()
    page.get_by_role("button", name="Remove this follow-up").click()
    _said(page, "Removed the follow-up with Ann Example")


def test_an_application(coach_page: Page, server: LiveServer, workspace: Workspace) -> None:
    page = coach_page
    role = f"Analyst {secrets.token_hex(2)}"
    _open(page, server, workspace, "?tab=applications")
    page.get_by_role("link", name="Record an application").click()
    page.get_by_label("Company", exact=True).fill("Hooli")
    page.get_by_label("Role", exact=True).fill(role)
    page.get_by_label("Source").select_option(label="Job board")
    page.get_by_role("button", name="Record application").click()
    _said(page, f"Recorded {role} at Hooli.")
    page.get_by_role("link", name=role).click()
    page.get_by_label("Fit").select_option(label="Poor fit")
    page.get_by_role("button", name="Save application").click()
    _said(page, f"Saved {role} at Hooli.")
    expect(page.locator("tr", has_text=role)).to_contain_text("Poor fit")
    page.get_by_role("link", name=role).click()
    page.get_by_role("link", name="Remove this application…").click()
    page.get_by_role("button", name="Remove this application").click()
    _said(page, f"Removed the application for {role} at Hooli.")


def test_a_meeting(coach_page: Page, server: LiveServer, workspace: Workspace) -> None:
    page = coach_page
    _open(page, server, workspace, "?tab=meetings")
    page.get_by_role("link", name="Schedule a meeting").click()
    page.get_by_label("With").select_option(label="Ben Example · Globex")
    page.get_by_label("When").fill(_when(days=3))
    page.get_by_label("Purpose").select_option(label="Informational")
    page.get_by_role("button", name="Schedule meeting").click()
    _said(page, "Meeting scheduled.")
    page.get_by_label("What the client wants from the meeting").fill("A referral")
    page.get_by_role("button", name="Save preparation").click()
    _said(page, "Preparation saved.")
    page.get_by_label("What happened").select_option(label="It was cancelled")
    page.get_by_role("button", name="Save outcome").click()
    _said(page, "Meeting: cancelled.")
    page.get_by_role("link", name="Remove this meeting…").click()
    page.get_by_role("button", name="Remove this meeting").click()
    _said(page, "Removed the informational meeting with Ben Example")


def test_feedback(coach_page: Page, server: LiveServer, workspace: Workspace) -> None:
    page = coach_page
    note = f"Rambles {secrets.token_hex(2)}"
    _open(page, server, workspace, "?tab=meetings")
    page.get_by_role("link", name="Record feedback about the client").click()
    page.get_by_label("From").select_option(label="Coach")
    page.get_by_label("About").select_option(label="Other")
    page.get_by_label("Received on").fill(TODAY.isoformat())
    page.get_by_role("button", name="Record feedback").click()
    expect(page.locator("#id_note-error")).to_be_visible()  # "other" needs a description
    page.get_by_label("Note").fill(note)
    page.get_by_role("button", name="Record feedback").click()
    _said(page, "Feedback recorded.")
    page.locator("li", has_text=note).get_by_role("link", name=re.compile("Remove")).click()
    page.get_by_role("button", name="Remove this feedback").click()
    _said(page, "Removed the feedback of")
    expect(page.get_by_text(note)).to_have_count(0)


def test_the_clients_profile_and_status(
    coach_page: Page, server: LiveServer, workspace: Workspace
) -> None:
    page = coach_page
    _open(page, server, workspace)
    page.get_by_role("link", name="Edit the profile, status or coach").click()
    page.get_by_label("Headline").fill("Staff data engineer")
    page.get_by_role("button", name="Save profile").click()
    _said(page, "Profile saved.")
    expect(page.locator("dl.facts")).to_contain_text("Staff data engineer")
    page.get_by_role("link", name="Edit the profile, status or coach").click()
    expect(page.get_by_role("button", name="Reassign")).to_have_count(0)  # the owner's
    page.get_by_role("combobox", name="Status").select_option(label="Paused")
    page.get_by_role("button", name="Save status").click()
    _said(page, "Status: paused.")
    page.get_by_role("link", name="Edit the profile, status or coach").click()
    page.get_by_role("combobox", name="Status").select_option(label="Active")
    page.get_by_role("button", name="Save status").click()
    _said(page, "Status: active.")


@pytest.mark.parametrize("who", ["client", "foreign coach"])
def test_the_client_and_a_foreign_coach_find_nothing(
    browser: Browser, server: LiveServer, workspace: Workspace, who: str
) -> None:
    email = workspace.client_email if who == "client" else workspace.foreign_coach_email
    context = browser.new_context(viewport={"width": 768, "height": 900})
    page = context.new_page()
    _sign_in(page, server, workspace.slug, email)
    for path in (
        "edit/", "contacts/new/", "interactions/new/", "introductions/new/", "follow-ups/new/",
        "applications/new/", "meetings/new/", "feedback/new/", "pipeline/",
    ):  # fmt: skip
        response = page.goto(server.url(workspace.slug, f"/clients/{workspace.client_id}/{path}"))
        assert response is not None
        assert response.status == 404, (who, path)
    context.close()


@pytest.mark.parametrize("script", [True, False], ids=["with the script", "plain forms"])
@pytest.mark.parametrize("width", WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def test_the_pipeline_moves_by_keyboard(
    browser: Browser, server: LiveServer, workspace: Workspace, width: int, script: bool
) -> None:
    context = browser.new_context(
        viewport={"width": width, "height": 900}, java_script_enabled=script
    )
    page = context.new_page()
    _sign_in(page, server, workspace.slug, workspace.coach_email)
    page.goto(server.url(workspace.slug, f"/clients/{workspace.client_id}/pipeline/"))
    card = page.locator(".app-card", has_text="Platform engineer")
    start = card.get_attribute("data-stage")
    target, label = (
        ("interviewing", "Interviewing") if start != "interviewing" else ("applied", "Applied")
    )
    button = card.get_by_role("button", name=re.compile(f"^Move to {label}"))
    button.focus()
    page.keyboard.press("Enter")
    column = page.locator(f"section.stage[data-stage='{target}']")
    expect(column.locator(".app-card", has_text="Platform engineer")).to_be_visible()
    if script:
        expect(page.locator("#board-status")).to_contain_text("Platform engineer at Initech")
        focused = page.evaluate("document.activeElement.id")
        assert focused.startswith("application-"), focused
    else:
        _said(page, f"Platform engineer at Initech: {label.lower()}.")
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner
    context.close()


def test_the_practice_board_lists_the_coachs_clients(
    browser: Browser, server: LiveServer, workspace: Workspace
) -> None:
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    _sign_in(page, server, workspace.slug, workspace.coach_email)
    page.get_by_role("link", name="Applications", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your clients' applications")
    card = page.locator(".app-card", has_text="Platform engineer")
    expect(card).to_contain_text("Cleo Seeker")
    expect(card).to_contain_text("Network: referral")
    context.close()
