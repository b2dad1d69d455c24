"""The owner in Chromium at 1440 and 768 px: "who in our practice knows someone at Acme?",
ranked, whatever the spelling; and deactivating a coach, whose open browser and API key stop
working on their very next request (issue 14)."""

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
import urllib3
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PRACTICE_PASSWORD, LiveServer

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

WIDTHS = (1440, 768)


@dataclass(frozen=True)
class Practice:
    slug: str
    owner_email: str
    coach_email: str
    coach_key: str


@pytest.fixture(scope="module")
def practice(server: LiveServer, django_db_blocker: pytest.FixtureRequest) -> Practice:
    """Olga owns it; Cora coaches Cleo (who knows Willa, willing, at "ACME Corp") and Dana (who
    knows Nick at "Acme Robotics"); Cora has an API key."""
    from django.db import connection
    from django_tenants.utils import schema_context

    from accounts.models import Role, User
    from coaching.services import client_create, contact_create
    from integrations.models import ApiKey
    from tenants.provisioning import practice_create

    slug = f"own-{secrets.token_hex(3)}"
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        created = practice_create(
            name="Owner Coaching",
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
            people = (("Cleo Seeker", "Willa Willing", "ACME Corp", "willing"),
                      ("Dana Doer", "Nick Nearby", "Acme Robotics", "unknown"))  # fmt: skip
            for name, contact, company, willingness in people:
                user = User.objects.create_user(
                    f"{name.split()[0].lower()}@{slug}.example.com",
                    PRACTICE_PASSWORD,
                    name=name,
                    role=Role.CLIENT,
                )
                client = client_create(
                    actor=owner,
                    user=user,
                    coach=cora,
                    search_started_on=date.today() - timedelta(days=30),
                )
                contact_create(
                    client=client,
                    actor=cora,
                    name=contact,
                    company=company,
                    willingness=willingness,
                )
            _, secret = ApiKey.objects.create_key(name="Cora's", acts_as=cora, created_by=owner)
        connection.set_schema_to_public()
    return Practice(slug, f"owner@{slug}.example.com", f"cora@{slug}.example.com", secret)


def _sign_in(page: Page, server: LiveServer, slug: str, email: str) -> None:
    page.goto(server.url(slug, "/accounts/login/"))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PRACTICE_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"//{slug}\.localhost:{server.port}/$"))


@pytest.fixture(params=WIDTHS, ids=[f"{w}px" for w in WIDTHS])
def width(request: pytest.FixtureRequest) -> int:
    return int(request.param)


@pytest.fixture
def owner_page(
    browser: Browser, server: LiveServer, practice: Practice, width: int
) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    _sign_in(page, server, practice.slug, practice.owner_email)
    yield page
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"the last page scrolls sideways at {width}px"
    context.close()


@pytest.mark.parametrize("spelling", ["Acme, Inc.", "acme corp"])
def test_who_in_the_practice_knows_someone_at_acme(
    owner_page: Page, server: LiveServer, practice: Practice, spelling: str, shot: object
) -> None:
    page = owner_page
    page.goto(server.url(practice.slug, "/settings/"))
    page.get_by_role("link", name="Search the practice").click()
    page.get_by_label("Company", exact=True).fill(spelling)
    page.get_by_role("button", name="Find").click()
    headings = page.locator("main section h2")
    expect(headings).to_have_count(2)
    expect(headings.nth(0)).to_contain_text("Cleo Seeker")  # the same company, willing
    expect(headings.nth(1)).to_contain_text("Dana Doer")  # a similar name only
    expect(page.locator("main")).to_contain_text("(similar name)")
    shot(page, f"who-knows-{page.viewport_size['width']}")  # type: ignore[operator,index]
    page.get_by_role("link", name="Cleo Seeker").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cleo Seeker's contacts")
    expect(page.get_by_role("region", name=re.compile("Contacts at"))).to_contain_text(
        "Willa Willing"
    )


def test_deactivating_a_coach_stops_their_browser_and_key_at_once(
    browser: Browser, server: LiveServer, practice: Practice, width: int, shot: object
) -> None:
    coach_context = browser.new_context(viewport={"width": width, "height": 900})
    coach = coach_context.new_page()
    _sign_in(coach, server, practice.slug, practice.coach_email)
    http = urllib3.PoolManager()
    api = f"http://127.0.0.1:{server.port}/api/v1/clients/"  # *.localhost resolves in Chromium only
    key = {
        "Authorization": f"Api-Key {practice.coach_key}",
        "Host": f"{practice.slug}.localhost:{server.port}",
    }
    assert http.request("GET", api, headers=key).status == 200

    owner_context = browser.new_context(viewport={"width": width, "height": 900})
    owner = owner_context.new_page()
    _sign_in(owner, server, practice.slug, practice.owner_email)
    owner.goto(server.url(practice.slug, "/members/"))
    owner.get_by_role("button", name="Deactivate Cora Coach").click()
    expect(owner.locator(".messages")).to_contain_text("signed out everywhere")
    shot(owner, f"members-deactivated-{width}")
    scroll, inner = owner.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner

    coach.reload()
    expect(coach).to_have_url(re.compile(r"/accounts/login/"))
    assert http.request("GET", api, headers=key).status == 401

    owner.get_by_role("button", name="Reactivate Cora Coach").click()
    expect(owner.locator(".messages")).to_contain_text("can sign in again")
    assert http.request("GET", api, headers=key).status == 200
    owner_context.close()
    coach_context.close()
