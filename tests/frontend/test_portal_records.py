"""The client keeps her own records in the portal (frontend/views/portal_records.py): follow-ups,
applications and her contacts. Errors sit next to their field and change nothing; another
client's record, another practice's, and a coach are all a 404."""

from collections.abc import Callable
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client as HttpClient
from django.urls import reverse
from django.utils import timezone
from django_tenants.utils import schema_context

from accounts.models import User
from coaching.models import ActivityEvent, Application, Client, Contact, FollowUp
from coaching.services import application_create, follow_up_schedule
from tenants.models import Practice
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def cleo(search: Client, client_user: User, http: HttpClient) -> HttpClient:
    http.force_login(client_user)
    return http


@pytest.fixture
def sam(search: Client) -> Contact:
    return factories.contact(search, name="Sam Lee", company="Acme")


@pytest.fixture
def carls_follow_up(other_search: Client) -> FollowUp:
    carls = factories.contact(other_search, name="Dana Carl")
    return follow_up_schedule(
        client=other_search,
        actor=other_search.coach,
        contact=carls,
        due_on=timezone.localdate(),
    )


def _today(client: Client) -> date:
    return timezone.now().astimezone(ZoneInfo(client.time_zone)).date()


# --- follow-ups ---------------------------------------------------------------------------------


def test_schedule_a_follow_up(cleo: HttpClient, search: Client, sam: Contact) -> None:
    day = _today(search) + timedelta(days=2)
    response = cleo.post(
        reverse("portal_follow_ups"),
        {"contact": sam.pk, "due_on": day.isoformat(), "channel": "phone", "note": "Ask re: team"},
    )
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(client=search)
    assert (follow_up.contact, follow_up.due_on, follow_up.channel) == (sam, day, "phone")
    page = cleo.get(reverse("portal_follow_ups")).content.decode()
    assert "Sam Lee" in page
    assert "due in 2 days" in page


def test_schedule_refused_shows_errors_by_the_fields_and_saves_nothing(
    cleo: HttpClient, search: Client, sam: Contact
) -> None:
    response = cleo.post(reverse("portal_follow_ups"), {"contact": sam.pk, "due_on": "31/02"})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_due_on-error"' in page
    assert 'aria-describedby="id_due_on-help id_due_on-error"' in page
    assert not FollowUp.objects.filter(client=search).exists()


def test_schedule_with_another_clients_contact_is_refused(
    cleo: HttpClient, search: Client, other_search: Client, sam: Contact
) -> None:
    carls = factories.contact(other_search, name="Dana Carl")
    day = _today(search).isoformat()
    response = cleo.post(reverse("portal_follow_ups"), {"contact": carls.pk, "due_on": day})
    assert response.status_code == 400
    assert 'id="id_contact-error"' in response.content.decode()
    assert not FollowUp.objects.exists()
    assert "Dana Carl" not in response.content.decode()


def test_move_and_complete_a_follow_up(cleo: HttpClient, search: Client, sam: Contact) -> None:
    today = _today(search)
    follow_up = follow_up_schedule(client=search, actor=search.coach, contact=sam, due_on=today)
    later = today + timedelta(days=10)
    response = cleo.post(
        reverse("portal_follow_up_move", args=[follow_up.pk]),
        {f"f{follow_up.pk}-due_on": later.isoformat(), "back": "follow_ups"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal_follow_ups")
    follow_up.refresh_from_db()
    assert follow_up.due_on == later
    response = cleo.post(reverse("portal_follow_up_done", args=[follow_up.pk]), {"back": "today"})
    assert response["Location"] == reverse("practice_home")
    follow_up.refresh_from_db()
    assert follow_up.done_at is not None
    assert follow_up.interaction is not None


def test_move_refused_shows_the_error_next_to_that_date(
    cleo: HttpClient, search: Client, sam: Contact
) -> None:
    today = _today(search)
    follow_up = follow_up_schedule(client=search, actor=search.coach, contact=sam, due_on=today)
    response = cleo.post(
        reverse("portal_follow_up_move", args=[follow_up.pk]), {f"f{follow_up.pk}-due_on": ""}
    )
    assert response.status_code == 400
    assert f'id="id_f{follow_up.pk}-due_on-error"' in response.content.decode()
    follow_up.refresh_from_db()
    assert follow_up.due_on == today


# --- applications -------------------------------------------------------------------------------


def test_record_an_application_and_move_its_stage(cleo: HttpClient, search: Client) -> None:
    seen = _today(search) - timedelta(days=1)
    response = cleo.post(
        reverse("portal_applications"),
        {
            "company": "Stripe",
            "role": "Data engineer",
            "source": "job_board",
            "posting_seen_on": seen.isoformat(),
            "posting_url": "stripe.com/jobs/42",
            "status": "applied",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get(client=search)
    assert application.posting_url == "https://stripe.com/jobs/42"
    assert application.posting_seen_on == seen
    page = cleo.get(reverse("portal_applications")).content.decode()
    assert "Data engineer at Stripe" in page
    assert "posting seen yesterday" in page
    response = cleo.post(
        reverse("portal_application_stage", args=[application.pk]),
        {f"a{application.pk}-status": "interviewing"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "interviewing"


def test_application_refused_shows_errors_and_saves_nothing(
    cleo: HttpClient, search: Client
) -> None:
    tomorrow = _today(search) + timedelta(days=2)
    response = cleo.post(
        reverse("portal_applications"),
        {
            "company": "",
            "role": "Data engineer",
            "source": "job_board",
            "posting_seen_on": tomorrow.isoformat(),
            "posting_url": "not a link",
            "status": "applied",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_company-error"' in page
    # the service's own checks land next to their fields too (after the form's pass)
    response = cleo.post(
        reverse("portal_applications"),
        {
            "company": "Stripe",
            "role": "Data engineer",
            "source": "job_board",
            "posting_seen_on": tomorrow.isoformat(),
            "posting_url": "not a link",
            "status": "applied",
        },
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert 'id="id_posting_seen_on-error"' in page
    assert 'id="id_posting_url-error"' in page
    assert not Application.objects.filter(client=search).exists()


def test_stage_refused_keeps_the_stage(cleo: HttpClient, search: Client) -> None:
    application = application_create(
        client=search, actor=search.coach, company="Acme", role="Analyst", source="direct"
    )
    response = cleo.post(
        reverse("portal_application_stage", args=[application.pk]),
        {f"a{application.pk}-status": "hired!"},
    )
    assert response.status_code == 400
    assert f'id="id_a{application.pk}-status-error"' in response.content.decode()
    application.refresh_from_db()
    assert application.status == "applied"


# --- contacts -----------------------------------------------------------------------------------


def test_edit_a_contact(cleo: HttpClient, search: Client, sam: Contact) -> None:
    url = reverse("portal_contact_edit", args=[sam.pk])
    page = cleo.get(url)
    assert page.status_code == 200
    assert 'value="Acme"' in page.content.decode()
    response = cleo.post(url, {"name": "Sam Lee", "company": "Stripe", "how_met": "other"})
    assert response.status_code == 302
    sam.refresh_from_db()
    assert sam.company == "Stripe"


def test_edit_refused_keeps_the_contact(cleo: HttpClient, search: Client, sam: Contact) -> None:
    factories.contact(search, name="Priya Patel", email="priya@example.com")
    response = cleo.post(
        reverse("portal_contact_edit", args=[sam.pk]),
        {"name": "", "company": "Stripe", "email": "priya@example.com", "how_met": "other"},
    )
    assert response.status_code == 400
    assert 'id="id_name-error"' in response.content.decode()
    sam.refresh_from_db()
    assert sam.company == "Acme"


def test_remove_a_contact_keeps_the_timeline(
    cleo: HttpClient, search: Client, sam: Contact
) -> None:
    factories.outreach(search, sam, days_ago=3)
    page = cleo.get(reverse("portal_contacts")).content.decode()
    remove = reverse("contact_delete", args=[search.pk, sam.pk])
    assert remove in page
    assert reverse("portal_contact_edit", args=[sam.pk]) in page
    before = ActivityEvent.objects.filter(client=search).count()
    response = cleo.post(remove)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal_contacts")
    assert not Contact.objects.filter(pk=sam.pk).exists()
    assert ActivityEvent.objects.filter(client=search).count() >= before


# --- isolation ----------------------------------------------------------------------------------


def test_another_clients_records_are_404(
    cleo: HttpClient, other_search: Client, carls_follow_up: FollowUp
) -> None:
    application = application_create(
        client=other_search, actor=other_search.coach, company="X", role="Y", source="direct"
    )
    day = timezone.localdate().isoformat()
    pk = carls_follow_up.pk
    for url, data in (
        (reverse("portal_follow_up_move", args=[pk]), {f"f{pk}-due_on": day}),
        (reverse("portal_follow_up_done", args=[pk]), {}),
        (
            reverse("portal_application_stage", args=[application.pk]),
            {f"a{application.pk}-status": "offer"},
        ),
        (reverse("portal_contact_edit", args=[carls_follow_up.contact_id]), {"name": "Z"}),
    ):
        assert cleo.post(url, data).status_code == 404, url
    carls_follow_up.refresh_from_db()
    application.refresh_from_db()
    assert carls_follow_up.done_at is None
    assert application.status == "applied"
    assert (
        cleo.get(reverse("portal_contact_edit", args=[carls_follow_up.contact_id])).status_code
        == 404
    )


@pytest.mark.parametrize("name", ["portal_follow_ups", "portal_applications"])
def test_coaches_have_no_portal_pages(
    http: HttpClient, coach: User, other_coach: User, search: Client, name: str
) -> None:
    """Cleo's coach and a coach she is not assigned to: no portal (404), nothing to write."""
    for user in (coach, other_coach):
        http.force_login(user)
        assert http.get(reverse(name)).status_code == 404


def test_a_coach_cannot_edit_through_the_portal(
    http: HttpClient, other_coach: User, search: Client, sam: Contact
) -> None:
    http.force_login(other_coach)
    url = reverse("portal_contact_edit", args=[sam.pk])
    assert http.post(url, {"name": "Z", "how_met": "other"}).status_code == 404
    sam.refresh_from_db()
    assert sam.name == "Sam Lee"


def test_another_practices_client_cannot_reach_alpha_records(
    other_http: HttpClient,
    practice: Practice,
    other_practice: Practice,
    search: Client,
    sam: Contact,
) -> None:
    """A client of practice B, signed in on B's host, with A's ids: 404 (B's schema has no such
    rows, and A's are never looked up)."""
    today = timezone.localdate()
    follow_up = follow_up_schedule(client=search, actor=search.coach, contact=sam, due_on=today)
    with schema_context(other_practice.schema_name):
        bravo_client = User.objects.get(email="client@bravo.example.com")
        factories.cleos_search(
            client_user=bravo_client,
            coach=User.objects.get(email="coach@bravo.example.com"),
            started_on=today - timedelta(days=30),
        )
        other_http.force_login(bravo_client)
    for url in (
        reverse("portal_follow_up_done", args=[follow_up.pk]),
        reverse("portal_contact_edit", args=[sam.pk]),
    ):
        assert other_http.post(url, {}).status_code == 404
    with schema_context(practice.schema_name):
        follow_up.refresh_from_db()
    assert follow_up.done_at is None


def test_today_reads_as_sentences_with_humane_days(
    cleo: HttpClient, search: Client, sam: Contact, make_contact: Callable[..., Contact]
) -> None:
    today = _today(search)
    follow_up_schedule(client=search, actor=search.coach, contact=sam, due_on=today)
    later = make_contact(search, "Yusuf Haddad")
    follow_up_schedule(
        client=search, actor=search.coach, contact=later, due_on=today + timedelta(days=2)
    )
    page = cleo.get(reverse("practice_home")).content.decode()
    assert "Follow up with <strong>Sam Lee</strong> at Acme by email" in page
    assert "Yusuf Haddad (in 2 days)" in page
    assert "0 days" not in page
