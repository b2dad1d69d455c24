"""The quick log on a phone (390 px) in Chromium: logging outreach to an introduction's target
clears it from Today, Undo brings it back, namesakes and near misses are asked about, a refused
log shows and announces its error (htmx swaps the 400 fragment), and the controls are 44 px."""

import re
from pathlib import Path

import pytest
from django.db import connection
from django_tenants.utils import schema_context
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import PRACTICE_PASSWORD, LiveServer, Seeded

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]
AXE = Path(__file__).resolve().parents[2] / "frontend/node_modules/axe-core/axe.min.js"


@pytest.fixture(scope="module")
def seeded_log(csp_practice: Seeded, django_db_blocker: pytest.FixtureRequest) -> Seeded:
    """Contacts and a 9-day-old introduction, committed before any test's transaction (the
    server reads them)."""
    _seed(csp_practice.slug, django_db_blocker)
    return csp_practice


def _seed(slug: str, django_db_blocker: pytest.FixtureRequest) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from coaching.models import Client, Contact, Introduction
    from tenants.models import Practice

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        schema = Practice.objects.get(slug=slug).schema_name
    with django_db_blocker.unblock(), schema_context(schema):  # type: ignore[attr-defined]
        client = Client.objects.get()
        client.search_started_on = timezone.localdate() - timedelta(days=30)
        client.save(update_fields=["search_started_on"])
        ada = Contact.objects.create(client=client, name="Ada Okafor", company="Quarry Capital")
        chloe = Contact.objects.create(client=client, name="Chloe Usman", company="Northwind")
        Contact.objects.create(client=client, name="Sam Lee", company="Acme")
        Contact.objects.create(client=client, name="Sam Lee", company="Stripe")
        Contact.objects.create(client=client, name="Priya Patel", company="Globex")
        Introduction.objects.create(
            client=client,
            introducer=ada,
            target=chloe,
            made_at=timezone.now() - timedelta(days=9),
        )
    connection.set_schema_to_public()  # type: ignore[attr-defined]


def _waiting(page: Page) -> Locator:
    return page.locator("section[aria-labelledby=waiting-title]")


def _log(page: Page, who: str, what: str = "outreach", channel: str = "email") -> None:
    page.get_by_label("Who").fill(who)
    page.get_by_label("What happened").select_option(what)
    page.get_by_label("How").select_option(channel)
    page.get_by_role("button", name="Log it").click()


def _serious(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def test_the_quick_log_on_a_phone(
    browser: Browser,
    server: LiveServer,
    seeded_log: Seeded,
    shot: object,
) -> None:
    csp_practice = seeded_log
    slug = csp_practice.slug
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
        has_touch=True, bypass_csp=True,  # axe-core is injected inline
    )  # fmt: skip
    page = phone.new_page()
    response = page.goto(server.url(slug, "/accounts/login/"))
    assert response is not None
    if not response.ok:
        raise AssertionError((response.status, page.content()[:3000]))
    if page.locator("input[name=login]").count() == 0:
        raise AssertionError((page.url, page.content()[:3000]))
    page.locator("input[name=login]").fill(csp_practice.client_email)
    page.locator("input[name=password]").fill(PRACTICE_PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"//{slug}\.localhost:{server.port}/$"))
    expect(_waiting(page).get_by_text("Chloe Usman", exact=True)).to_be_visible()
    height = page.evaluate("document.getElementById('id_channel').getBoundingClientRect().height")
    assert height >= 44, f"the channel select is {height}px tall"

    # Outreach to the target: the introduction is contacted, Today no longer waits on it.
    _log(page, "Chloe Usman", channel="linkedin")
    confirmation = page.locator("#log-confirmation")
    expect(confirmation).to_contain_text("Logged: you reached out to Chloe Usman.")
    expect(confirmation).to_contain_text("your first contact after Ada Okafor's introduction")
    expect(confirmation).to_have_attribute("role", "status")
    expect(_waiting(page).get_by_text("Chloe Usman", exact=True)).to_have_count(0)
    shot(page, "quick-log-logged-390")  # type: ignore[operator]

    # Undo within the minute brings every record back.
    confirmation.get_by_role("button", name="Undo").click()
    expect(page.locator("#log-confirmation")).to_contain_text("Undone")
    expect(_waiting(page).get_by_text("Chloe Usman", exact=True)).to_be_visible()

    # Two people called Sam Lee: the client is asked which, with their companies.
    _log(page, "Sam Lee")
    ask = page.locator("#log-ask")
    expect(ask).to_contain_text("Which one?")
    ask.get_by_role("button", name="Sam Lee at Stripe").click()
    expect(page.locator("#log-confirmation")).to_contain_text("you reached out to Sam Lee")

    # A near miss: "did you mean", and an explicit new contact.
    _log(page, "Priya Patell")
    expect(page.locator("#log-ask")).to_contain_text("Did you mean")
    expect(
        page.locator("#log-ask").get_by_role("button", name="Priya Patel at Globex")
    ).to_be_visible()
    assert _serious(page) == []
    page.locator("#log-ask").get_by_role("button", name="Priya Patel at Globex").click()
    expect(page.locator("#log-confirmation")).to_contain_text("Priya Patel")

    # A refused log: the error shows next to the field and is announced; the old "Logged" goes.
    page.get_by_label("Who").fill("")
    page.get_by_role("button", name="Log it").click()
    errors = page.locator("#log-errors")
    expect(errors).to_be_visible()
    expect(errors).to_have_attribute("role", "alert")
    expect(page.locator("#id_who-error")).to_be_visible()
    expect(page.locator("#log-confirmation")).to_have_count(0)
    described = page.get_by_label("Who").get_attribute("aria-describedby") or ""
    for target in described.split():
        assert page.locator(f"#{target}").count() == 1, target
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
    assert _serious(page) == []
    shot(page, "quick-log-refused-390")  # type: ignore[operator]
    phone.close()
