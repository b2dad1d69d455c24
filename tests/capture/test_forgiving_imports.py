"""Imports that forgive: the good rows in, the rest listed in words; delimiters sniffed."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client as HttpClient
from rest_framework.test import APIClient

from api.models import ApiKey, KeyScope
from coaching.choices import ImportKind, ImportMode, ImportStatus
from coaching.models import Contact, ImportJob, Interaction
from coaching.services.imports import import_run, import_start

from .conftest import NOW

PREAMBLE = 'Notes:\n"When exporting your connection data, you may notice that some of the email addresses are missing."\n\n'  # noqa: E501
HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def linkedin_connections(count: int, *, bad_emails: set[int] = frozenset()) -> bytes:  # type: ignore[assignment]
    rows = [
        f"Person{i},Tester{i},https://www.linkedin.com/in/person-{i},"
        f"{'not an email ' + str(i) if i in bad_emails else f'p{i}@example.test'},"
        f"Company {i % 17},Engineer,05 Mar 2023\n"
        for i in range(count)
    ]
    return (PREAMBLE + HEADER + "".join(rows)).encode()


def run(search, actor, kind, payload: bytes, mode=ImportMode.GOOD_ROWS) -> ImportJob:
    job = import_start(
        client=search, actor=actor, kind=kind, payload=payload, filename="f.csv", mode=mode
    )
    return import_run(job_id=job.pk, now=NOW)


def page_text(http: HttpClient, job: ImportJob) -> str:
    response = http.get(f"/imports/{job.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def test_eight_odd_emails_out_of_200_keep_the_contacts_without_them(search, coach, http):
    bad = {3, 17, 40, 41, 99, 120, 150, 199}
    job = run(
        search, coach, ImportKind.LINKEDIN_CONNECTIONS, linkedin_connections(200, bad_emails=bad)
    )
    assert job.status == ImportStatus.SUCCEEDED
    assert Contact.objects.filter(client=search).count() == 200
    assert Contact.objects.filter(client=search, email="").count() == 8
    assert job.errors == []
    assert len(job.dropped) == 8
    assert {d["field"] for d in job.dropped} == {"email"}
    assert job.summary["dropped_values"] == 8
    assert job.summary["skipped_rows"] == 0

    http.force_login(coach)
    text = page_text(http, job)
    assert "200 contacts: 200 new, 0 merged." in text
    assert "8 values could not be used and were left out" in text
    assert "Line 8, email address: &#x27;not an email 3&#x27; is not a valid email address." in text
    for raw in ("merged_rows", "dropped_values", "skipped_rows", "linkedin_url", "first_met_on"):
        assert raw not in text


def test_all_or_nothing_still_refuses_the_same_file(search, coach, unchanged):
    with unchanged(ignore=frozenset({"ImportJob", "ActivityEvent"})):
        job = run(
            search,
            coach,
            ImportKind.LINKEDIN_CONNECTIONS,
            linkedin_connections(20, bad_emails={4}),
            mode=ImportMode.ALL_OR_NOTHING,
        )
    assert job.status == ImportStatus.FAILED
    assert [e["field"] for e in job.errors] == ["email"]


def test_merged_rows_are_counted_in_words(search, coach, make_contact, http):
    for i in range(10):
        make_contact(search, name=f"Person{i} Tester{i}", email=f"p{i}@example.test")
    job = run(search, coach, ImportKind.LINKEDIN_CONNECTIONS, linkedin_connections(200))
    assert job.summary["created"] == 190
    assert job.summary["merged_rows"] == 10
    http.force_login(coach)
    text = page_text(http, job)
    assert "200 contacts: 190 new, 10 merged." in text
    assert "10 contacts you already had gained details they lacked." in text


def test_a_row_without_a_name_is_listed_and_the_others_imported(search, coach, client_user, http):
    csv = (
        b"name,email,first_met_on,is_hiring_authority\n"
        b"Ann Archer,ann@example.test,2023-01-02,yes\n"
        b",nobody@example.test,,\n"
        b"Bob Baker,bob@example.test,2999-01-01,maybe\n"
    )
    job = run(search, coach, ImportKind.CONTACTS_CSV, csv)
    assert job.status == ImportStatus.SUCCEEDED
    assert set(Contact.objects.filter(client=search).values_list("name", flat=True)) == {
        "Ann Archer",
        "Bob Baker",
    }
    bob = Contact.objects.get(client=search, name="Bob Baker")
    assert (bob.first_met_on, bob.is_hiring_authority) == (None, False)
    assert [(e["line"], e["field"]) for e in job.errors] == [(3, "name")]
    assert {(d["line"], d["field"]) for d in job.dropped} == {
        (4, "first_met_on"),
        (4, "is_hiring_authority"),
    }
    http.force_login(client_user)
    text = page_text(http, job)
    assert "2 contacts: 2 new, 0 merged." in text
    assert "1 row could not be used; see below." in text
    assert "Line 3, name: A contact needs a name." in text
    assert "Line 4, first met on: 2999-01-01 is after 2100-12-31" in text
    assert "Line 4, hiring authority: &#x27;maybe&#x27; is not yes or no." in text


def test_interactions_keep_a_row_whose_reply_date_is_wrong(search, coach, make_contact):
    make_contact(search, name="Ann Archer", email="ann@example.test")
    csv = (
        b"contact_email,occurred_at,channel,direction,kind,replied_at\n"
        b"ann@example.test,2024-04-02T09:00:00+02:00,email,outbound,outreach,2024-03-01\n"
        b"ann@example.test,2024-04-03T09:00:00+02:00,pigeon,outbound,outreach,\n"
        b"ann@example.test,2024-04-04T09:00:00+02:00,email,inbound,conversation,yesterday\n"
    )
    job = run(search, coach, ImportKind.INTERACTIONS_CSV, csv)
    assert job.status == ImportStatus.SUCCEEDED
    kept = Interaction.objects.filter(client=search).order_by("occurred_at")
    assert [(i.occurred_at, i.replied_at) for i in kept] == [
        (datetime(2024, 4, 2, 7, tzinfo=UTC), None),
        (datetime(2024, 4, 4, 7, tzinfo=UTC), None),
    ]
    assert [(e["line"], e["field"]) for e in job.errors] == [(3, "channel")]
    assert [(d["line"], d["field"]) for d in job.dropped] == [(2, "replied_at"), (4, "replied_at")]


@pytest.mark.parametrize(
    ("delimiter", "encoding"), [(";", "cp1252"), ("\t", "utf-16"), ("|", "utf-8"), (",", "utf-8")]
)
def test_the_delimiter_is_sniffed(search, coach, delimiter, encoding):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["name", "email", "company", "tags"])
    writer.writerow(["Jürgen Weiß", "jw@example.test", "Société, Générale", "a;b"])
    writer.writerow(["Ann", "ann@example.test", "", ""])
    job = run(search, coach, ImportKind.CONTACTS_CSV, out.getvalue().encode(encoding))
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    contact = Contact.objects.get(client=search, email="jw@example.test")
    assert (contact.name, contact.company, contact.tags) == (
        "Jürgen Weiß",
        "Société, Générale",
        ["a", "b"],
    )


def test_semicolons_inside_a_comma_file_do_not_fool_the_sniffer(search, coach):
    csv = b"name,tags,notes\nAnn,alumni;referrer;friend,a;b;c\nBob,x;y;z,d;e;f\n"
    job = run(search, coach, ImportKind.CONTACTS_CSV, csv)
    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert Contact.objects.get(client=search, name="Ann").tags == ["alumni", "friend", "referrer"]


def test_the_mode_is_chosen_on_the_upload_page(
    search, coach, http, django_capture_on_commit_callbacks
):
    http.force_login(coach)
    page = http.get(f"/clients/{search.pk}/?tab=settings").content.decode()  # imports live there
    assert "Import the good rows and list the rest" in page
    upload = SimpleUploadedFile("c.csv", b"name,email\nAnn,bad\n", content_type="text/csv")
    response = http.post(
        f"/clients/{search.pk}/import/",
        {"kind": "contacts_csv", "mode": "good_rows", "file": upload},
    )
    assert response.status_code == 302
    job = ImportJob.objects.get(client=search)
    assert job.mode == ImportMode.GOOD_ROWS
    import_run(job_id=job.pk, now=NOW)
    assert Contact.objects.get(client=search).email == ""


def test_the_api_takes_the_mode_and_reports_dropped_values(search, coach, owner, seeded):
    _key, secret = ApiKey.objects.create_key(
        name="k", scope=KeyScope.READ_WRITE, acts_as=coach, created_by=owner
    )
    api = APIClient(HTTP_HOST=seeded["a"].host)
    api.credentials(HTTP_AUTHORIZATION=f"Api-Key {secret}")
    upload = SimpleUploadedFile("c.csv", b"name,email\nAnn,bad\n", content_type="text/csv")
    body = api.post(
        "/api/v1/imports/",
        {"client": search.pk, "kind": "contacts_csv", "mode": "good_rows", "file": upload},
        format="multipart",
    ).json()
    assert body["mode"] == "good_rows"
    import_run(job_id=body["id"], now=NOW)
    done = api.get(f"/api/v1/imports/{body['id']}/").json()
    assert done["status"] == "succeeded"
    assert [d["field"] for d in done["dropped"]] == ["email"]


def test_another_clients_or_practices_upload_is_not_found(
    search, other_search, other_client_user, http, other_http, coach
):
    job = run(search, coach, ImportKind.CONTACTS_CSV, b"name\nAnn\n")
    http.force_login(other_client_user)
    assert http.get(f"/imports/{job.pk}/").status_code == 404
    upload = SimpleUploadedFile("c.csv", b"name\nBob\n", content_type="text/csv")
    response = http.post(
        f"/clients/{search.pk}/import/",
        {"kind": "contacts_csv", "mode": "good_rows", "file": upload},
    )
    assert response.status_code == 404
    assert other_http.get(f"/imports/{job.pk}/").status_code in (302, 404)
