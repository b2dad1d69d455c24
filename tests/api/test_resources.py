"""Create, read, update and validation for every coaching resource, through the services."""

from datetime import date

from django.core import mail
from rest_framework.test import APIClient

from accounts.models import Invitation, Role, User
from coaching.models import Client, Contact, ImportJob, Interaction
from tests.api.conftest import error_of

T0 = "2024-04-01T09:00:00+00:00"
T1 = "2024-04-02T09:00:00+00:00"
T2 = "2024-04-03T09:00:00+00:00"


def _ok(response, status: int = 200) -> dict:  # type: ignore[no-untyped-def]
    assert response.status_code == status, response.json()
    return response.json()


def _invalid(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 400, response.json()
    error = error_of(response)
    assert error["code"] == "validation_error"
    return error["fields"]


# ---- clients ---------------------------------------------------------------------------------


def test_open_update_and_judge_a_search(
    owner_api: APIClient, coach_api: APIClient, coach: User, other_coach: User
) -> None:
    newcomer = User.objects.create_user("new@alpha.example.com", None, role=Role.CLIENT, name="N")
    created = _ok(
        coach_api.post(
            "/api/v1/clients/",
            {
                "user": newcomer.pk,
                "coach": coach.pk,
                "search_started_on": "2024-03-01",
                "target_roles": [{"role": "Data engineer", "family": "data"}],
                "time_zone": "Europe/Berlin",
            },
        ),
        201,
    )
    assert created["name"] == "N"
    assert created["coach"] == coach.pk
    assert {p["item"] for p in created["presentation"]} == {"resume", "linkedin", "other_profiles"}
    path = f"/api/v1/clients/{created['id']}/"

    updated = _ok(coach_api.patch(path, {"headline": "Staff engineer", "weekly_outreach_goal": 20}))
    assert (updated["headline"], updated["weekly_outreach_goal"]) == ("Staff engineer", 20)
    assert _ok(coach_api.get(path))["headline"] == "Staff engineer"

    landed = _ok(coach_api.post(f"{path}status/", {"status": "landed", "landed_on": "2024-04-01"}))
    assert (landed["status"], landed["landed_on"]) == ("landed", "2024-04-01")
    story = _ok(coach_api.post(f"{path}leaving-story/", {"verdict": "ok", "story": "Reorg."}))
    assert story["leaving_story_verdict"] == "ok"
    checked = _ok(coach_api.post(f"{path}presentation/", {"item": "resume", "state": "ok"}))
    assert {p["item"]: p["state"] for p in checked["presentation"]}["resume"] == "ok"
    shared = _ok(coach_api.post(f"{path}report-sharing/", {"shared": True}))
    assert shared["report_shared_with_client"] is True
    tuned = _ok(coach_api.patch(f"{path}thresholds/", {"stalled_days": 21}))
    assert tuned["overrides"] == {"stalled_days": 21}
    assert _ok(coach_api.get(path))["threshold_overrides"] == {"stalled_days": 21}

    assert coach_api.post(f"{path}reassign/", {"coach": other_coach.pk}).status_code == 403
    moved = _ok(owner_api.post(f"{path}reassign/", {"coach": other_coach.pk}))
    assert moved["coach"] == other_coach.pk
    assert coach_api.get(path).status_code == 404  # no longer theirs


def test_client_validation_names_each_field(coach_api: APIClient, search, client_user) -> None:
    fields = _invalid(
        coach_api.patch(
            f"/api/v1/clients/{search.pk}/",
            {"weekly_outreach_goal": 0, "time_zone": "Mars/Olympus"},
        )
    )
    assert fields == {
        "weekly_outreach_goal": ["Use a whole number of contacts from 1 to 500."],
        "time_zone": ["Unknown time zone; use a name like Europe/Berlin."],
    }
    fields = _invalid(
        coach_api.post(
            "/api/v1/clients/",
            {"user": client_user.pk, "coach": client_user.pk, "search_started_on": "2024-01-01"},
        )
    )
    assert set(fields) == {"user", "coach"}
    assert _invalid(coach_api.post(f"/api/v1/clients/{search.pk}/status/", {"status": "landed"}))[
        "landed_on"
    ] == ["This field is required."]


def test_clients_filter_by_status_and_coach(owner_api: APIClient, search, other_search, coach):
    other_search.status = "paused"
    other_search.save()

    paused = owner_api.get("/api/v1/clients/?status=paused").json()["results"]
    mine = owner_api.get(f"/api/v1/clients/?coach={coach.pk}").json()["results"]

    assert [c["id"] for c in paused] == [other_search.pk]
    assert [c["id"] for c in mine] == [search.pk]
    assert _invalid(owner_api.get("/api/v1/clients/?status=nope")) == {
        "status": ["Select a valid choice. nope is not one of the available choices."]
    }


# ---- contacts --------------------------------------------------------------------------------


def test_contact_crud_and_duplicates(client_api: APIClient, search) -> None:
    created = _ok(
        client_api.post(
            "/api/v1/contacts/",
            {
                "client": search.pk,
                "name": " Ann  Lee ",
                "company": "Acme",
                "email": "ANN@acme.test",
                "tags": ["alumni"],
                "is_key_influencer": True,
            },
        ),
        201,
    )
    assert (created["name"], created["email"]) == ("Ann Lee", "ann@acme.test")
    path = f"/api/v1/contacts/{created['id']}/"
    assert _ok(client_api.patch(path, {"title": "VP Data"}))["title"] == "VP Data"
    assert _ok(client_api.get(path))["title"] == "VP Data"
    assert [
        c["id"] for c in client_api.get("/api/v1/contacts/?company=acme").json()["results"]
    ] == [created["id"]]

    duplicate = _invalid(
        client_api.post(
            "/api/v1/contacts/", {"client": search.pk, "name": "B", "email": "ann@acme.test"}
        )
    )
    assert duplicate == {"email": ["Ann Lee already has this email."]}
    assert _invalid(client_api.post("/api/v1/contacts/", {"client": search.pk, "name": ""})) == {
        "name": ["This field may not be blank."]
    }
    assert _invalid(client_api.patch(path, {"how_met": "telepathy"})) == {
        "how_met": ['"telepathy" is not a valid choice.']
    }


# ---- interactions ----------------------------------------------------------------------------


def test_interactions_record_and_reply(coach_api: APIClient, search, make_contact) -> None:
    ann = make_contact(search)
    created = _ok(
        coach_api.post(
            "/api/v1/interactions/",
            {
                "contact": ann.pk,
                "occurred_at": T0,
                "channel": "email",
                "direction": "outbound",
                "kind": "outreach",
            },
        ),
        201,
    )
    assert created["client"] == search.pk
    assert created["replied_at"] is None
    replied = _ok(
        coach_api.post(f"/api/v1/interactions/{created['id']}/replied/", {"replied_at": T1})
    )
    assert replied["replied_at"] == "2024-04-02T09:00:00Z"
    again = _invalid(
        coach_api.post(f"/api/v1/interactions/{created['id']}/replied/", {"replied_at": T2})
    )
    assert again == {"replied_at": ["The reply was already recorded (2024-04-02)."]}
    listed = coach_api.get(f"/api/v1/interactions/?contact={ann.pk}&kind=outreach").json()
    assert [i["id"] for i in listed["results"]] == [created["id"]]


def test_interaction_times_need_a_plausible_day_and_a_past(
    coach_api: APIClient, search, make_contact
):
    ann = make_contact(search)
    fields = _invalid(
        coach_api.post(
            "/api/v1/interactions/",
            {
                "contact": ann.pk,
                "occurred_at": "1900-04-01T09:00:00",
                "channel": "pigeon",
                "direction": "outbound",
                "kind": "outreach",
            },
        )
    )
    assert fields == {
        "occurred_at": ["1900-04-01 is before 1950-01-01, the earliest date Warmpath accepts."],
        "channel": ['"pigeon" is not a valid choice.'],
    }
    future = _invalid(
        coach_api.post(
            "/api/v1/interactions/",
            {
                "contact": ann.pk,
                "occurred_at": "2999-01-01T00:00:00Z",
                "channel": "email",
                "direction": "outbound",
                "kind": "outreach",
            },
        )
    )
    assert list(future) == ["occurred_at"]
    assert not Interaction.objects.exists()


# ---- introductions ---------------------------------------------------------------------------


def test_referral_chain_step_by_step(coach_api: APIClient, search, make_contact) -> None:
    introducer, target = make_contact(search), make_contact(search)
    intro = _ok(
        coach_api.post(
            "/api/v1/introductions/",
            {"introducer": introducer.pk, "target": target.pk, "requested_at": T0},
        ),
        201,
    )
    path = f"/api/v1/introductions/{intro['id']}/"
    assert _invalid(coach_api.post(f"{path}contacted/", {"at": T1})) == {
        "first_contact_at": [
            "The introduction has not been made yet: record when it was made first."
        ]
    }
    assert _ok(coach_api.post(f"{path}made/", {"at": T1}))["made_at"] == "2024-04-02T09:00:00Z"
    contacted = _ok(coach_api.post(f"{path}contacted/", {"at": T2, "channel": "phone"}))
    assert contacted["first_contact_at"] == "2024-04-03T09:00:00Z"
    assert Interaction.objects.filter(contact=target, kind="outreach", channel="phone").exists()
    _ok(coach_api.post(f"{path}thanked/", {"at": T2}))
    _ok(coach_api.post(f"{path}outcome-reported/", {"at": T2}))
    _ok(coach_api.post(f"{path}reached-hiring-authority/", {"at": T2}))
    closed = _ok(coach_api.post(f"{path}close/", {"at": T2, "note": "Interview set."}))
    assert closed["status"] == "closed"
    assert _invalid(coach_api.post(f"{path}abandon/", {"at": T2, "reason": "lost_interest"})) == {
        "status": ["This introduction is already closed."]
    }
    assert [
        i["id"] for i in coach_api.get("/api/v1/introductions/?status=closed").json()["results"]
    ] == [intro["id"]]


def test_introduction_validation(coach_api: APIClient, search, make_contact) -> None:
    ann = make_contact(search)
    fields = _invalid(
        coach_api.post("/api/v1/introductions/", {"introducer": ann.pk, "target": ann.pk})
    )
    assert fields == {
        "target": ["The introducer cannot introduce the client to themselves."],
        "requested_at": ["Give when the introduction was requested, made, or both."],
    }


def test_abandon_needs_a_known_reason(coach_api: APIClient, search, make_contact) -> None:
    intro = coach_api.post(
        "/api/v1/introductions/",
        {"introducer": make_contact(search).pk, "target": make_contact(search).pk, "made_at": T0},
    ).json()
    path = f"/api/v1/introductions/{intro['id']}/abandon/"

    assert list(_invalid(coach_api.post(path, {"at": T1, "reason": "bored"}))) == ["reason"]
    done = _ok(coach_api.post(path, {"at": T1, "reason": "took_other_offer"}))
    assert (done["status"], done["abandon_reason"]) == ("abandoned", "took_other_offer")


# ---- follow-ups ------------------------------------------------------------------------------


def test_follow_up_schedule_and_complete(client_api: APIClient, search, make_contact) -> None:
    ann = make_contact(search)
    created = _ok(
        client_api.post("/api/v1/follow-ups/", {"contact": ann.pk, "due_on": "2024-04-05"}), 201
    )
    assert created["done_at"] is None
    assert len(client_api.get("/api/v1/follow-ups/?done=false").json()["results"]) == 1
    done = _ok(client_api.post(f"/api/v1/follow-ups/{created['id']}/complete/", {"at": T1}))
    assert done["done_at"] == "2024-04-02T09:00:00Z"
    assert done["interaction"] is not None
    assert client_api.get("/api/v1/follow-ups/?done=false").json()["results"] == []
    assert list(
        _invalid(client_api.post(f"/api/v1/follow-ups/{created['id']}/complete/", {"at": T2}))
    ) == ["done_at"]
    assert _invalid(
        client_api.post("/api/v1/follow-ups/", {"contact": ann.pk, "due_on": "soon"})
    ) == {"due_on": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]}


def test_an_interaction_logged_by_mistake_is_removed_and_the_log_keeps_it(
    coach_api: APIClient, client_api: APIClient, api_for, client_user, search, make_contact
) -> None:
    from coaching.models import ActivityEvent, Interaction

    ann = make_contact(search)
    body = {"contact": ann.pk, "occurred_at": T1, "channel": "email", "direction": "outbound",
            "kind": "outreach", "note": "wrong Ann"}  # fmt: skip
    first = _ok(client_api.post("/api/v1/interactions/", body), 201)
    second = _ok(client_api.post("/api/v1/interactions/", body), 201)
    reader = api_for(client_user, scope="read")
    assert reader.delete(f"/api/v1/interactions/{first['id']}/").status_code == 403
    assert client_api.delete(f"/api/v1/interactions/{first['id']}/").status_code == 204
    assert client_api.get(f"/api/v1/interactions/{first['id']}/").status_code == 404
    assert [i["id"] for i in coach_api.get("/api/v1/interactions/").json()["results"]] == [
        second["id"]
    ]
    logged = ActivityEvent.objects.get(verb="interaction.removed", subject_id=first["id"])
    assert (logged.changes["note"], logged.changes["kind"]) == ("wrong Ann", "outreach")
    assert Interaction.objects.filter(pk=second["id"]).exists()


def test_follow_up_reschedule_keeps_the_old_day_in_the_log(
    client_api: APIClient, coach_api: APIClient, search, make_contact
) -> None:
    from coaching.models import ActivityEvent

    ann = make_contact(search)
    created = _ok(
        client_api.post("/api/v1/follow-ups/", {"contact": ann.pk, "due_on": "2024-04-05"}), 201
    )
    path = f"/api/v1/follow-ups/{created['id']}/reschedule/"
    moved = _ok(coach_api.post(path, {"due_on": "2024-04-12", "note": "after her holiday"}))
    assert (moved["due_on"], moved["note"]) == ("2024-04-12", "after her holiday")
    event = ActivityEvent.objects.get(verb="follow_up.rescheduled", subject_id=created["id"])
    assert event.changes["due_on"] == ["2024-04-05", "2024-04-12"]
    assert _invalid(client_api.post(path, {"due_on": "later"})) == {
        "due_on": ["Date has wrong format. Use one of these formats instead: YYYY-MM-DD."]
    }
    _ok(client_api.post(f"/api/v1/follow-ups/{created['id']}/complete/", {"at": T1}))
    assert list(_invalid(client_api.post(path, {"due_on": "2024-04-20"}))) == ["due_on"]


# ---- applications ----------------------------------------------------------------------------


def test_application_crud_and_accepting_lands_the_client(
    coach_api: APIClient, client_api: APIClient, search
) -> None:
    created = _ok(
        coach_api.post(
            "/api/v1/applications/",
            {
                "client": search.pk,
                "company": "Acme",
                "role": "Data engineer",
                "source": "referral",
                "applied_on": "2024-04-01",
                "fit_rating": "good",
            },
        ),
        201,
    )
    path = f"/api/v1/applications/{created['id']}/"
    assert _invalid(client_api.patch(path, {"fit_rating": "poor"})) == {
        "fit_rating": ["Only the coach rates how well a role fits."]
    }
    assert _ok(coach_api.patch(path, {"status": "accepted"}))["status"] == "accepted"
    assert Client.objects.get(pk=search.pk).status == "landed"
    assert set(_invalid(coach_api.post("/api/v1/applications/", {"client": search.pk}))) == {
        "company",
        "role",
        "source",
    }


def test_an_application_keeps_the_postings_address(coach_api: APIClient, search) -> None:
    created = _ok(
        coach_api.post(
            "/api/v1/applications/",
            {
                "client": search.pk,
                "company": "Acme",
                "role": "Analyst",
                "source": "job_board",
                "posting_url": "https://jobs.example.com/acme/analyst",
            },
        ),
        201,
    )
    assert created["posting_url"] == "https://jobs.example.com/acme/analyst"
    path = f"/api/v1/applications/{created['id']}/"
    assert set(_invalid(coach_api.patch(path, {"posting_url": "not a web address"}))) == {
        "posting_url"
    }
    assert _ok(coach_api.get(path))["posting_url"] == "https://jobs.example.com/acme/analyst"


# ---- meetings --------------------------------------------------------------------------------


def test_meeting_lifecycle(coach_api: APIClient, search, make_contact) -> None:
    ann = make_contact(search)
    created = _ok(
        coach_api.post(
            "/api/v1/meetings/",
            {"contact": ann.pk, "scheduled_for": T2, "purpose": "networking"},
        ),
        201,
    )
    path = f"/api/v1/meetings/{created['id']}/"
    prepared = _ok(coach_api.post(f"{path}preparation/", {"goal": "Ask about the team", "at": T1}))
    assert prepared["prep_goal"] == "Ask about the team"
    assert _invalid(coach_api.post(f"{path}thanked/", {"at": T2})) == {
        "status": ["Only a meeting that took place can be followed by a thank-you."]
    }
    assert _ok(coach_api.post(f"{path}outcome/", {"status": "held"}))["status"] == "held"
    assert (
        _ok(coach_api.post(f"{path}thanked/", {"at": T2}))["thanked_at"] == "2024-04-03T09:00:00Z"
    )
    assert _invalid(coach_api.post(f"{path}outcome/", {"status": "scheduled"})) == {
        "status": ['"scheduled" is not a valid choice.']
    }


# ---- feedback --------------------------------------------------------------------------------


def test_feedback_is_the_coachs(coach_api: APIClient, client_api: APIClient, search) -> None:
    body = {"client": search.pk, "source": "coach", "about": "overstated_credentials",
            "received_on": "2024-04-01"}  # fmt: skip
    created = _ok(coach_api.post("/api/v1/feedback/", body), 201)
    assert created["recorded_by"] is not None
    assert client_api.post("/api/v1/feedback/", body).status_code == 403
    assert _invalid(
        coach_api.post("/api/v1/feedback/", {**body, "source": "introducer", "about": "other"})
    ) == {
        "contact": ["Say which introducer gave this feedback."],
        "note": ["Describe the feedback when it is about something else."],
    }
    assert [f["id"] for f in coach_api.get("/api/v1/feedback/").json()["results"]] == [
        created["id"]
    ]


# ---- imports ---------------------------------------------------------------------------------


def test_import_upload_status_and_row_errors(
    coach_api: APIClient, search, django_capture_on_commit_callbacks
) -> None:
    from coaching.services.imports import import_run

    csv = b"name,email,company\nAnn Lee,ann@acme.test,Acme\n,bad-email,Acme\n"
    with django_capture_on_commit_callbacks() as queued:
        response = coach_api.post(
            "/api/v1/imports/",
            {"client": search.pk, "kind": "contacts_csv", "file": _upload("people.csv", csv)},
            format="multipart",
        )
    job = _ok(response, 202)
    assert (job["status"], job["filename"]) == ("queued", "people.csv")
    assert len(queued) == 1  # the worker is asked once the upload commits

    import_run(job_id=job["id"])
    failed = _ok(coach_api.get(f"/api/v1/imports/{job['id']}/"))
    assert failed["status"] == "failed"
    assert failed["errors"]
    assert all(set(e) == {"line", "field", "message"} for e in failed["errors"])
    assert not Contact.objects.filter(client=search).exists()  # all or nothing

    good = coach_api.post(
        "/api/v1/imports/",
        {"client": search.pk, "kind": "contacts_csv", "file": _upload("ok.csv", csv[:-20])},
        format="multipart",
    ).json()
    import_run(job_id=good["id"])
    done = _ok(coach_api.get(f"/api/v1/imports/{good['id']}/"))
    assert done["status"] == "succeeded"
    assert done["progress"] == 1.0
    assert ImportJob.objects.count() == 2


def test_import_validation(coach_api: APIClient, search) -> None:
    fields = _invalid(
        coach_api.post(
            "/api/v1/imports/",
            {"client": search.pk, "kind": "spreadsheet", "file": _upload("x.csv", b"")},
            format="multipart",
        )
    )
    assert set(fields) == {"kind", "file"}


def _upload(name: str, content: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


# ---- members, invitations --------------------------------------------------------------------


def test_members_and_invitations(owner_api: APIClient, coach: User) -> None:
    members = owner_api.get("/api/v1/members/?role=coach").json()["results"]
    assert {m["email"] for m in members} == {"coach@alpha.example.com", "coach2@alpha.example.com"}

    created = _ok(
        owner_api.post(
            "/api/v1/invitations/",
            {"email": "Newbie@Example.com", "role": "client", "coach": coach.pk},
        ),
        201,
    )
    assert (created["email"], created["status"]) == ("newbie@example.com", "pending")
    assert mail.outbox[-1].to == ["newbie@example.com"]
    assert "alpha.localhost" in mail.outbox[-1].body
    revoked = _ok(owner_api.post(f"/api/v1/invitations/{created['id']}/revoke/"))
    assert revoked["status"] == "revoked"
    assert Invitation.objects.get(pk=created["id"]).revoked_at is not None
    assert _invalid(
        owner_api.post("/api/v1/invitations/", {"email": coach.email, "role": "coach"})
    ) == {"email": ["This person already has an account in the practice."]}
    assert list(
        _invalid(owner_api.post("/api/v1/invitations/", {"email": "x@y.z", "role": "owner"}))
    ) == ["role"]


# ---- diagnostics reference data ---------------------------------------------------------------


def test_catalog_lists_every_code(client_api: APIClient) -> None:
    from coaching.diagnostics.catalog import CATALOG

    catalog = _ok(client_api.get("/api/v1/diagnostics/catalog/"))
    assert [e["code"] for e in catalog["codes"]] == list(CATALOG)
    low = catalog["codes"][0]
    assert low["code"] == "low_outreach_volume"
    assert low["fault"] == "client"
    assert low["sources"] == [
        {"article_id": "001", "title": "Seven Reasons Your Networking is Not Working"}
    ]
    defaults = _ok(client_api.get("/api/v1/diagnostics/thresholds/defaults/"))
    assert defaults == catalog["default_thresholds"]
    assert defaults["weekly_goal"] == 15
    assert defaults["stalled_days"] == 14


def test_dates_are_plain_days(coach_api: APIClient, search) -> None:
    body = coach_api.get(f"/api/v1/clients/{search.pk}/").json()
    assert date.fromisoformat(body["search_started_on"]) == search.search_started_on
