# ruff: noqa: E501 - CSV samples are kept verbatim, one record per line
"""Hostile CSV files: each is refused with a message that says what is wrong and where, or
imported exactly as written. Never a crash, never half an import, never a value changed on the
way in (a replacement character for a byte that could not be read, a date nudged into range).

Refusals are asserted on the importer's own words (the line, the column and the reason), not on
the job runner's catch-all for unexpected errors: a refusal here is a rule, not an accident.
"""

import codecs
import random
from dataclasses import dataclass

import pytest

from accounts.models import User
from coaching.choices import ImportKind, ImportStatus
from coaching.models import Client, Contact, ImportJob, Interaction
from coaching.services.imports import import_run, import_start
from tests.coaching.conftest import NOW

CONTACTS = ImportKind.CONTACTS_CSV
INTERACTIONS = ImportKind.INTERACTIONS_CSV
LINKEDIN = ImportKind.LINKEDIN_CONNECTIONS
INTERACTIONS_HEADER = "contact_email,contact_name,occurred_at,channel,direction,kind,replied_at\n"
LINKEDIN_HEADER = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"


def run(search: Client, actor: User, kind: str, payload: bytes) -> ImportJob:
    job = import_start(client=search, actor=actor, kind=kind, payload=payload, filename="f.csv")
    return import_run(job_id=job.pk, now=NOW)


@dataclass(frozen=True)
class Refused:
    id: str
    kind: str
    payload: bytes
    line: int
    field: str
    says: str  # a phrase the message must contain


def _interaction_row(occurred_at: str, replied_at: str = "") -> bytes:
    row = f"ann@example.com,Ann,{occurred_at},email,outbound,outreach,{replied_at}\n"
    return (INTERACTIONS_HEADER + row).encode()


_RANDOM = random.Random(20240415)

REFUSED = [
    # Dates far out of range, in every column and format that carries one.
    Refused("year-1-instant-east-of-utc", INTERACTIONS, _interaction_row("0001-01-01T00:00:00+05:00"), 2, "occurred_at", "0001-01-01 is before 1950-01-01"),
    Refused("year-1-bare-date", INTERACTIONS, _interaction_row("0001-01-01"), 2, "occurred_at", "is before 1950-01-01"),
    Refused("year-9999-instant-west-of-utc", INTERACTIONS, _interaction_row("9999-12-31T23:59:59-12:00"), 2, "occurred_at", "9999-12-31 is after 2100-12-31"),
    Refused("1950-but-1949-in-utc", INTERACTIONS, _interaction_row("1950-01-01T08:00:00+14:00"), 2, "occurred_at", "(1949-12-31 in UTC) is before 1950-01-01"),
    Refused("1949-instant", INTERACTIONS, _interaction_row("1949-12-31T12:00:00Z"), 2, "occurred_at", "is before 1950-01-01"),
    Refused("future-instant", INTERACTIONS, _interaction_row("2099-06-01T12:00:00Z"), 2, "occurred_at", "cannot be in the future"),
    Refused("reply-in-year-9999", INTERACTIONS, _interaction_row("2024-04-02T09:00:00Z", "9999-01-01T00:00:00Z"), 2, "replied_at", "is after 2100-12-31"),
    Refused("year-10000", INTERACTIONS, _interaction_row("10000-01-01"), 2, "occurred_at", "is not a date"),
    Refused("year-0", INTERACTIONS, _interaction_row("0000-06-01"), 2, "occurred_at", "is not a date"),
    Refused("contact-met-in-year-1", CONTACTS, b"name,first_met_on\nAnn,0001-01-01\n", 2, "first_met_on", "0001-01-01 is before 1950-01-01"),
    Refused("contact-met-in-year-2500", CONTACTS, b"name,first_met_on\nAnn,2500-01-01\n", 2, "first_met_on", "2500-01-01 is after 2100-12-31"),
    Refused("linkedin-connected-in-year-1", LINKEDIN, (LINKEDIN_HEADER + "Ann,Archer,https://www.linkedin.com/in/ann,,Acme,VP,01 Jan 0001\n").encode(), 2, "connected_on", "is before 1950-01-01"),
    # Encodings that are damaged, or not text at all.
    Refused("nul-bytes-in-utf8", CONTACTS, b"name,company\nAnn,Ac\x00me\nBob,Beta\n", 2, "file", "NUL"),
    Refused("nul-character-after-bom", CONTACTS, codecs.BOM_UTF8 + b"name\nAnn\nB\x00b\n", 3, "file", "NUL character"),
    Refused("truncated-utf16", CONTACTS, "name,company\nJürgen,Acme\n".encode("utf-16")[:-1], 2, "file", "cut off in the middle of a character"),
    Refused("lone-surrogate-in-utf16", CONTACTS, codecs.BOM_UTF16_LE + "name\nAnn\n".encode("utf-16-le") + b"\x00\xd8" + "x\n".encode("utf-16-le"), 3, "file", "not valid UTF-16"),
    Refused("truncated-utf32", CONTACTS, "name\nÅsa\n".encode("utf-32")[:-2], 2, "file", "cut off in the middle of a character"),
    Refused("bad-byte-after-utf8-bom", CONTACTS, codecs.BOM_UTF8 + b"name,company\nAnn,Acme\nBob,Caf\xe9\n", 3, "file", "not valid UTF-8"),
    Refused("xlsx-workbook", CONTACTS, b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), 0, "file", "Excel workbook"),
    Refused("xls-workbook", CONTACTS, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), 0, "file", "old Excel workbook"),
    Refused("random-binary", CONTACTS, b"name\n" + bytes(_RANDOM.randrange(256) for _ in range(4000)) + b"\x00", 2, "file", "not a text CSV file"),
    # Cells too large for any field, or for theirs.
    Refused("cell-over-the-csv-limit", CONTACTS, b"name,notes\nAnn,\"" + b"x" * 200_000 + b"\"\n", 2, "file", "longer than 131,072 characters"),
    Refused("unterminated-quote-swallowing-the-file", CONTACTS, b"name,notes\nAnn,\"" + b"line\n" * 30_000, 2, "file", "is a closing quote missing"),
    Refused("name-of-1000-characters", CONTACTS, b"name\n" + b"N" * 1000 + b"\n", 2, "name", "at most 200 characters"),
    Refused("new-contact-name-of-1000-characters", INTERACTIONS, (INTERACTIONS_HEADER + "," + "N" * 1000 + ",2024-04-02,email,outbound,outreach,\n").encode(), 2, "contact_name", "at most 200 characters"),
    Refused("new-contact-email-that-is-not-one", INTERACTIONS, (INTERACTIONS_HEADER + "not-an-email,Ann,2024-04-02,email,outbound,outreach,\n").encode(), 2, "contact_email", "not a valid email address"),
    Refused("choice-of-5000-characters", INTERACTIONS, _interaction_row("2024-04-02").replace(b"outreach", b"o" * 5000), 2, "kind", "is not one of"),
]  # fmt: skip


@pytest.mark.parametrize("case", REFUSED, ids=[c.id for c in REFUSED])
def test_hostile_file_is_refused_saying_what_and_where(
    case: Refused, search: Client, coach: User, unchanged
) -> None:
    job = import_start(client=search, actor=coach, kind=case.kind, payload=case.payload)
    with unchanged(ignore=frozenset({"ImportJob"})):
        import_run(job_id=job.pk, now=NOW)
    job.refresh_from_db()

    assert job.status == ImportStatus.FAILED, job.errors
    found = [e for e in job.errors if e["field"] == case.field and e["line"] == case.line]
    assert found, job.errors
    assert case.says in found[0]["message"], found[0]["message"]
    assert all(len(e["message"]) < 600 for e in job.errors), "messages quote values briefly"


@dataclass(frozen=True)
class Imported:
    id: str
    payload: bytes
    name: str  # the one contact's name, exactly
    company: str = ""


FORMULA = "=cmd|' /C calc'!A0"

IMPORTED = [
    # A formula is text like any other: kept exactly (it is escaped where it is shown).
    Imported("formula-prefixes", ('name,company,title,notes\n"' + FORMULA + '",+SUM(1;2),-2+3,@HYPERLINK("x")\n').encode(), FORMULA, "+SUM(1;2)"),
    Imported("utf16-without-bom-le", "name,company\nJürgen Weiß,Société\n".encode("utf-16-le"), "Jürgen Weiß", "Société"),
    Imported("utf16-with-bom-be", codecs.BOM_UTF16_BE + "name,company\nŁukasz,Żabka\n".encode("utf-16-be"), "Łukasz", "Żabka"),
    Imported("utf32-with-bom", "name,company\nÅsa,Ölbryggeri\n".encode("utf-32"), "Åsa", "Ölbryggeri"),
    Imported("cp1252-smart-quotes-and-euro", "name,company\n“Zoë”,€uro Ltd\n".encode("cp1252"), "“Zoë”", "€uro Ltd"),
    Imported("emoji-and-right-to-left", "name,company\nAnn 🚀,شركة\n".encode(), "Ann 🚀", "شركة"),
    Imported("zero-width-and-combining", "name\nZoe\u0301\u200b\n".encode(), "Zoe\u0301\u200b"),
    Imported("crlf-and-trailing-blank-lines", b"name,company\r\nAnn,Acme\r\n\r\n\r\n", "Ann", "Acme"),
    Imported("unterminated-quote-at-the-end", b'name,company\nAnn,"Acme', "Ann", "Acme"),
    Imported("bom-and-extra-columns", codecs.BOM_UTF8 + b"name,shoe_size,company\nAnn,42,Acme\n", "Ann", "Acme"),
]  # fmt: skip


@pytest.mark.parametrize("case", IMPORTED, ids=[c.id for c in IMPORTED])
def test_odd_but_honest_file_is_imported_exactly(
    case: Imported, search: Client, coach: User
) -> None:
    job = run(search, coach, CONTACTS, case.payload)

    assert job.status == ImportStatus.SUCCEEDED, job.errors
    contact = Contact.objects.get(client=search)
    assert (contact.name, contact.company) == (case.name, case.company)


def test_dates_at_the_edges_of_the_range_are_imported(search: Client, coach: User) -> None:
    payload = (
        INTERACTIONS_HEADER
        + "ann@example.com,Ann,1950-01-01T00:00:00Z,email,outbound,outreach,\n"
        + "ann@example.com,Ann,2024-04-02T09:00:00-12:00,email,outbound,outreach,\n"
    ).encode()
    job = run(search, coach, INTERACTIONS, payload)

    assert job.status == ImportStatus.SUCCEEDED, job.errors
    assert Interaction.objects.filter(client=search).count() == 2


def test_one_bad_date_among_many_rows_names_its_line_and_imports_nothing(
    search: Client, coach: User, unchanged
) -> None:
    rows = [
        f"p{n}@example.com,P{n},2024-03-{n % 28 + 1:02d},email,outbound,outreach,\n"
        for n in range(500)
    ]
    rows[311] = "p311@example.com,P311,0001-01-01T00:00:00+05:00,email,outbound,outreach,\n"
    job = import_start(
        client=search,
        actor=coach,
        kind=INTERACTIONS,
        payload=(INTERACTIONS_HEADER + "".join(rows)).encode(),
    )
    with unchanged(ignore=frozenset({"ImportJob"})):
        import_run(job_id=job.pk, now=NOW)
    job.refresh_from_db()

    assert job.status == ImportStatus.FAILED
    assert [(e["line"], e["field"]) for e in job.errors] == [(313, "occurred_at")]
    assert job.errors[0]["message"].startswith("0001-01-01 is before 1950-01-01")
