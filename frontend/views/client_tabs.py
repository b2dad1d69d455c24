"""The client page in tabs: what each tab reads, so a visit reads only what it shows.

`?tab=` picks one (Findings when absent); each tab is a server-rendered page of its own, with the
client's header (status and headline figures) on every one. The header comes from the cached
summary the dashboard uses (`insights.client_page.client_summary`), except on Findings, which
diagnoses the search anyway and summarises that diagnosis.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import BadRequest
from django.http import HttpRequest
from django.urls import reverse

from accounts.models import User
from coaching.insights.client_page import (
    applications_of,
    client_summary,
    feedback_of,
    introduction_views,
    meetings_of,
    search_diagnosis,
)
from coaching.insights.dashboard import charts
from coaching.insights.summaries import summarize
from coaching.models import Client
from coaching.selectors import (
    client_timeline,
    contact_freshness,
    follow_ups_due,
    import_jobs_active,
)
from frontend.links import finding_views

FINDINGS = "findings"
ACTIVITY = "activity"
CONTACTS = "contacts"
INTRODUCTIONS = "introductions"
APPLICATIONS = "applications"
MEETINGS = "meetings"
SETTINGS = "settings"

TABS: dict[str, str] = {
    FINDINGS: "Findings",
    ACTIVITY: "Activity",
    CONTACTS: "Contacts",
    INTRODUCTIONS: "Introductions",
    APPLICATIONS: "Applications",
    MEETINGS: "Meetings",
    SETTINGS: "Settings",
}

# Where a record of each kind is listed (evidence links land on that tab).
TAB_OF_RECORD: dict[str, str] = {
    "introduction": INTRODUCTIONS,
    "follow_up": ACTIVITY,
    "application": APPLICATIONS,
    "meeting": MEETINGS,
    "feedback": MEETINGS,
}

# Where a form's section lives, for the redirect after saving it.
TAB_OF_SECTION: dict[str, str] = {
    "findings": FINDINGS,
    "settings": SETTINGS,
    "presentation": SETTINGS,
    "report": SETTINGS,
    "import": SETTINGS,
}


@dataclass(frozen=True, slots=True)
class TabLink:
    key: str
    label: str
    url: str
    current: bool


def tab_param(request: HttpRequest) -> str:
    """The tab asked for; one that does not exist is refused with the list of those that do."""
    tab = request.GET.get("tab", "").strip() or FINDINGS
    if tab not in TABS:
        names = ", ".join(TABS.values())
        raise BadRequest(f"This client page has no section called {tab[:40]!r}; it has {names}.")
    return tab


def client_url(*, client_id: int, tab: str = FINDINGS, as_of: date | None = None) -> str:
    """The client page on `tab` (as of a past day when given)."""
    query = {"tab": tab} if tab != FINDINGS else {}
    if as_of is not None:
        query["as_of"] = as_of.isoformat()
    base = reverse("client_page", args=[client_id])
    return f"{base}?{urlencode(query)}" if query else base


def tab_links(*, client_id: int, current: str, as_of: date | None) -> list[TabLink]:
    return [
        TabLink(key, label, client_url(client_id=client_id, tab=key, as_of=as_of), key == current)
        for key, label in TABS.items()
    ]


def tab_context(
    *, tab: str, actor: User, client: Client, as_of: date | None, now: datetime
) -> dict[str, Any]:
    """What the tab shows, and `summary`, the header's figures."""
    pk = client.pk
    if tab == FINDINGS:
        diagnosis, search = search_diagnosis(actor=actor, client=client, as_of=as_of, now=now)
        summary = summarize(diagnosis=diagnosis)
        return {
            "summary": summary,
            "diagnosis": diagnosis,
            "findings": finding_views(diagnosis=diagnosis),
            "client_charts": charts([summary]),
            "threshold_problems": search.threshold_errors,
            "disposition_url": reverse("client_disposition", args=[pk]),
            "withdraw_url": reverse("client_disposition_withdraw", args=[pk]),
        }
    context: dict[str, Any] = {
        "summary": client_summary(actor=actor, client=client, as_of=as_of, now=now)
    }
    if tab == ACTIVITY:
        context["follow_ups"] = follow_ups_due(actor=actor, client_id=pk, now=now)
        context["timeline"] = client_timeline(actor=actor, client_id=pk, limit=30)
    elif tab == CONTACTS:
        context["freshness"] = contact_freshness(actor=actor, client_id=pk, now=now)
    elif tab == INTRODUCTIONS:
        context["introductions"] = introduction_views(actor=actor, client=client, now=now)
    elif tab == APPLICATIONS:
        context["applications"] = applications_of(actor=actor, client=client)
    elif tab == MEETINGS:
        context["meetings"] = meetings_of(actor=actor, client=client)
        context["feedback"] = feedback_of(actor=actor, client=client)
    elif tab == SETTINGS:
        context["imports"] = list(import_jobs_active(actor=actor, client_id=pk))
        context["pdf_url"] = reverse("client_report_pdf", args=[pk])
    return context
