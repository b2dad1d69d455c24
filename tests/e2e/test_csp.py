"""Every main page works under the Content-Security-Policy, in Chromium: the policy is sent, and
nothing on the page (our templates, htmx swaps, Chart.js, allauth, Swagger UI, Redoc) is blocked
by it. A blocked script or style is a page that silently half-works, so any violation fails.

Violations are collected two ways: the `securitypolicyviolation` event, reported through a
Playwright binding (so none is lost when the page navigates), and Chromium's console messages."""

import re
import secrets
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, expect

from tests.e2e.conftest import LiveServer, Seeded
from tests.e2e.test_journey import PASSWORD, _signup

pytestmark = [pytest.mark.e2e, pytest.mark.django_db]

REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolation({
    page: document.location.href, directive: e.violatedDirective, blocked: e.blockedURI,
    source: e.sourceFile, line: e.lineNumber, sample: e.sample,
  });
});
"""


@dataclass
class Watch:
    """What the browser refused, page by page."""

    violations: list[dict[str, object]] = field(default_factory=list)
    console: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.expose_binding("cspViolation", lambda _source, v: self.violations.append(v))
        context.add_init_script(REPORT_VIOLATIONS)
        context.on("console", self._console)

    def _console(self, message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(f"{message.page.url if message.page else '?'}: {message.text}")

    def clear(self) -> None:
        self.violations.clear()
        self.console.clear()


@pytest.fixture
def watch() -> Watch:
    return Watch()


def _visit(page: Page, url: str, *, ready: str | None = None) -> None:
    """Open `url`, check the policy came with it, and let the page's scripts run."""
    response = page.goto(url)
    assert response is not None, url
    assert response.status == 200, (url, response.status)
    policy = response.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy, (url, policy)
    assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0], policy
    assert "frame-ancestors 'none'" in policy, policy
    if ready:
        expect(page.locator(ready).first).to_be_visible(timeout=20_000)
    page.wait_for_load_state("networkidle")


def _assert_clean(watch: Watch, where: str) -> None:
    assert watch.violations == [], f"CSP violations on {where}: {watch.violations}"
    assert watch.console == [], f"CSP messages on {where}: {watch.console}"


def test_the_violation_detector_sees_a_blocked_inline_script(
    browser: Browser, server: LiveServer, watch: Watch
) -> None:
    """The control: an inline script without the nonce is reported, so a clean run means
    something."""
    context = browser.new_context()
    watch.attach(context)
    page = context.new_page()
    _visit(page, server.url(path="/pricing/"))
    _assert_clean(watch, "pricing")
    page.evaluate(
        """() => { const s = document.createElement("script");
                   s.textContent = "window.ran = true"; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("window.ran") is None  # blocked
    assert [v["directive"] for v in watch.violations] == ["script-src-elem"]
    context.close()


def _sign_in(page: Page, server: LiveServer, slug: str, email: str) -> None:
    _visit(page, server.url(slug, "/accounts/login/"))
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"//{slug}\.localhost:{server.port}/$"))


def test_the_public_site_and_signup(browser: Browser, server: LiveServer, watch: Watch) -> None:
    visitor = browser.new_context()
    watch.attach(visitor)
    page = visitor.new_page()
    for path in ("/", "/pricing/", "/signup/", "/login/"):
        _visit(page, server.url(path=path))
    page.get_by_label("Your practice's web address").fill("no-such-practice-here")
    page.get_by_role("button", name="Continue").click()  # a GET form, answered with an error
    expect(page.get_by_text("There is no practice at")).to_be_visible()
    # Signing up posts on the public host and is redirected to the practice's (form-action).
    _signup(page, server, f"csp-{secrets.token_hex(3)}")
    page.wait_for_load_state("networkidle")
    _assert_clean(watch, "the public site and signup")
    visitor.close()


def test_every_main_page_runs_without_a_csp_violation(
    browser: Browser, server: LiveServer, csp_practice: Seeded, watch: Watch
) -> None:
    practice = csp_practice
    slug = practice.slug

    # The client's portal, and logging an outreach through htmx (a swap, no page load).
    client_context = browser.new_context()
    watch.attach(client_context)
    client = client_context.new_page()
    _sign_in(client, server, slug, practice.client_email)
    expect(client.get_by_role("heading", name="Today")).to_be_visible()
    client.get_by_label("Who").fill("Priya Patel")
    client.get_by_role("button", name="Log it").click()
    expect(client.get_by_text("Logged: you reached out to Priya Patel.")).to_be_visible()
    expect(client.locator("progress.meter")).to_have_count(1)
    for path in ("/", "/my/contacts/", "/my/introductions/", "/my/meetings/", "/my/report/"):
        _visit(client, server.url(slug, path))
    for path in ("/my/follow-ups/", "/my/applications/"):
        _visit(client, server.url(slug, path))
    _visit(client, server.url(slug, "/my/contacts/"))
    client.get_by_role("link", name="Edit Priya Patel").click()  # the contact's edit page
    expect(client.get_by_role("heading", name="Edit Priya Patel")).to_be_visible()
    client.get_by_role("link", name="Remove Priya Patel…").click()  # its removal page
    expect(client.get_by_role("heading", name="Delete Priya Patel?")).to_be_visible()
    client.wait_for_load_state("networkidle")
    _visit(client, server.url(slug, "/notifications/preferences/"))
    _assert_clean(watch, "the client's portal")

    # The coach's pages (the owner coaches Cleo), with her in them.
    owner = browser.new_context()
    watch.attach(owner)
    coach = owner.new_page()
    _sign_in(coach, server, slug, practice.owner_email)
    _visit(coach, server.url(slug, "/"), ready="canvas")
    row = coach.locator("tr", has_text="Cleo Seeker")
    expect(row.locator("progress.meter")).to_have_count(1)
    row.get_by_role("link", name="Cleo Seeker").click()
    expect(coach.locator("#client-name")).to_contain_text("Cleo Seeker")
    coach.wait_for_load_state("networkidle")
    _visit(coach, coach.url, ready="canvas")
    # The client page's tabs, and the as-of day picker (on a past day, then on the dashboard).
    client_url = coach.url.split("?")[0]
    for tab in ("activity", "introductions", "applications", "meetings", "settings"):
        _visit(coach, f"{client_url}?tab={tab}")
    _visit(coach, f"{client_url}?tab=contacts")
    coach.get_by_role("link", name="Priya Patel").first.click()
    coach.wait_for_load_state("networkidle")
    _visit(coach, client_url)
    coach.get_by_label("As of").fill("2026-01-15")
    coach.get_by_role("button", name="Show").click()
    coach.wait_for_load_state("networkidle")
    _visit(coach, server.url(slug, "/?as_of=2026-01-15"), ready="canvas")
    _visit(coach, server.url(slug, "/report/"))
    # finding people and the coach's notes (issue 14)
    for path in ("contacts/", "contacts/?q=priya&company=acme", "notes/"):
        _visit(coach, client_url + path)
    for path in (
        "/settings/",
        "/settings/api-keys/",
        "/settings/webhooks/",
        "/members/",
        "/people/who-knows/?company=acme",
        "/settings/profile/",
        "/settings/billing/",
        "/settings/audit/",
        "/settings/data/",
        "/account/security/",
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/accounts/password/change/",
        "/accounts/email/",
        "/accounts/logout/",
    ):
        _visit(coach, server.url(slug, path))
    _assert_clean(watch, "the coach's pages")

    # A webhook endpoint and its page (the secret is shown once, in a form field).
    _visit(coach, server.url(slug, "/settings/webhooks/"))
    coach.get_by_label("Address (URL)").fill("https://hooks.example.com/warmpath")
    coach.get_by_role("checkbox").first.check()
    coach.get_by_role("button", name="Add endpoint").click()
    expect(coach.get_by_text("Copy it now")).to_be_visible()
    coach.get_by_role("link", name="https://hooks.example.com/warmpath", exact=True).click()
    coach.wait_for_load_state("networkidle")
    _assert_clean(watch, "adding a webhook endpoint")

    # The calendar address: moved from an onclick attribute to a script file; still selects.
    _visit(coach, server.url(slug, "/notifications/preferences/"))
    coach.get_by_role("button", name="Make my calendar address").click()
    address = coach.get_by_label("Calendar address")
    address.click()
    selected = address.evaluate("el => [el.selectionStart, el.selectionEnd, el.value.length]")
    assert selected[0] == 0
    assert selected[1] == selected[2] > 0
    _assert_clean(watch, "notification preferences")

    # The API's documentation pages, rendered by Swagger UI and Redoc.
    _visit(coach, server.url(slug, "/api/v1/docs/"), ready="#swagger-ui .info")
    _visit(coach, server.url(slug, "/api/v1/redoc/"), ready="#redoc-container h1")
    _assert_clean(watch, "the API documentation")

    # Signed out: the public site's login pointer, a form on the public host that lands on the
    # practice's host (form-action), then allauth's pages there.
    stranger = browser.new_context()
    watch.attach(stranger)
    page = stranger.new_page()
    _visit(page, server.url(path="/login/"))
    page.get_by_label("Your practice's web address").fill(slug)
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(rf"//{slug}\.localhost:{server.port}/accounts/login/"))
    _visit(page, server.url(slug, "/accounts/password/reset/"))
    page.locator("main input[type=email]").fill(f"nobody@{slug}.example.com")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    _visit(page, server.url(slug, "/accounts/signup/"))
    _assert_clean(watch, "allauth's pages")

    for context in (owner, client_context, stranger):
        context.close()


@pytest.fixture(scope="module")
def records(csp_practice: Seeded, django_db_blocker: pytest.FixtureRequest) -> dict[str, int]:
    from tests.e2e.test_accessibility import record_ids

    return record_ids(csp_practice.slug, django_db_blocker)


def test_the_coachs_record_pages_and_the_board_script(
    browser: Browser,
    server: LiveServer,
    csp_practice: Seeded,
    records: dict[str, int],
    watch: Watch,
) -> None:
    from tests.e2e.test_accessibility import RECORD_PAGES

    slug = csp_practice.slug
    owner = browser.new_context()
    watch.attach(owner)
    page = owner.new_page()
    _sign_in(page, server, slug, csp_practice.owner_email)
    for path in RECORD_PAGES:
        _visit(page, server.url(slug, path.format(**records)))
    # The board's script (a module file) moves a card with fetch, under the policy.
    _visit(page, server.url(slug, f"/clients/{records['client']}/pipeline/"))
    card = page.locator(f"#application-{records['application']}")
    card.get_by_role("button", name=re.compile("^Move to Interviewing")).click()
    expect(page.locator("section.stage[data-stage='interviewing']").locator(card)).to_have_count(1)
    expect(page.locator("#board-status")).to_contain_text("interviewing")
    _assert_clean(watch, "the coach's record pages and the board")
    owner.close()
