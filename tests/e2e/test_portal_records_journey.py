"""A client keeps her own records from a phone (390 px), in Chromium: she adds a contact,
schedules a follow-up with them, marks it done, records an application and moves its stage; a
refused form shows its error next to the field. Screenshots of every portal page at 360 and 390
px go to test-artifacts/ (look at them)."""

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import PRACTICE_PASSWORD, LiveServer, Seeded
from tests.e2e.test_accessibility import _portal_records

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

PORTAL = {
    "today": "/",
    "contacts": "/my/contacts/",
    "follow-ups": "/my/follow-ups/",
    "applications": "/my/applications/",
    "introductions": "/my/introductions/",
    "meetings": "/my/meetings/",
    "report": "/my/report/",
    "data": "/my/data/",
}


def _sign_in(page: Page, server: LiveServer, seeded: Seeded) -> None:
    response = page.goto(server.url(seeded.slug, "/accounts/login/"))
    assert response is not None
    assert response.status == 200, response.status
    page.locator("input[name=login]").fill(seeded.client_email)
    page.locator("input[name=password]").fill(PRACTICE_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"//{seeded.slug}\.localhost:{server.port}/$"))


def _no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def test_a_client_keeps_her_records_on_a_phone(
    browser: Browser, server: LiveServer, csp_practice: Seeded, shot: object
) -> None:
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
        has_touch=True,
    )  # fmt: skip
    page = phone.new_page()
    _sign_in(page, server, csp_practice)

    # A contact, added from the contacts page.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Contacts").click()
    page.get_by_label("Name").fill("Noor Haddad")
    page.get_by_label("Company").fill("Globex")
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_text("Noor Haddad added to your contacts.")).to_be_visible()
    _no_sideways_scroll(page)

    # She edits it: the company changed.
    page.get_by_role("link", name="Edit Noor Haddad").click()
    page.get_by_label("Company").fill("Initech")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Noor Haddad saved.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Initech")

    # A follow-up: refused without a day (the error sits by the field), then scheduled.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Follow-ups").click()
    page.get_by_label("With whom").select_option(label="Noor Haddad · Initech")
    page.get_by_role("button", name="Schedule it").click()
    expect(page.locator("#id_due_on-error")).to_be_visible()
    assert page.get_by_label("On which day").get_attribute("aria-invalid") == "true"
    page.get_by_label("With whom").select_option(label="Noor Haddad · Initech")
    page.get_by_label("On which day").fill(page.evaluate("new Date().toLocaleDateString('en-CA')"))
    page.get_by_label("How", exact=True).select_option("phone")
    page.get_by_role("button", name="Schedule it").click()
    card = page.locator("li.card", has_text="Noor Haddad")
    expect(card).to_contain_text("Follow up with Noor Haddad at Initech by phone, due today.")
    _no_sideways_scroll(page)
    shot(page, "portal-follow-ups-390")  # type: ignore[operator]

    # ...and done, from the same card.
    card.get_by_role("button", name=re.compile("^Done")).click()
    expect(page.get_by_text("Follow-up with Noor Haddad done.")).to_be_visible()
    expect(page.locator("li.card", has_text="Noor Haddad")).to_have_count(0)

    # An application, with where she saw it, then a stage.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Applications").click()
    page.get_by_label("Company").fill("Initech")
    page.get_by_label("Role").fill("Analytics engineer")
    page.get_by_label("How you found it").select_option("referral")
    page.get_by_label("Link to the posting").fill("initech.example.com/jobs/7")
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_text("Analytics engineer at Initech added")).to_be_visible()
    application = page.locator("li.card", has_text="Analytics engineer at Initech")
    expect(application.get_by_role("link", name=re.compile("See the posting"))).to_have_attribute(
        "href", "https://initech.example.com/jobs/7"
    )
    application.get_by_label(re.compile("^Stage")).select_option("interviewing")
    application.get_by_role("button", name=re.compile("^Save")).click()
    expect(page.get_by_text("Analytics engineer at Initech: interviewing.")).to_be_visible()
    _no_sideways_scroll(page)
    shot(page, "portal-applications-390")  # type: ignore[operator]
    phone.close()


@pytest.fixture(scope="module")
def full_portal(csp_practice: Seeded, django_db_blocker: pytest.FixtureRequest) -> Seeded:
    """The practice with an introduction waiting, follow-ups, an application, the report shared."""
    _portal_records(csp_practice.slug, django_db_blocker)
    return csp_practice


@pytest.mark.parametrize("width", [360, 390])
def test_every_portal_page_on_a_phone(
    browser: Browser, server: LiveServer, full_portal: Seeded, shot: object, width: int
) -> None:
    csp_practice = full_portal
    phone = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=True)
    page = phone.new_page()
    _sign_in(page, server, csp_practice)
    for name, path in PORTAL.items():
        response = page.goto(server.url(csp_practice.slug, path))
        assert response is not None
        assert response.status == 200, path
        _no_sideways_scroll(page)
        text = page.locator("main").inner_text()
        assert not re.search(r"\b0 days|\(\w{3} \d+\)", text), path
        shot(page, f"portal-{name}-{width}")  # type: ignore[operator]
    phone.close()
