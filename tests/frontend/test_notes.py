"""The coach's notes page and the client's action items on Today: privacy, ticking done, scope."""

from datetime import date

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django_tenants.utils import schema_context

from accounts.models import User
from coaching.models import Client
from coaching.notes.models import ActionItem, SessionNote
from coaching.notes.services import action_item_add, session_note_add

pytestmark = pytest.mark.django_db


def test_the_coach_writes_searches_and_edits_notes(
    http: HttpClient, coach: User, search: Client
) -> None:
    http.force_login(coach)
    url = f"/clients/{search.pk}/notes/"
    response = http.post(url, {"add": "note", "note-held_on": "2024-03-01", "note-body": "Salary"})
    assert response.status_code == 302
    refused = http.post(url, {"add": "note", "note-held_on": "", "note-body": ""})
    assert refused.status_code == 400
    assert SessionNote.objects.count() == 1
    for n in range(25):
        session_note_add(client=search, actor=coach, held_on=date(2024, 1, 1), body=f"n{n}")
    with CaptureQueriesContext(connection) as queries:
        page = http.get(url + "?q=salary")
    assert len([q for q in queries if not q["sql"].startswith("SET")]) <= 9
    assert [n.body for n in page.context["page"]] == ["Salary"]
    note = SessionNote.objects.get(body="Salary")
    edit = f"/clients/{search.pk}/notes/{note.pk}/"
    assert http.post(edit, {"held_on": "2024-03-02", "body": "Salary talk"}).status_code == 302
    note.refresh_from_db()
    assert (note.held_on, note.body) == (date(2024, 3, 2), "Salary talk")
    assert http.post(edit, {"remove": "1"}).status_code == 302
    assert not SessionNote.objects.filter(pk=note.pk).exists()


def test_notes_never_reach_the_client(
    http: HttpClient, coach: User, client_user: User, search: Client
) -> None:
    note = session_note_add(
        client=search, actor=coach, held_on=date(2024, 3, 1), body="PRIVATE-NOTE-TEXT"
    )
    http.force_login(client_user)
    assert http.get(f"/clients/{search.pk}/notes/").status_code == 404
    assert http.get(f"/clients/{search.pk}/notes/{note.pk}/").status_code == 404
    for page in ("/", "/my/report/", "/my/contacts/", "/my/data/"):
        response = http.get(page)
        assert b"PRIVATE-NOTE-TEXT" not in response.content, page


def test_notes_pages_are_a_404_for_an_unassigned_coach_and_another_practice(
    http: HttpClient,
    other_http: HttpClient,
    other_coach: User,
    coach: User,
    search: Client,
    other_practice,
) -> None:
    note = session_note_add(client=search, actor=coach, held_on=date(2024, 3, 1), body="x")
    item = action_item_add(client=search, actor=coach, text="Call Ann")
    http.force_login(other_coach)
    for path in (
        f"/clients/{search.pk}/notes/",
        f"/clients/{search.pk}/notes/{note.pk}/",
    ):
        assert http.get(path).status_code == 404, path
    assert (
        http.post(f"/clients/{search.pk}/actions/{item.pk}/", {"action": "done"}).status_code == 404
    )
    with schema_context(other_practice.schema_name):
        other_http.force_login(User.objects.get(email="owner@bravo.example.com"))
        assert other_http.get(f"/clients/{search.pk}/notes/").status_code == 404
        assert other_http.post(f"/my/actions/{item.pk}/done/").status_code == 404


def test_the_client_ticks_an_action_item_on_today_and_the_coach_sees_it(
    http: HttpClient, coach: User, client_user: User, other_client_user: User, search: Client,
    other_search: Client,
) -> None:  # fmt: skip
    item = action_item_add(client=search, actor=coach, text="Send the CV to Ann")
    http.force_login(other_client_user)
    assert b"Send the CV to Ann" not in http.get("/").content
    assert http.post(f"/my/actions/{item.pk}/done/").status_code == 404
    http.force_login(client_user)
    today = http.get("/").content.decode()
    assert "Send the CV to Ann" in today
    assert 'id="actions"' in today
    assert http.post(f"/my/actions/{item.pk}/done/", {"done": "1"}).status_code == 302
    after = http.get("/").content.decode()
    assert "done. Well done!" in after
    assert 'id="actions"' not in after  # nothing left open: the section goes
    http.force_login(coach)
    notes = http.get(f"/clients/{search.pk}/notes/").content.decode()
    assert "Done" in notes
    assert "by the client" in notes
    assert ActionItem.objects.get(pk=item.pk).done_by == client_user
    http.force_login(coach)
    assert (
        http.post(f"/clients/{search.pk}/actions/{item.pk}/", {"action": "open"}).status_code == 302
    )
    assert ActionItem.objects.get(pk=item.pk).done_at is None


def test_the_portal_says_which_goal_it_is(
    http: HttpClient, client_user: User, search: Client
) -> None:
    http.force_login(client_user)
    assert "15 a week (your practice\u2019s default)" in http.get("/").content.decode().replace(
        "&#x27;", "\u2019"
    ).replace("'", "\u2019")


def test_the_coach_sees_the_goal_in_force_and_where_it_comes_from(
    http: HttpClient, coach: User, owner: User, search: Client
) -> None:
    from coaching.insights.services import practice_thresholds_update
    from coaching.services import client_update

    practice_thresholds_update(actor=owner, changes={"weekly_goal": 12})
    http.force_login(coach)
    page = http.get(f"/clients/{search.pk}/?tab=settings")
    assert "12 a week (practice default)" in page.content.decode()
    assert page.context["goal_form"].initial["weekly_outreach_goal"] == 12
    client_update(client=search, actor=coach, data={"weekly_outreach_goal": 20})
    assert (
        "20 a week (set for Cleo)"
        in http.get(f"/clients/{search.pk}/?tab=settings").content.decode()
    )
