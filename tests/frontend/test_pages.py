"""Every page renders for the people it is for, with the records it should show."""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from accounts.models import User
from coaching.models import Client, Contact
from coaching.services import introduction_create


@pytest.fixture
def intro_waiting(search: Client, make_contact: Callable[..., object]) -> object:
    """An introduction made 9 days ago that the client never acted on."""
    introducer = make_contact(search, "Ivy Introducer")
    target = make_contact(search, "Tom Target", company="Acme")
    return introduction_create(
        client=search,
        actor=search.coach,
        introducer=introducer,
        target=target,
        made_at=timezone.now() - timedelta(days=9),
    )


def test_public_pages(public_http: HttpClient) -> None:
    for path in ("/", "/pricing/", "/signup/", "/login/"):
        response = public_http.get(path)
        assert response.status_code == 200, path
    assert b"Start your practice" in public_http.get("/").content


def test_login_pointer_sends_people_to_their_practice(public_http: HttpClient) -> None:
    response = public_http.get("/login/", {"slug": "alpha"})
    assert response.status_code == 302
    assert response["Location"].startswith("http://alpha.localhost")
    assert response["Location"].endswith("/accounts/login/")
    missing = public_http.get("/login/", {"slug": "nowhere"})
    assert missing.status_code == 400
    assert b"There is no practice at nowhere." in missing.content


def test_empty_dashboard_says_what_to_do_first(
    as_user: Callable[[User], HttpClient], owner: User
) -> None:
    page = as_user(owner).get("/").content.decode()
    assert "Start here" in page
    assert "Invite your first client" in page


def test_dashboard_shows_status_top_finding_and_waiting_intros(
    as_user: Callable[[User], HttpClient], coach: User, search: Client, intro_waiting: object
) -> None:
    page = as_user(coach).get("/").content.decode()
    assert "Cleo Client" in page
    # Both are critical; the top one is the most recent: no outreach at all this week.
    assert "Too few people reached" in page
    assert 'data-label="Intros waiting on client" class="num"><strong>1</strong>' in page
    assert "charts-data" in page


def test_dashboard_filters_and_sorts_with_htmx(
    as_user: Callable[[User], HttpClient],
    owner: User,
    search: Client,
    other_search: Client,
    intro_waiting: object,
) -> None:
    http = as_user(owner)
    table = http.get("/", {"q": "carl"}, HTTP_HX_REQUEST="true").content.decode()
    assert "Carl Client" in table
    assert "Cleo Client" not in table
    assert "<html" not in table  # a fragment for htmx
    stalled = http.get("/", {"status": "stalled"}).content.decode()
    assert "Carl Client" in stalled  # no progress since February 2024
    by_name = http.get("/", {"sort": "name"}).content.decode()
    assert by_name.index("Carl Client") < by_name.index("Cleo Client")


def test_client_page_shows_findings_with_evidence_links(
    as_user: Callable[[User], HttpClient], coach: User, search: Client, intro_waiting: object
) -> None:
    http = as_user(coach)
    page = http.get(f"/clients/{search.pk}/").content.decode()
    assert "Introduction left waiting" in page
    link = f"/clients/{search.pk}/records/introduction/{intro_waiting.pk}/"  # type: ignore[attr-defined]
    assert link in page
    followed = http.get(link)
    assert followed.status_code == 302
    assert followed["Location"].endswith(
        f"/clients/{search.pk}/?tab=introductions#introduction-{intro_waiting.pk}"  # type: ignore[attr-defined]
    )
    intros = http.get(followed["Location"]).content.decode()
    assert "Tom Target waiting 9 days" in intros or "waiting 9 days" in intros


def test_coach_changes_goal_thresholds_verdict_checklist_and_sharing(
    as_user: Callable[[User], HttpClient], coach: User, search: Client
) -> None:
    http = as_user(coach)
    base = f"/clients/{search.pk}"
    assert http.post(f"{base}/goal/", {"weekly_outreach_goal": "20"}).status_code == 302
    assert http.post(f"{base}/thresholds/", {"stalled_days": "21"}).status_code == 302
    assert (
        http.post(f"{base}/leaving-story/", {"story": "Team was cut.", "verdict": "ok"}).status_code
        == 302
    )
    checklist = {f"{item}-state": "ok" for item in ("resume", "linkedin", "other_profiles")}
    assert http.post(f"{base}/presentation/", checklist).status_code == 302
    assert http.post(f"{base}/sharing/", {"shared": "on"}).status_code == 302
    search.refresh_from_db()
    assert search.weekly_outreach_goal == 20
    assert search.threshold_overrides == {"stalled_days": 21}
    assert search.leaving_story_verdict == "ok"
    assert search.report_shared_with_client
    assert set(search.presentation.values_list("state", flat=True)) == {"ok"}


def test_form_errors_appear_next_to_the_field(
    as_user: Callable[[User], HttpClient], coach: User, search: Client
) -> None:
    http = as_user(coach)
    base = f"/clients/{search.pk}"
    bad_goal = http.post(f"{base}/goal/", {"weekly_outreach_goal": "0"})
    assert bad_goal.status_code == 400
    html = bad_goal.content.decode()
    assert 'id="id_weekly_outreach_goal-error"' in html
    # linked to its help text and to the error
    assert 'aria-describedby="id_weekly_outreach_goal-help id_weekly_outreach_goal-error"' in html
    bad = http.post(f"{base}/thresholds/", {"intro_warning_days": "9", "intro_critical_days": "3"})
    assert bad.status_code == 400
    assert "cannot be shorter than the warning" in bad.content.decode()
    verdict = http.post(f"{base}/leaving-story/", {"story": "", "verdict": "ok"})
    assert verdict.status_code == 400
    assert 'id="id_verdict-error"' in verdict.content.decode()
    search.refresh_from_db()
    assert search.threshold_overrides == {}


def test_portal_today_lists_what_the_client_owes(
    as_user: Callable[[User], HttpClient], client_user: User, search: Client, intro_waiting: object
) -> None:
    page = as_user(client_user).get("/").content.decode()
    assert "Introductions waiting for your call" in page
    assert "Tom Target" in page
    assert "has been expecting to hear from you" in page
    assert "since " in page  # 9 days: the weekday and the date, never "9 days" in columns
    assert "Thank Ivy Introducer for introducing you to Tom Target" in page
    assert "of your goal of <strong>15</strong>" in page


def test_portal_moves_a_follow_up_to_another_day(
    as_user: Callable[[User], HttpClient],
    client_user: User,
    search: Client,
    make_contact: Callable[..., Contact],
) -> None:
    from coaching.services import follow_up_schedule

    http = as_user(client_user)
    nina = make_contact(search, "Nina Overdue")
    today = timezone.localdate()
    follow_up = follow_up_schedule(
        client=search, actor=client_user, contact=nina, due_on=today - timedelta(days=2)
    )
    page = http.get("/").content.decode()
    assert "was due 2 days ago" in page
    assert f'action="/my/follow-ups/{follow_up.pk}/move/"' in page

    field = f"f{follow_up.pk}-due_on"
    bad = http.post(f"/my/follow-ups/{follow_up.pk}/move/", {field: "someday"})
    assert bad.status_code == 400
    assert f'id="id_{field}-error">Enter a valid date.' in bad.content.decode()
    later = today + timedelta(days=5)
    moved = http.post(
        f"/my/follow-ups/{follow_up.pk}/move/", {field: later, "back": "today"}, follow=True
    )
    page = moved.content.decode()
    assert f"Follow-up with Nina Overdue moved to {later:%a} {later.day} {later:%b}." in page
    assert "was due" not in page
    assert "Nina Overdue (in 5 days)" in page  # under "Coming up"
    follow_up.refresh_from_db()
    assert follow_up.due_on == later


def test_coach_removes_an_interaction_logged_by_mistake(
    as_user: Callable[[User], HttpClient],
    coach: User,
    search: Client,
    make_contact: Callable[..., Contact],
    reach: Callable[..., None],
) -> None:
    from coaching.services import follow_up_complete, follow_up_schedule

    http = as_user(coach)
    nina = make_contact(search, "Nina Wrong")
    reach(search, nina, 2, note="meant for the other Nina")
    mistake = nina.interactions.get()
    page_url = f"/clients/{search.pk}/contacts/{nina.pk}/"
    assert f'action="/clients/{search.pk}/interactions/{mistake.pk}/remove/"' in (
        http.get(page_url).content.decode()
    )
    done = http.post(f"/clients/{search.pk}/interactions/{mistake.pk}/remove/", follow=True)
    assert done.redirect_chain[-1][0] == page_url
    assert "The activity log keeps what it said." in done.content.decode()
    assert not nina.interactions.exists()

    follow_up = follow_up_schedule(
        client=search, actor=coach, contact=nina, due_on=timezone.localdate()
    )
    kept = follow_up_complete(follow_up=follow_up, actor=coach, at=timezone.now()).interaction
    refused = http.post(f"/clients/{search.pk}/interactions/{kept.pk}/remove/", follow=True)
    assert "completed the follow-up due" in refused.content.decode()
    assert nina.interactions.filter(pk=kept.pk).exists()


def test_quick_log_in_three_fields(
    as_user: Callable[[User], HttpClient], client_user: User, search: Client
) -> None:
    http = as_user(client_user)
    response = http.post("/log/", {"who": "Nina New", "what": "outreach", "channel": "email"})
    assert response.status_code == 200  # Today, with the confirmation and its Undo
    assert "Logged: you reached out to Nina New." in response.content.decode()
    contact = search.contacts.get(name="Nina New")
    assert contact.interactions.get().kind == "outreach"
    fragment = http.post(
        "/log/", {"who": "nina new", "what": "reply", "channel": "email"}, HTTP_HX_REQUEST="true"
    )
    assert fragment.status_code == 200
    assert "Nina New replied" in fragment.content.decode()
    assert contact.interactions.get().replied_at is not None
    bad = http.post("/log/", {"who": "", "what": "outreach", "channel": "email"})
    assert bad.status_code == 400
    assert 'id="id_who-error"' in bad.content.decode()


def test_portal_records_an_introduction_and_a_prepared_meeting(
    as_user: Callable[[User], HttpClient], client_user: User, search: Client
) -> None:
    http = as_user(client_user)
    made_on = (timezone.localdate() - timedelta(days=3)).isoformat()
    response = http.post(
        "/my/introductions/",
        {
            "introducer": "Ivy",
            "target": "Tom",
            "stage": "made",
            "on": made_on,
            "kind": "introduction",
        },
    )
    assert response.status_code == 302
    intro = search.introductions.get()
    assert (intro.introducer.name, intro.target.name) == ("Ivy", "Tom")
    when = (timezone.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    assert (
        http.post(
            "/my/meetings/", {"contact": "Tom", "scheduled_for": when, "purpose": "networking"}
        ).status_code
        == 302
    )
    meeting = search.meetings.get()
    prefix = f"m{meeting.pk}"
    response = http.post(
        f"/my/meetings/{meeting.pk}/prepare/",
        {
            f"{prefix}-company_research": "Series B",
            f"{prefix}-questions": "",
            f"{prefix}-goal": "Learn the team",
        },
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.was_prepared
    empty = http.post(f"/my/meetings/{meeting.pk}/prepare/", {})
    assert empty.status_code == 400
    assert "Record at least one of" in empty.content.decode()


def test_portal_report_only_when_shared(
    as_user: Callable[[User], HttpClient], client_user: User, search: Client, intro_waiting: object
) -> None:
    http = as_user(client_user)
    assert "has not shared your report" in http.get("/my/report/").content.decode()
    search.report_shared_with_client = True
    search.save()
    assert "Introduction left waiting" in http.get("/my/report/").content.decode()


def test_contact_page_and_practice_report(
    as_user: Callable[[User], HttpClient], coach: User, search: Client, intro_waiting: object
) -> None:
    http = as_user(coach)
    target = search.contacts.get(name="Tom Target")
    assert http.get(f"/clients/{search.pk}/contacts/{target.pk}/").status_code == 200
    report = http.get("/report/").content.decode()
    assert "Introduction left waiting" in report


def test_settings_hub_for_the_owner_only(
    as_user: Callable[[User], HttpClient], owner: User, coach: User
) -> None:
    http = as_user(owner)
    page = http.get("/settings/").content.decode()
    assert "Members and invitations" in page
    assert "Billing" in page
    http.force_login(coach)
    assert http.get("/settings/").status_code == 404


def _more_findings(http: HttpClient) -> str:
    """The dashboard's count of the client's findings beyond the top one, e.g. "(+3 more)"."""
    found = re.search(r"\(\+\d+ more\)", http.get("/").content.decode())
    assert found, "no finding count on the dashboard"
    return found.group(0)


def test_coach_acknowledges_or_dismisses_a_finding(
    as_user: Callable[[User], HttpClient], coach: User, search: Client, intro_waiting: object
) -> None:
    http = as_user(coach)
    key = f"intro_not_acted_on:introduction:{intro_waiting.pk}"  # type: ignore[attr-defined]
    url = f"/clients/{search.pk}/findings/"
    counting = _more_findings(http)
    refused = http.post(url, {"finding_key": key, "state": "not_applicable", "note": ""})
    assert refused.status_code == 400
    assert "Say why this finding does not apply" in refused.content.decode()
    assert http.post(url, {"finding_key": key, "state": "acknowledged"}).status_code == 302
    page = http.get(f"/clients/{search.pk}/").content.decode()
    assert "Acknowledged on" in page
    assert "Count it again" in page
    assert _more_findings(http) != counting  # no longer counts

    # Taken back: the finding counts again, and can be decided anew.
    undo = http.post(f"{url}withdraw/", {"finding_key": key}, follow=True)
    assert "The finding counts again from today." in undo.content.decode()
    page = http.get(f"/clients/{search.pk}/").content.decode()
    assert "Acknowledged on" not in page
    assert "Count it again" not in page
    assert _more_findings(http) == counting
    again = http.post(f"{url}withdraw/", {"finding_key": key}, follow=True)
    assert "This finding counts." in again.content.decode()
    assert http.post(f"{url}withdraw/", {}).status_code == 400


def test_pdf_report_for_the_coach_and_the_client_once_shared(
    as_user: Callable[[User], HttpClient],
    coach: User,
    client_user: User,
    search: Client,
    intro_waiting: object,
) -> None:
    http = as_user(coach)
    pdf = http.get(f"/clients/{search.pk}/report.pdf")
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    http.force_login(client_user)
    assert http.get(f"/clients/{search.pk}/report.pdf").status_code == 404
    search.report_shared_with_client = True
    search.save()
    assert http.get(f"/clients/{search.pk}/report.pdf").status_code == 200


def test_owner_sets_practice_defaults(
    as_user: Callable[[User], HttpClient], owner: User, search: Client
) -> None:
    http = as_user(owner)
    assert http.post("/settings/", {"weekly_goal": "10", "stalled_days": "21"}).status_code == 302
    page = http.get(f"/clients/{search.pk}/", {"tab": "settings"}).content.decode()
    assert "Otherwise in force: 21" in page
    bad = http.post("/settings/", {"intro_warning_days": "9", "intro_critical_days": "3"})
    assert bad.status_code == 400
    assert 'id="id_intro_critical_days-error"' in bad.content.decode()


def test_import_shows_progress_that_htmx_polls(
    as_user: Callable[[User], HttpClient], coach: User, search: Client
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coaching.models import ImportJob

    http = as_user(coach)
    upload = SimpleUploadedFile("contacts.csv", b"name,company\nZoe,Acme\n", "text/csv")
    response = http.post(f"/clients/{search.pk}/import/", {"kind": "contacts_csv", "file": upload})
    assert response.status_code == 302
    job = ImportJob.objects.get(client=search)
    assert response["Location"] == f"/imports/{job.pk}/"
    fragment = http.get(f"/imports/{job.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in fragment  # queued: the page keeps polling
    job.status, job.total_rows, job.processed_rows = "succeeded", 1, 1
    job.summary = {"created": 1}
    job.save()
    done = http.get(f"/imports/{job.pk}/", HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in done.content.decode()
    assert done["HX-Trigger"] == "import-finished"
    empty = http.post(f"/clients/{search.pk}/import/", {"kind": "contacts_csv"})
    assert empty.status_code == 400
    assert 'id="id_file-error"' in empty.content.decode()
