"""Every page, as the people who use it see it: in Chromium at two phone widths (360 and 390 px)
and a desktop width, nothing wider than the screen (no sideways scrolling), and an axe-core scan
with no serious or critical violation.

axe-core comes from npm (frontend/node_modules, a dev dependency) and is injected into each page;
the browser context bypasses the Content-Security-Policy for that injection only (the policy
itself is checked by test_csp.py)."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import LiveServer, Seeded
from tests.e2e.test_journey import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

AXE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
WIDTHS = (360, 390, 1280)
BLOCKING = ("serious", "critical")

PUBLIC_PAGES = ("/", "/pricing/", "/signup/", "/login/")
SIGNED_OUT_PAGES = (
    "/accounts/login/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/signup/",  # signup is closed here: the page says people join by invitation
)
CLIENT_PAGES = (
    "/",
    "/my/contacts/",
    "/my/contacts/{contact}/edit/",
    "/clients/{client}/contacts/{contact}/delete/",
    "/my/follow-ups/",
    "/my/applications/",
    "/my/introductions/",
    "/my/meetings/",
    "/my/report/",
    "/my/import/",
    "/my/data/",
    "/my/capture/",
    "/notifications/preferences/",
    "/account/security/",
)
OWNER_PAGES = (
    "/",
    "/report/",
    "/clients/{client}/",
    "/clients/{client}/?tab=activity",
    "/clients/{client}/?tab=contacts",
    "/clients/{client}/?tab=introductions",
    "/clients/{client}/?tab=applications",
    "/clients/{client}/?tab=meetings",
    "/clients/{client}/?tab=settings",
    "/clients/{client}/?as_of=2026-01-15",
    "/?as_of=2026-01-15",
    "/clients/{client}/contacts/{contact}/",
    "/clients/{client}/data/",
    "/clients/{client}/capture/",
    "/clients/{client}/contacts/",
    "/clients/{client}/contacts/?q=a&company=acme",
    "/clients/{client}/notes/",
    "/people/who-knows/?company=acme",
    "/settings/profile/",
    "/members/",
    "/settings/",
    "/settings/api-keys/",
    "/settings/webhooks/",
    "/settings/billing/",
    "/settings/audit/",
    "/settings/data/",
    "/settings/capture/",
    "/account/security/",
    "/notifications/preferences/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/accounts/password/change/",
    "/accounts/email/",
    "/accounts/logout/",
)


def _ids(slug: str, django_db_blocker: pytest.FixtureRequest) -> dict[str, int]:
    from django.db import connection
    from django_tenants.utils import schema_context

    from coaching.models import Client, Contact
    from tenants.models import Practice

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        schema = Practice.objects.get(slug=slug).schema_name
    with django_db_blocker.unblock(), schema_context(schema):  # type: ignore[attr-defined]
        client = Client.objects.get()
        ids = {"client": client.pk, "contact": Contact.objects.filter(client=client).first().pk}  # type: ignore[union-attr]
    connection.set_schema_to_public()
    return ids


def _sign_in(page: Page, server: LiveServer, slug: str, email: str) -> None:
    page.goto(server.url(slug, "/accounts/login/"))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"//{slug}\.localhost:{server.port}/$"))


# Controls a finger presses, smaller than 44 px on a phone (inline links in a sentence are
# exempt, as WCAG's target-size rule has it; a checkbox or radio counts with its label).
SMALL_TARGETS = """() => [...document.querySelectorAll(
      'main button, main select, main input:not([type=hidden]), main textarea, main a.button, '
      + 'main summary, .topbar a, .topbar button')]
    .filter(e => { const r = e.getBoundingClientRect();
                   return r.width > 0 && r.height > 0 && r.right > 0 && r.bottom > 0; })
    .filter(e => { const box = ['checkbox', 'radio'].includes(e.type) && e.labels && e.labels[0]
                     ? e.labels[0].getBoundingClientRect() : e.getBoundingClientRect();
                   return box.height < 43.5 || box.width < 43.5; })
    .slice(0, 5)
    .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''} "${(e.innerText || e.name
      || '').trim().slice(0, 30)}" ${Math.round(e.getBoundingClientRect().width)}x${
      Math.round(e.getBoundingClientRect().height)}`)"""

# Help texts and errors are linked: every aria-describedby names elements that exist.
LOOSE_DESCRIPTIONS = """() => [...document.querySelectorAll('[aria-describedby]')]
    .flatMap(e => e.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean)
      .filter(id => !document.getElementById(id))
      .map(id => `${e.tagName.toLowerCase()}#${e.id} -> #${id}`))"""


def _problems(page: Page, url: str, width: int, *, taps: bool = False) -> list[str]:
    """What is wrong with the page at this width: sideways scrolling, serious axe findings,
    help texts that point nowhere, and (`taps`, on a phone) controls under 44 px."""
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, (url, response.status)
    page.wait_for_load_state("networkidle")
    found = []
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    if scroll > inner:
        wide = page.evaluate(
            """(inner) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > inner + 1).slice(0, 3)
                .map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className : ''))""",
            inner,
        )
        found.append(f"{url} at {width}px scrolls sideways ({scroll} > {inner}): {wide}")
    loose = page.evaluate(LOOSE_DESCRIPTIONS)
    if loose:
        found.append(f"{url} at {width}px: aria-describedby points at nothing: {loose}")
    if taps and width < 600:
        small = page.evaluate(SMALL_TARGETS)
        if small:
            found.append(f"{url} at {width}px: tap targets under 44px: {small}")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document)")
    for violation in result["violations"]:
        if violation["impact"] in BLOCKING:
            targets = [node["target"] for node in violation["nodes"][:3]]
            found.append(
                f"{url} at {width}px: {violation['impact']} {violation['id']} "
                f"({violation['help']}) on {targets}"
            )
    return found


def _sweep(
    browser: Browser,
    pages: list[str],
    *,
    sign_in: tuple[str, str] | None,
    server: LiveServer,
    taps: bool = False,
) -> list[str]:
    found: list[str] = []
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 800}, bypass_csp=True)
        page = context.new_page()
        if sign_in is not None:
            _sign_in(page, server, *sign_in)
        for url in pages:
            found.extend(_problems(page, url, width, taps=taps))
        context.close()
    return found


def test_the_public_and_signed_out_pages(
    browser: Browser, server: LiveServer, csp_practice: Seeded
) -> None:
    pages = [server.url(path=p) for p in PUBLIC_PAGES]
    pages += [server.url(csp_practice.slug, p) for p in SIGNED_OUT_PAGES]

    found = _sweep(browser, pages, sign_in=None, server=server)

    assert not found, "\n".join(found)


def _portal_records(slug: str, django_db_blocker: pytest.FixtureRequest) -> None:
    """What makes the portal's pages full: an introduction waiting for her call (long names),
    follow-ups late, due and coming, an application with a long link, the report shared."""
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from coaching.models import Client, Contact
    from coaching.services import (
        application_create,
        client_set_report_sharing,
        follow_up_schedule,
        introduction_create,
    )
    from tenants.models import Practice

    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        schema = Practice.objects.get(slug=slug).schema_name
    with django_db_blocker.unblock(), schema_context(schema):  # type: ignore[attr-defined]
        client = Client.objects.get()
        coach = client.coach
        add = Contact.objects.create
        ada = add(client=client, name="Ada Okafor-Whitfield", company="Quarry Capital Partners")
        chloe = add(client=client, name="Chloe Usman", company="Northwind Infrastructure GmbH")
        introduction_create(
            client=client, actor=coach, introducer=ada, target=chloe,
            made_at=timezone.now() - timedelta(days=9),
        )  # fmt: skip
        today = timezone.localdate()
        for contact, days in ((ada, -3), (chloe, 0), (ada, 2), (chloe, 12)):
            follow_up_schedule(
                client=client, actor=coach, contact=contact, due_on=today + timedelta(days=days)
            )
        application_create(
            client=client, actor=coach, company="Internationale Nederlanden Groep Bankiers",
            role="Senior Data Platform Engineer (Streaming, Kafka, Flink)", source="job_board",
            posting_seen_on=today - timedelta(days=1),
            posting_url="https://careers.example.com/jobs/senior-data-platform-engineer-streaming"
            "-kafka-flink-amsterdam-2026-11-30?utm_source=linkedin&utm_medium=share",
        )  # fmt: skip
        client_set_report_sharing(client=client, actor=coach, shared=True)
    connection.set_schema_to_public()


@pytest.fixture(scope="module")
def full_portal(csp_practice: Seeded, django_db_blocker: pytest.FixtureRequest) -> Seeded:
    """The practice with the portal's pages full (committed, outside a test's transaction, so
    the server sees it)."""
    _portal_records(csp_practice.slug, django_db_blocker)
    return csp_practice


def test_the_clients_portal(
    browser: Browser,
    server: LiveServer,
    full_portal: Seeded,
    django_db_blocker: pytest.FixtureRequest,
) -> None:
    csp_practice = full_portal
    slug = csp_practice.slug
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, server, slug, csp_practice.client_email)
    page.get_by_label("Who").fill("Priya Patel")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("Logged: you reached out to Priya Patel.")).to_be_visible()
    context.close()

    ids = _ids(slug, django_db_blocker)

    found = _sweep(
        browser,
        [server.url(slug, p.format(**ids)) for p in CLIENT_PAGES],
        sign_in=(slug, csp_practice.client_email),
        server=server,
        taps=True,
    )

    assert not found, "\n".join(found)


def test_the_coach_and_owner_pages(
    browser: Browser,
    server: LiveServer,
    csp_practice: Seeded,
    django_db_blocker: pytest.FixtureRequest,
) -> None:
    slug = csp_practice.slug
    context = browser.new_context()
    page = context.new_page()
    _sign_in(page, server, slug, csp_practice.client_email)
    page.get_by_label("Who").fill("Sam Contact")
    page.get_by_role("button", name="Log it").click()
    expect(page.get_by_text("Logged: you reached out to Sam Contact.")).to_be_visible()
    context.close()
    ids = _ids(slug, django_db_blocker)

    found = _sweep(
        browser,
        [server.url(slug, p.format(**ids)) for p in OWNER_PAGES],
        sign_in=(slug, csp_practice.owner_email),
        server=server,
    )

    assert not found, "\n".join(found)


# The coach's record pages and the applications board (frontend/views/records/, pipeline.py).
RECORD_PAGES = (
    "/pipeline/",
    "/clients/{client}/pipeline/",
    "/clients/{client}/edit/",
    "/clients/{client}/contacts/new/",
    "/clients/{client}/contacts/{ann}/edit/",
    "/clients/{client}/contacts/{ann}/merge/",
    "/clients/{client}/interactions/new/",
    "/clients/{client}/interactions/{interaction}/edit/",
    "/clients/{client}/introductions/new/",
    "/clients/{client}/introductions/{introduction}/",
    "/clients/{client}/introductions/{introduction}/remove/",
    "/clients/{client}/follow-ups/new/",
    "/clients/{client}/follow-ups/{follow_up}/",
    "/clients/{client}/follow-ups/{follow_up}/remove/",
    "/clients/{client}/applications/new/",
    "/clients/{client}/applications/{application}/",
    "/clients/{client}/applications/{application}/remove/",
    "/clients/{client}/meetings/new/",
    "/clients/{client}/meetings/{meeting}/",
    "/clients/{client}/meetings/{meeting}/remove/",
    "/clients/{client}/feedback/new/",
    "/clients/{client}/feedback/{feedback}/remove/",
)


def record_ids(slug: str, django_db_blocker: pytest.FixtureRequest) -> dict[str, int]:
    """One record of each kind in the practice's one search (made through the services), by the
    name `RECORD_PAGES` uses for it; committed, so call it from a module-scoped fixture (the
    server reads them). Shared with test_csp.py."""
    import secrets
    from datetime import timedelta

    from django.db import connection
    from django.utils import timezone
    from django_tenants.utils import schema_context

    from coaching.models import Client
    from coaching.services import (
        application_create,
        contact_create,
        feedback_record,
        follow_up_schedule,
        interaction_record,
        introduction_create,
        meeting_schedule,
    )
    from tenants.models import Practice

    tag = secrets.token_hex(2)
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        schema = Practice.objects.get(slug=slug).schema_name
    with django_db_blocker.unblock(), schema_context(schema):  # type: ignore[attr-defined]
        client = Client.objects.get()
        coach, now = client.coach, timezone.now()
        ann = contact_create(client=client, actor=coach, name=f"Ann Okafor {tag}", company="Acme")
        ben = contact_create(client=client, actor=coach, name=f"Ben Usman {tag}", company="Globex")
        interaction = interaction_record(
            client=client, actor=coach, contact=ann, occurred_at=now - timedelta(hours=3),
            channel="email", direction="outbound", kind="outreach",
        )  # fmt: skip
        application = application_create(
            client=client, actor=coach, company="Internationale Nederlanden Groep",
            role="Senior Data Platform Engineer (Streaming)", source="referral",
        )  # fmt: skip
        ids = {
            "client": client.pk,
            "ann": ann.pk,
            "interaction": interaction.pk,
            "application": application.pk,
            "introduction": introduction_create(
                client=client,
                actor=coach,
                introducer=ann,
                target=ben,
                requested_at=now - timedelta(days=2),
            ).pk,
            "follow_up": follow_up_schedule(
                client=client, actor=coach, contact=ben, due_on=timezone.localdate()
            ).pk,
            "meeting": meeting_schedule(
                client=client,
                actor=coach,
                contact=ben,
                scheduled_for=now + timedelta(days=2),
                purpose="informational",
            ).pk,
            "feedback": feedback_record(
                client=client,
                actor=coach,
                source="coach",
                about="other",
                received_on=timezone.localdate(),
                note="Speaks fast",
            ).pk,
        }
    connection.set_schema_to_public()
    return ids


@pytest.fixture(scope="module")
def records(csp_practice: Seeded, django_db_blocker: pytest.FixtureRequest) -> dict[str, int]:
    return record_ids(csp_practice.slug, django_db_blocker)


def test_the_coachs_record_pages(
    browser: Browser, server: LiveServer, csp_practice: Seeded, records: dict[str, int]
) -> None:
    slug = csp_practice.slug
    ids = records

    found = _sweep(
        browser,
        [server.url(slug, p.format(**ids)) for p in RECORD_PAGES],
        sign_in=(slug, csp_practice.owner_email),
        server=server,
    )

    assert not found, "\n".join(found)
