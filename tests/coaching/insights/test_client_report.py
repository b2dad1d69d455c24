"""Private stays private (coaching/insights/client_report.py): a coach's note on a finding is
the coach's own unless they share it, and a finding the coach hides is absent from everything the
client can read: the portal's report page, the report as JSON and as the PDF's HTML, the API's
report and figures, the client's own export, and every email the jobs send."""

from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from coaching.insights.client_report import evidence_for_client, fault_sentence, to_client
from coaching.insights.models import FindingDisposition, HiddenFinding
from coaching.insights.pdf import client_report_html
from coaching.insights.reports import client_diagnosis, client_report, report_to_json
from coaching.insights.services import finding_dispose, finding_set_hidden
from coaching.lifecycle.exports import _contents, export_request
from coaching.models import Client
from coaching.services import client_set_report_sharing
from notifications.jobs.digest import weekly_digest
from notifications.jobs.nightly import nightly_diagnostics
from notifications.jobs.reminders import hourly_reminders
from notifications.models import Notification
from tests.api.conftest import api_for
from tests.coaching.insights.conftest import AS_OF, NOW

__all__ = ["api_for"]

PRIVATE = "PRIVATE: her father is ill, discussed in session"
SHARED = "Call her this week; she expects it"


@pytest.fixture
def two_findings(search, builder):
    """Cleo ignores two introductions: two `intro_not_acted_on` findings (critical)."""
    b = builder(search)
    b.profile()
    first = b.introduction(b.contact(), b.contact(), requested=12, made=9)
    second = b.introduction(b.contact(), b.contact(), requested=11, made=8)
    b.finish()
    return (
        f"intro_not_acted_on:introduction:{first.pk}",
        f"intro_not_acted_on:introduction:{second.pk}",
    )


@pytest.fixture
def decided(search: Client, coach: User, two_findings: tuple[str, str]) -> tuple[str, str]:
    """A private note on the first finding, a shared one on the second, the report shared; and
    a third finding hidden."""
    private_key, shared_key = two_findings
    finding_dispose(
        actor=coach, client_id=search.pk, finding_key=private_key, state="acknowledged",
        note=PRIVATE, now=NOW,
    )  # fmt: skip
    finding_dispose(
        actor=coach, client_id=search.pk, finding_key=shared_key, state="acknowledged",
        note=SHARED, note_shared=True, now=NOW,
    )  # fmt: skip
    client_set_report_sharing(client=search, actor=coach, shared=True)
    return private_key, shared_key


def _hidden_key(search: Client, coach: User, decided: tuple[str, str]) -> str:
    report = client_report(actor=coach, client_id=search.pk, as_of=AS_OF)
    key = next(f["key"] for f in report["findings"] if f["key"] not in decided)
    finding_set_hidden(actor=coach, client_id=search.pk, finding_key=key, hidden=True, now=NOW)
    return key


def test_notes_are_private_by_default(search: Client, coach: User, two_findings) -> None:
    finding_dispose(
        actor=coach, client_id=search.pk, finding_key=two_findings[0], state="acknowledged",
        note=PRIVATE, now=NOW,
    )  # fmt: skip
    assert FindingDisposition.objects.get(client=search).note_shared is False


def test_the_coach_reads_everything_the_client_only_what_was_shared(
    search: Client, coach: User, client_user: User, decided: tuple[str, str]
) -> None:
    hidden = _hidden_key(search, coach, decided)
    coachs = report_to_json(report=client_report(actor=coach, client_id=search.pk, as_of=AS_OF))
    assert PRIVATE in coachs
    assert SHARED in coachs
    assert hidden in coachs

    clients = client_report(actor=client_user, client_id=search.pk, as_of=AS_OF)
    text = report_to_json(report=clients)
    assert PRIVATE not in text
    assert SHARED in text
    assert hidden not in text
    assert clients["counts"]["total"] + clients["counts"]["disposed"] == len(clients["findings"])
    # the PDF is rendered from the same report
    html = client_report_html(report=clients)
    assert PRIVATE not in html
    assert SHARED in html
    # the diagnosis behind the API's figures and the webhooks
    diagnosis = client_diagnosis(actor=client_user, client_id=search.pk, as_of=AS_OF)
    assert hidden not in {f.key for f in diagnosis.findings}
    assert all(
        f.disposition is None or f.disposition.note in ("", SHARED) for f in diagnosis.findings
    )


def test_a_shared_note_replaced_by_a_private_one_is_private_again(
    search: Client, coach: User, client_user: User, decided: tuple[str, str]
) -> None:
    _, shared_key = decided
    finding_dispose(
        actor=coach, client_id=search.pk, finding_key=shared_key, state="acknowledged",
        note="Second thoughts, coaches only", now=NOW,
    )  # fmt: skip
    text = report_to_json(report=client_report(actor=client_user, client_id=search.pk, as_of=AS_OF))
    assert "Second thoughts" not in text
    assert SHARED not in text


def test_no_client_visible_page_api_export_or_email_carries_a_private_note(
    search: Client,
    coach: User,
    client_user: User,
    http: HttpClient,
    api_for,
    decided: tuple[str, str],
) -> None:
    hidden = _hidden_key(search, coach, decided)
    http.force_login(client_user)
    portal = [
        reverse("practice_home"),
        reverse("portal_report"),
        reverse("portal_contacts"),
        reverse("portal_introductions"),
        reverse("portal_meetings"),
        reverse("portal_follow_ups"),
        reverse("portal_applications"),
        reverse("portal_data"),
    ]
    for url in portal:
        page = http.get(url).content.decode()
        assert PRIVATE not in page, url
        assert hidden not in page, url
    report_page = http.get(reverse("portal_report")).content.decode()
    assert SHARED in report_page

    api = api_for(client_user)
    for path in (
        f"/api/v1/clients/{search.pk}/report/?as_of={AS_OF}",
        f"/api/v1/clients/{search.pk}/report/",
        f"/api/v1/clients/{search.pk}/figures/?as_of={AS_OF}",
        f"/api/v1/clients/{search.pk}/benchmarks/?as_of={AS_OF}",
        f"/api/v1/clients/{search.pk}/",
        "/api/v1/activity/",
    ):
        response = api.get(path)
        assert PRIVATE not in response.content.decode(), path
        assert hidden not in response.content.decode(), path
    assert api.get(f"/api/v1/clients/{search.pk}/report/?as_of={AS_OF}").status_code == 200

    # the client's own export leaves the coach's files and decisions out
    job = export_request(actor=client_user, client=search)
    types, left_out = _contents(job)
    names = {t.name for t in types}
    assert "finding_decisions" not in names
    assert "hidden_findings" not in names
    timeline = next(t for t in types if t.name == "timeline")
    rows = list(timeline.rows(search.pk))
    assert rows
    assert not any(r["verb"].startswith("finding.") for r in rows)
    assert left_out

    # every email the jobs send (reminders, nightly, the coaches' digest)
    now = timezone.now()
    hourly_reminders(now=now)
    nightly_diagnostics(as_of=timezone.localdate(), now=now)
    weekly_digest(week_of=timezone.localdate() - timedelta(days=7), now=now)
    for note in Notification.objects.all():
        assert PRIVATE not in note.body_text + note.body_html + note.subject


def test_hiding_is_for_coaches_and_can_be_undone(
    search: Client, coach: User, client_user: User, other_coach: User, decided: tuple[str, str]
) -> None:
    hidden = _hidden_key(search, coach, decided)
    from coaching.access import NotFound

    with pytest.raises(NotFound):
        finding_set_hidden(actor=other_coach, client_id=search.pk, finding_key=hidden, hidden=False)
    with pytest.raises(Exception):  # noqa: B017,PT011 - PermissionDenied or NotFound
        finding_set_hidden(actor=client_user, client_id=search.pk, finding_key=hidden, hidden=False)
    assert finding_set_hidden(
        actor=coach, client_id=search.pk, finding_key=hidden, hidden=False, now=NOW
    )
    assert not HiddenFinding.objects.filter(client=search).exists()
    text = report_to_json(report=client_report(actor=client_user, client_id=search.pk, as_of=AS_OF))
    assert hidden in text


def test_the_coach_page_says_who_sees_the_note_and_hides_a_finding(
    search: Client, coach: User, http: HttpClient, decided: tuple[str, str]
) -> None:
    http.force_login(coach)
    page = http.get(reverse("client_page", args=[search.pk]) + "?tab=findings").content.decode()
    assert "Only coaches in your practice see this." in page
    assert "Your client will see this in the shared report." in page
    assert "Private note: only coaches in your practice see it." in page
    assert "Your client sees this note in the shared report." in page
    response = http.post(
        reverse("client_finding_visibility", args=[search.pk]),
        {"finding_key": decided[0], "hidden": "on"},
    )
    assert response.status_code == 302
    assert HiddenFinding.objects.filter(client=search, finding_key=decided[0]).exists()
    response = http.post(
        reverse("client_finding_visibility", args=[search.pk]),
        {"finding_key": "not_a_code:client", "hidden": "on"},
    )
    assert response.status_code == 400
    assert HiddenFinding.objects.filter(client=search).count() == 1


def test_the_report_speaks_to_the_client() -> None:
    assert to_client("the client has not reached out") == "you have not reached out"
    assert to_client("The client is networking") == "You are networking"
    assert to_client("the client's call at this moment") == "your call at this moment"
    assert to_client("introduced the client to the target") == "introduced you to the target"
    assert fault_sentence("client") == "Something you can change"


def test_the_portal_report_names_no_codes(
    search: Client, client_user: User, http: HttpClient, decided: tuple[str, str]
) -> None:
    http.force_login(client_user)
    page = http.get(reverse("portal_report")).content.decode()
    assert "Your search report" in page
    assert "intro_not_acted_on" not in page
    assert "the client" not in page.lower()
    assert "Something you can change" in page


def test_evidence_names_no_season_keys() -> None:
    assert evidence_for_client(record="period", note="holidays-2026 (us)") == (
        "The year-end holidays"
    )
    assert evidence_for_client(record="period", note="summer-2025") == "The summer slowdown"
    assert evidence_for_client(record="contact", note="Thanked the client") == "Thanked you"


def test_the_api_shares_a_note_only_when_asked(
    search: Client, coach: User, client_user: User, api_for, decided: tuple[str, str]
) -> None:
    private_key, _ = decided
    coach_api, client_api = api_for(coach), api_for(client_user)
    path = f"/api/v1/clients/{search.pk}/finding-dispositions/"
    made = coach_api.post(
        path, {"finding_key": private_key, "state": "acknowledged", "note": "Coaches only"}
    )
    assert made.status_code == 201
    assert made.json()["note_shared"] is False
    report = client_api.get(f"/api/v1/clients/{search.pk}/report/?as_of={AS_OF}")
    assert "Coaches only" not in report.content.decode()
    shared = coach_api.post(
        path,
        {
            "finding_key": private_key,
            "state": "acknowledged",
            "note": "For you both",
            "note_shared": True,
        },
        format="json",
    )
    assert shared.json()["note_shared"] is True
    # a client cannot decide on findings, nor read the coaches' notes through this endpoint
    refused = client_api.post(path, {"finding_key": private_key, "state": "acknowledged"})
    assert refused.status_code in (403, 404)
