"""The coach's client page in Chromium at 1440 and 768 px: each tab by its link (no script
needed), nothing wider than the page (the funnel table scrolls inside its card), and the as-of
picker on the client page and the dashboard, which refuses a day that has not happened yet."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import LiveServer, Seeded
from tests.e2e.test_accessibility import _ids, _portal_records, _sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

TABS = ("Findings", "Activity", "Contacts", "Introductions", "Applications", "Meetings", "Settings")


def _no_sideways_scroll(page: Page, where: str) -> None:
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner, f"{where} scrolls sideways ({scroll} > {inner})"


@pytest.mark.parametrize("width", [1440, 768])
def test_the_client_page_by_tab_and_as_of_a_past_day(
    browser: Browser,
    server: LiveServer,
    csp_practice: Seeded,
    django_db_blocker: pytest.FixtureRequest,
    shot: object,
    width: int,
) -> None:
    slug = csp_practice.slug
    _portal_records(slug, django_db_blocker)  # long names, an introduction, follow-ups
    ids = _ids(slug, django_db_blocker)
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    _sign_in(page, server, slug, csp_practice.owner_email)
    page.goto(server.url(slug, f"/clients/{ids['client']}/"))
    tabs = page.get_by_role("navigation", name="Sections of this client's page")
    expect(tabs.get_by_role("link", name="Findings")).to_have_attribute("aria-current", "page")

    for label in TABS:
        tabs.get_by_role("link", name=label).click()
        expect(tabs.get_by_role("link", name=label)).to_have_attribute("aria-current", "page")
        page.wait_for_load_state("networkidle")
        _no_sideways_scroll(page, f"{label} at {width}px")
        shot(page, f"client-page-{label.lower()}-{width}")  # type: ignore[operator]

    # The funnel table stays inside its card (it scrolls there if it must).
    tabs.get_by_role("link", name="Findings").click()
    funnel = page.get_by_role("region", name="Referral funnel")
    card = page.locator(".card", has=funnel)
    table_box, card_box = funnel.bounding_box(), card.bounding_box()
    assert table_box is not None
    assert card_box is not None
    assert table_box["x"] + table_box["width"] <= card_box["x"] + card_box["width"] + 1

    # As of a past day: the page says so, and the tabs keep the day.
    day = timezone.localdate() - timedelta(days=20)
    page.get_by_label("As of").fill(day.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#profile")).to_contain_text(f"as of {day:%b} {day.day}, {day.year}")
    tabs.get_by_role("link", name="Contacts").click()
    expect(page).to_have_url(re.compile(rf"tab=contacts&as_of={day.isoformat()}"))
    _no_sideways_scroll(page, f"as of, at {width}px")
    shot(page, f"client-page-as-of-{width}")  # type: ignore[operator]
    page.get_by_role("link", name="Back to today").click()
    expect(page.locator("#profile")).not_to_contain_text("as of")

    # A day that has not happened: refused, saying why, with a way back.
    future = timezone.localdate() + timedelta(days=3)
    response = page.goto(server.url(slug, f"/clients/{ids['client']}/?as_of={future}"))
    assert response is not None
    assert response.status == 400
    expect(page.get_by_role("alert")).to_contain_text("has not happened yet")
    page.get_by_role("link", name="Show today instead").click()
    expect(page.locator("#client-name")).to_be_visible()

    # The dashboard's picker: the same day, the same words.
    page.goto(server.url(slug, "/"))
    page.get_by_label("As of").fill(day.isoformat())
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"as of {day:%b} {day.day}, {day.year}"
    )
    _no_sideways_scroll(page, f"the dashboard as of a day, at {width}px")
    shot(page, f"dashboard-as-of-{width}")  # type: ignore[operator]
    context.close()
