"""The product end to end in Chromium: signup, invitation, the client's portal, the coach's
dashboard and the evidence behind a finding, scope between clients, and the portal on a phone."""

import re
import secrets
from datetime import date, timedelta

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PRACTICE_PASSWORD, LiveServer

# `django_db` makes pytest-django create the test database (the server shares it); the tests
# only read what the browser wrote through the server, which is committed.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db]
PASSWORD = PRACTICE_PASSWORD


def _signup(page: Page, server: LiveServer, slug: str) -> None:
    page.goto(server.url())
    page.get_by_role("link", name="Start your practice").first.click()
    page.get_by_label("Practice name").fill("Elm Street Coaching")
    page.get_by_label("Web address").fill(slug)
    page.get_by_label("Your name").fill("Ella Owner")
    page.get_by_label("Your email").fill(f"ella@{slug}.example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create practice").click()
    expect(page).to_have_url(re.compile(rf"http://{slug}\.localhost:{server.port}/$"))
    # The owner confirms their address before they can invite anyone.
    mail = next(m for m in reversed(server.mails()) if f"ella@{slug}.example.com" in m)
    link = re.search(r"(http://\S+/accounts/confirm-email/\S+/)", mail)
    assert link, mail
    page.goto(link.group(1))
    page.get_by_role("button", name="Confirm").click()


def _invite(page: Page, server: LiveServer, slug: str, email: str, name: str) -> str:
    page.goto(server.url(slug, "/members/"))
    page.get_by_label("Email").fill(email)
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Role").select_option("client")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.get_by_text(f"Invitation sent to {email}")).to_be_visible()
    mail = next(m for m in reversed(server.mails()) if email in m)
    link = re.search(r"(http://\S+/invitations/\S+/)", mail)
    assert link, mail
    return link.group(1)


def test_coach_sees_an_unanswered_introduction_and_its_evidence(
    browser: Browser, server: LiveServer, shot: object
) -> None:
    slug = f"elm-{secrets.token_hex(3)}"
    coach_context = browser.new_context()
    coach = coach_context.new_page()
    shot(coach.goto(server.url()) and coach, "01-public-home")  # type: ignore[operator]
    _signup(coach, server, slug)
    expect(coach.get_by_role("heading", name="Start here")).to_be_visible()
    shot(coach, "02-dashboard-empty")  # type: ignore[operator]
    link = _invite(coach, server, slug, f"cleo@{slug}.example.com", "Cleo Seeker")

    client_context = browser.new_context()
    client = client_context.new_page()
    client.goto(link)
    client.get_by_label("Your name").fill("Cleo Seeker")
    client.get_by_label("Choose a password").fill(PASSWORD)
    client.get_by_role("button", name="Join").click()
    expect(client.get_by_role("heading", name="Today")).to_be_visible()

    # Log an outreach with the keyboard only: four fields (the day is today unless another is
    # chosen, and its picker stays out of the way until then), then the button.
    expect(client.get_by_label("Which day")).to_be_hidden()
    client.get_by_label("Who").focus()
    client.keyboard.type("Priya Patel")
    client.keyboard.press("Tab")
    client.keyboard.press("ArrowDown")  # "They replied", then back to "I reached out"
    client.keyboard.press("ArrowUp")
    client.keyboard.press("Tab")
    client.keyboard.press("ArrowDown")  # Phone
    client.keyboard.press("Tab")
    expect(client.get_by_label("Today")).to_be_focused()
    client.keyboard.press("Tab")
    expect(client.get_by_role("button", name="Log it")).to_be_focused()
    client.keyboard.press("Enter")
    expect(client.get_by_text("Logged: you reached out to Priya Patel.")).to_be_visible()
    expect(client.get_by_text("You reached 1 of your goal")).to_be_visible()

    # An introduction made nine days ago that the client never followed up.
    client.get_by_role("link", name="Introductions").click()
    client.get_by_label("Who is introducing you").fill("Priya Patel")
    client.get_by_label("Who they introduce you to").fill("Tom Target")
    client.get_by_label("Where it stands").select_option("made")
    client.get_by_label("On", exact=True).fill((date.today() - timedelta(days=9)).isoformat())
    client.get_by_role("button", name="Record introduction").click()
    expect(client.get_by_text("Introduction to Tom Target recorded")).to_be_visible()
    client.get_by_role("link", name="Today").click()
    expect(client.get_by_text("has been expecting to hear from you")).to_be_visible()
    shot(client, "03-portal-today")  # type: ignore[operator]

    coach.goto(server.url(slug))
    row = coach.locator("tr", has_text="Cleo Seeker")
    expect(row).to_be_visible()
    expect(row.locator('[data-label="Intros waiting on client"]')).to_have_text("1")
    shot(coach, "04-dashboard")  # type: ignore[operator]
    row.get_by_role("link", name="Cleo Seeker").click()
    finding = coach.locator("article.finding", has_text="Introduction left waiting")
    expect(finding).to_be_visible()
    shot(coach, "05-client-page")  # type: ignore[operator]
    finding.locator(".evidence a").first.click()
    expect(coach).to_have_url(re.compile(r"/clients/\d+/\?tab=introductions#introduction-\d+$"))
    target = coach.locator(":target")
    expect(target).to_contain_text("Priya Patel → Tom Target")
    expect(target).to_contain_text(re.compile(r"waiting [89] days"))  # noon, nine days back
    shot(coach, "06-finding-evidence")  # type: ignore[operator]

    # The coach shares the report (the client page's Settings tab); the client sees it.
    coach.get_by_role("navigation", name="Sections of this client's page").get_by_role(
        "link", name="Settings"
    ).click()
    coach.get_by_label("Show the report in the client's portal").check()
    coach.get_by_role("button", name="Save sharing").click()
    client.get_by_role("link", name="Report").click()
    expect(client.get_by_text("Introduction left waiting")).to_be_visible()
    coach_context.close()
    client_context.close()


def test_a_client_cannot_open_another_clients_page(
    browser: Browser, server: LiveServer, django_db_blocker: pytest.FixtureRequest
) -> None:
    slug = f"oak-{secrets.token_hex(3)}"
    owner_context = browser.new_context()
    owner = owner_context.new_page()
    _signup(owner, server, slug)
    links = [
        _invite(owner, server, slug, f"{who}@{slug}.example.com", who.title())
        for who in ("ann", "bob")
    ]
    contexts, pages = [], []
    for name, link in zip(("Ann", "Bob"), links, strict=True):
        context = browser.new_context()
        page = context.new_page()
        page.goto(link)
        page.get_by_label("Your name").fill(name)
        page.get_by_label("Choose a password").fill(PASSWORD)
        page.get_by_role("button", name="Join").click()
        expect(page.get_by_role("heading", name="Today")).to_be_visible()
        contexts.append(context)
        pages.append(page)
    ann, bob = pages
    bob.get_by_label("Who").fill("Bob's Secret Contact")
    bob.get_by_role("button", name="Log it").click()
    expect(bob.get_by_text("Bob's Secret Contact")).to_be_visible()

    with django_db_blocker.unblock(), schema_context(f"p_{slug}".replace("-", "_")):  # type: ignore[attr-defined]
        from coaching.models import Client

        bob_id = Client.objects.get(user__email=f"bob@{slug}.example.com").pk
        ann_id = Client.objects.get(user__email=f"ann@{slug}.example.com").pk
    connection.set_schema_to_public()
    for client_id in (bob_id, ann_id):
        response = ann.goto(server.url(slug, f"/clients/{client_id}/"))
        assert response is not None
        assert response.status == 404
    ann.goto(server.url(slug, "/my/contacts/"))
    expect(ann.get_by_text("Bob's Secret Contact")).to_have_count(0)
    owner.goto(server.url(slug))
    expect(owner.get_by_role("link", name="Bob")).to_be_visible()
    for context in (*contexts, owner_context):
        context.close()


def test_portal_at_phone_width(browser: Browser, server: LiveServer, shot: object) -> None:
    slug = f"fig-{secrets.token_hex(3)}"
    owner_context = browser.new_context()
    owner = owner_context.new_page()
    _signup(owner, server, slug)
    link = _invite(owner, server, slug, f"pia@{slug}.example.com", "Pia Phone")
    phone = browser.new_context(
        viewport={"width": 390, "height": 844},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page = phone.new_page()
    page.goto(link)
    page.get_by_label("Your name").fill("Pia Phone")
    page.get_by_label("Choose a password").fill(PASSWORD)
    page.get_by_role("button", name="Join").click()
    expect(page.get_by_role("heading", name="Today")).to_be_visible()
    page.get_by_label("Who").fill("Sam Mentor")
    page.get_by_label("How").select_option("phone")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("Logged: you reached out to Sam Mentor.")).to_be_visible()
    overflow = page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px on a phone"
    shot(page, "07-portal-phone")  # type: ignore[operator]
    for path, name in (
        ("/my/introductions/", "08-portal-introductions-phone"),
        ("/my/meetings/", "09-portal-meetings-phone"),
    ):
        page.goto(server.url(slug, path))
        assert page.evaluate("document.scrollingElement.scrollWidth - window.innerWidth") <= 0, path
        shot(page, name)  # type: ignore[operator]
    phone.close()
    owner_context.close()
