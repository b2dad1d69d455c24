# ruff: noqa: E501 - CSV samples are kept verbatim, one record per line
"""CSV imports: all or nothing, every bad row reported by line, duplicates merged."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError

from coaching.access import NotFound
from coaching.choices import HowMet, ImportKind, ImportStatus
from coaching.models import Contact, ImportJob, Interaction
from coaching.services import contact_create
from coaching.services.imports import import_run, import_start

from .conftest import NOW

LINKEDIN = """Notes:
"When exporting your connection data, you may notice that some of the email addresses are missing. You will only see email addresses for connections who have allowed their connections to see or download their email address using this setting https://www.linkedin.com/psettings/privacy/email. You can learn more here https://www.linkedin.com/help/linkedin/answer/261"

First Name,Last Name,URL,Email Address,Company,Position,Connected On
Ann,Archer,https://www.linkedin.com/in/ann-archer,ann@example.com,Acme Corp,VP Engineering,05 Mar 2024
Bob,Baker,https://www.linkedin.com/in/bobbaker,,"Globex, Inc.",Recruiter,12 Jan 2023
"""


def run(search, actor, kind, payload: bytes) -> ImportJob:
    job = import_start(client=search, actor=actor, kind=kind, payload=payload, filename="f.csv")
    return import_run(job_id=job.pk, now=NOW)


@pytest.fixture(autouse=True)
def _no_broker(monkeypatch):
    """Tests call import_run directly; queuing must not need a broker."""
    from coaching import tasks

    monkeypatch.setattr(tasks.import_run_task, "delay", lambda job_id: None)


def test_linkedin_export_with_notes_preamble(search, coach):
    job = run(search, coach, ImportKind.LINKEDIN_CONNECTIONS, LINKEDIN.encode())
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert (job.total_rows, job.processed_rows) == (2, 2)
    assert job.summary == {"rows": 2, "created": 2, "updated": 0, "merged_rows": 0}
    ann = Contact.objects.get(client=search, email="ann@example.com")
    assert (ann.name, ann.company, ann.title) == ("Ann Archer", "Acme Corp", "VP Engineering")
    assert (ann.how_met, ann.first_met_on) == (HowMet.LINKEDIN_ONLY, date(2024, 3, 5))
    bob = Contact.objects.get(client=search, name="Bob Baker")
    assert bob.company == "Globex, Inc."
    assert bob.email == ""


def test_utf8_with_bom(search, coach):
    payload = "\ufeffname,email,company\nJosé Núñez,jose@example.com,Café Ltd\n".encode()
    job = run(search, coach, ImportKind.CONTACTS_CSV, payload)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.encoding == "utf-8-sig"
    assert Contact.objects.get(client=search).name == "José Núñez"


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252", "utf-16"])
def test_legacy_encodings_are_read_not_garbled(search, coach, encoding):
    payload = "name,company\nJürgen Weiß,Société Générale\n".encode(encoding)
    job = run(search, coach, ImportKind.CONTACTS_CSV, payload)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    contact = Contact.objects.get(client=search)
    assert (contact.name, contact.company) == ("Jürgen Weiß", "Société Générale")


def test_empty_upload_is_refused_at_once(search, coach, unchanged):
    with unchanged(), pytest.raises(ValidationError) as exc:
        import_start(client=search, actor=coach, kind=ImportKind.CONTACTS_CSV, payload=b"")
    assert exc.value.message_dict == {"file": ["The file is empty."]}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"\n\n  \n", "The file is empty"),
        ("\ufeff".encode(), "The file is empty"),
        (b"name,email\n", "header but no rows"),
        (b"Notes:\nsomething\n", "missing the column(s): First Name, Last Name, URL"),
    ],
)
def test_empty_files_fail_with_a_clear_message(search, coach, payload, message):
    kind = ImportKind.LINKEDIN_CONNECTIONS if b"Notes" in payload else ImportKind.CONTACTS_CSV
    job = run(search, coach, kind, payload)
    assert job.status == ImportStatus.FAILED
    assert message in job.errors[0]["message"]
    assert job.errors[0]["field"] == "file"


def test_wrong_header_names_the_missing_columns(search, coach):
    job = run(search, coach, ImportKind.INTERACTIONS_CSV, b"contact_email,when,channel\nx,y,z\n")
    assert job.status == ImportStatus.FAILED
    (error,) = job.errors
    assert error["line"] == 1
    assert "missing the column(s): occurred_at, direction, kind" in error["message"]


def test_a_file_with_bad_rows_changes_nothing_and_lists_every_bad_row(search, coach, unchanged):
    payload = (
        b"name,email,linkedin_url,first_met_on,is_key_influencer,how_met\n"
        b"Good Row,good@example.com,,2024-01-02,yes,colleague\n"
        b"Bad Email,not-an-email,,,,\n"
        b",nameless@example.com,,,,\n"
        b"Bad Date,,,31/02/2024,maybe,pub\n"
        b'"Multi\nLine",,https://example.com/x,,,\n'
        b"Too,Many,Cells,,,,,\n"
    )
    job = import_start(client=search, actor=coach, kind=ImportKind.CONTACTS_CSV, payload=payload)
    with unchanged(ignore=frozenset({"ImportJob"})):
        import_run(job_id=job.pk, now=NOW)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED
    assert not Contact.objects.filter(client=search).exists()
    got = [(e["line"], e["field"]) for e in job.errors]
    assert got == [
        (3, "email"),
        (4, "name"),
        (5, "first_met_on"),
        (5, "is_key_influencer"),
        (5, "how_met"),
        (6, "linkedin_url"),  # a quoted value spanning lines 6-7 is reported where it starts
        (8, "file"),
    ]
    assert all(e["message"].endswith(".") for e in job.errors)


def test_duplicates_merge_within_the_file_and_with_existing_contacts(search, coach):
    contact_create(
        client=search, actor=coach, name="Ann A.", email="ann@example.com", title="", now=NOW
    )
    payload = (
        b"name,email,linkedin_url,company,title,tags\n"
        b"Ann Archer,ANN@example.com,https://linkedin.com/in/ann/,Acme,VP,alumni\n"
        b"Bob Baker,bob@example.com,,Globex,,\n"
        b"Bobby Baker,,https://www.linkedin.com/in/bob,Globex,Recruiter,\n"
        b"Robert Baker,Bob@Example.com,,,,referrer\n"
        b"No Key,,,Initech,,\n"
        b"no key,,,initech,CTO,\n"
    )
    job = run(search, coach, ImportKind.CONTACTS_CSV, payload)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.summary == {"rows": 6, "created": 3, "updated": 1, "merged_rows": 3}
    contacts = {c.name: c for c in Contact.objects.filter(client=search)}
    assert set(contacts) == {"Ann A.", "Bob Baker", "Bobby Baker", "No Key"}
    assert contacts["Bobby Baker"].linkedin_url == "https://www.linkedin.com/in/bob"
    ann = contacts["Ann A."]  # the coach's name is kept; the blanks are filled
    assert (ann.company, ann.title, ann.tags) == ("Acme", "VP", ["alumni"])
    assert ann.linkedin_url == "https://www.linkedin.com/in/ann"
    bob = contacts["Bob Baker"]
    assert (bob.linkedin_url, bob.tags) == ("", ["referrer"])
    assert contacts["No Key"].title == "CTO"
    # Importing the same file again changes nothing.
    again = run(search, coach, ImportKind.CONTACTS_CSV, payload)
    assert again.summary == {"rows": 6, "created": 0, "updated": 0, "merged_rows": 6}
    assert Contact.objects.filter(client=search).count() == 4


def test_email_and_url_of_two_different_people_is_a_conflict(search, coach):
    contact_create(client=search, actor=coach, name="Ann", email="ann@example.com", now=NOW)
    contact_create(
        client=search, actor=coach, name="Bea", linkedin_url="linkedin.com/in/bea", now=NOW
    )
    payload = b"name,email,linkedin_url\nWho,ann@example.com,https://www.linkedin.com/in/bea\n"
    job = run(search, coach, ImportKind.CONTACTS_CSV, payload)
    assert job.status == ImportStatus.FAILED
    assert "belongs to Ann but the LinkedIn URL to Bea" in job.errors[0]["message"]


INTERACTIONS = b"""contact_email,contact_linkedin_url,contact_name,contact_company,occurred_at,channel,direction,kind,replied_at,note
ann@example.com,,,,2024-04-02T09:00:00+00:00,email,outbound,outreach,2024-04-03 10:00,hello
,,New Person,Initech,2024-04-03 14:00,Phone,Outbound,Follow-up,,
,,New Person,Initech,2024-04-05,LinkedIn,inbound,conversation,,
ann@example.com,,,,2024-04-02T09:00:00+00:00,email,outbound,outreach,,same as row 2
"""


def test_interactions_import_resolves_contacts_and_skips_duplicates(search, coach):
    ann = contact_create(client=search, actor=coach, name="Ann", email="ann@example.com", now=NOW)
    job = run(search, coach, ImportKind.INTERACTIONS_CSV, INTERACTIONS)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert job.summary == {"rows": 4, "created": 3, "contacts_created": 1, "duplicate_rows": 1}
    first = Interaction.objects.get(contact=ann)
    assert first.replied_at == datetime(2024, 4, 3, 8, 0, tzinfo=UTC)  # 10:00 in Berlin
    new = Contact.objects.get(client=search, name="New Person")
    assert list(new.interactions.order_by("occurred_at").values_list("kind", "occurred_at")) == [
        ("follow_up", datetime(2024, 4, 3, 12, 0, tzinfo=UTC)),
        ("conversation", datetime(2024, 4, 5, 10, 0, tzinfo=UTC)),  # a bare date: noon local
    ]
    again = run(search, coach, ImportKind.INTERACTIONS_CSV, INTERACTIONS)
    assert again.summary["created"] == 0
    assert again.summary["duplicate_rows"] == 4


def test_interactions_import_reports_bad_rows(search, coach):
    payload = (
        b"contact_email,contact_name,occurred_at,channel,direction,kind\n"
        b"nobody@example.com,,2024-04-01,email,outbound,outreach\n"
        b",Ann,2099-01-01,fax,sideways,outreach\n"
        b",Ann,,email,outbound,gossip\n"
    )
    job = run(search, coach, ImportKind.INTERACTIONS_CSV, payload)
    assert job.status == ImportStatus.FAILED
    assert [(e["line"], e["field"]) for e in job.errors] == [
        (2, "contact_name"),
        (3, "channel"),
        (3, "direction"),
        (4, "kind"),
        (4, "occurred_at"),
    ]
    assert not Contact.objects.filter(client=search).exists()


def test_future_interaction_is_a_row_error(search, coach):
    payload = (
        b"contact_name,occurred_at,channel,direction,kind\nAnn,2099-01-01,email,outbound,outreach\n"
    )
    job = run(search, coach, ImportKind.INTERACTIONS_CSV, payload)
    assert [(e["line"], e["field"]) for e in job.errors] == [(2, "occurred_at")]


def test_import_start_queues_the_job_after_commit(
    search, coach, monkeypatch, django_capture_on_commit_callbacks
):
    from coaching import tasks

    queued = []
    monkeypatch.setattr(tasks.import_run_task, "delay", queued.append)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = import_start(
            client=search, actor=coach, kind=ImportKind.CONTACTS_CSV, payload=b"name\nAnn\n"
        )
    assert job.status == ImportStatus.QUEUED
    assert queued == []
    for callback in callbacks:
        callback()
    assert queued == [job.pk]
    tasks.import_run_task.run(job.pk)  # what the worker does
    job.refresh_from_db()
    assert job.status == ImportStatus.SUCCEEDED


def test_finished_jobs_are_not_run_twice(search, coach):
    job = run(search, coach, ImportKind.CONTACTS_CSV, b"name\nAnn\n")
    Contact.objects.filter(client=search).delete()
    assert import_run(job_id=job.pk, now=NOW).status == ImportStatus.SUCCEEDED
    assert not Contact.objects.filter(client=search).exists()


def test_coach_cannot_import_into_a_client_that_is_not_theirs(other_search, coach, unchanged):
    with unchanged(), pytest.raises(NotFound):
        import_start(
            client=other_search, actor=coach, kind=ImportKind.CONTACTS_CSV, payload=b"name\nX\n"
        )


def test_a_row_tying_two_people_together_is_a_conflict_within_the_file(search, coach):
    payload = (
        b"name,email,linkedin_url\n"
        b"Bob,bob@example.com,\n"
        b"Bobby,,https://www.linkedin.com/in/bob\n"
        b"Robert,bob@example.com,https://www.linkedin.com/in/bob\n"
    )
    job = run(search, coach, ImportKind.CONTACTS_CSV, payload)
    assert [(e["line"], e["field"]) for e in job.errors] == [(4, "email")]
