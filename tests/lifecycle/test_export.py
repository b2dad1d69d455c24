"""Exports: the zip holds every row and every column of the database (minus the secrets it says
it leaves out), in JSON and CSV alike, with a README describing each column; who may ask for
which export; progress; expiry."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import models
from django.utils import timezone

from accounts.models import User
from audit.models import AuditEvent
from coaching import services as s
from coaching.access import NotFound
from coaching.lifecycle.export_spec import NOT_EXPORTED, PRACTICE_TYPES, SEARCH_TYPES
from coaching.lifecycle.exports import export_request, export_run, exports_expire
from coaching.lifecycle.models import ExportJob
from coaching.lifecycle.storage import private_storage
from coaching.models import Client, Contact

from .conftest import NOW


def _zip(job: ExportJob) -> zipfile.ZipFile:
    job.refresh_from_db()
    assert job.status == "ready", job.error
    with private_storage().open(job.file_name, "rb") as f:
        return zipfile.ZipFile(io.BytesIO(f.read()))


def _made(actor: User, client: Client | None = None) -> zipfile.ZipFile:
    job = export_request(actor=actor, client=client)
    export_run(export_id=job.pk)
    return _zip(job)


def _as_json(value: Any) -> Any:
    """What the JSON file must say for a database value."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _as_csv(value: Any) -> str:
    """What the CSV cell must say for a database value (JSON text for JSON; a formula-looking
    text behind an apostrophe)."""
    value = _as_json(value)
    if value is None:
        return ""
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return str(value)


def _database_rows(model: type[models.Model], *, client_id: int | None) -> list[dict[str, Any]]:
    """Every row of the model (of one client's search), every column but the ones left out on
    purpose, straight from the database."""
    columns = [
        f.attname
        for f in model._meta.concrete_fields
        if f.attname not in NOT_EXPORTED.get(model, {})
    ]
    rows = model._default_manager.all()
    if client_id is not None:
        rows = rows.filter(**({"pk": client_id} if model is Client else {"client_id": client_id}))
    return list(rows.order_by("pk").values(*columns))


def _check_files(archive: zipfile.ZipFile, name: str, expected: list[dict[str, Any]]) -> None:
    from_json = json.loads(archive.read(f"{name}.json"))
    text = archive.read(f"{name}.csv").decode("utf-8-sig")
    from_csv = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(from_json) == len(from_csv) == len(expected), name
    for got_json, got_csv, row in zip(from_json, from_csv, expected, strict=True):
        for column, value in row.items():
            assert got_json[column] == _as_json(value), (name, column)
            assert got_csv[column] == _as_csv(value), (name, column)


CAPTURE = ("captured", "captured_events", "inbound_addresses", "inbound_mail")


def test_a_search_export_has_every_row_and_every_column(world, coach):
    s.contact_update(
        contact=world.bob, actor=coach, data={"notes": '=HYPERLINK("http://x")'}, now=NOW
    )
    archive = _made(coach, world.search)

    names = {record.name for record in SEARCH_TYPES}
    assert set(archive.namelist()) == (
        {f"{n}.json" for n in names} | {f"{n}.csv" for n in names} | {"README.txt"}
    )
    for record in SEARCH_TYPES:
        expected = _database_rows(record.model, client_id=world.search.pk)
        # Capture's files are filled, and read by whom, in test_capture_records.py.
        # Notes and action items are filled, and read by whom, in the two tests after this one.
        optional = ("finding_decisions", "hidden_findings", "session_notes", "action_items")
        assert expected or record.name in (*optional, *CAPTURE), record.name
        _check_files(archive, record.name, expected)
    clients = json.loads(archive.read("clients.json"))
    assert (clients[0]["name"], clients[0]["email"]) == ("Cleo Client", "client@alpha.example.com")
    bob = next(
        r
        for r in csv.DictReader(io.StringIO(archive.read("contacts.csv").decode("utf-8-sig")))
        if r["name"] == "Bob Baker"
    )
    assert bob["notes"] == '\'=HYPERLINK("http://x")'  # a spreadsheet shows it, never runs it


def test_columns_keep_their_order(world, coach):
    archive = _made(coach, world.search)
    for record in SEARCH_TYPES:
        header = next(
            csv.reader(io.StringIO(archive.read(f"{record.name}.csv").decode("utf-8-sig")))
        )
        assert header == [c.name for c in record.columns]
        rows = json.loads(archive.read(f"{record.name}.json"))
        assert all(list(row) == header for row in rows)


def test_the_readme_describes_every_file_and_every_column(world, coach):
    archive = _made(coach, world.search)
    readme = archive.read("README.txt").decode()

    for record in SEARCH_TYPES:
        assert f"{record.name}.csv / {record.name}.json" in readme
        for column in record.columns:
            lines = [x for x in readme.splitlines() if x.startswith(f"  {column.name}: ")]
            assert any(column.description in x for x in lines), (record.name, column.name)
            assert len(column.description.split()) >= 2, column  # words, not a code
    assert "One of: active (Active), paused (Paused), landed (Landed)." in readme
    assert "Not included" in readme
    assert "imports: payload" in readme


def test_every_database_column_is_exported_or_said_to_be_left_out():
    """A column added to a model later must be described here, or the README falls behind."""
    for record in PRACTICE_TYPES:
        columns = {c.name for c in record.columns}
        for field in record.model._meta.concrete_fields:
            assert field.attname in columns or field.attname in NOT_EXPORTED.get(
                record.model, {}
            ), (record.name, field.attname)


def test_the_practice_export_holds_every_search_and_the_practice(
    world, other_search, owner, make_contact
):
    make_contact(other_search, name="Carl's contact")
    archive = _made(owner)

    for record in PRACTICE_TYPES:
        if record.name == "practice":
            continue
        _check_files(archive, record.name, _database_rows(record.model, client_id=None))
    practice = json.loads(archive.read("practice.json"))
    assert [p["name"] for p in practice] == ["Alpha Coaching"]
    members = archive.read("members.csv").decode("utf-8-sig")
    assert "password" not in members.splitlines()[0]
    assert {c["client_id"] for c in json.loads(archive.read("contacts.json"))} == {
        world.search.pk,
        other_search.pk,
    }
    assert "hashed_key" not in archive.read("api_keys.csv").decode("utf-8-sig")
    assert "secret" not in archive.read("webhooks.csv").decode("utf-8-sig").splitlines()[0]


def test_session_notes_are_in_the_coachs_export_never_the_clients(world, coach, client_user):
    from datetime import date

    from coaching.notes.services import action_item_add, session_note_add

    session_note_add(client=world.search, actor=coach, held_on=date(2024, 3, 1), body="SECRET")
    action_item_add(client=world.search, actor=coach, text="Call Ann")
    coach_archive = _made(coach, world.search)
    assert "SECRET" in coach_archive.read("session_notes.csv").decode("utf-8-sig")
    assert "Call Ann" in coach_archive.read("action_items.csv").decode("utf-8-sig")
    for shared in (False, True):
        s.client_set_report_sharing(client=world.search, actor=coach, shared=shared)
        archive = _made(client_user, world.search)
        assert "session_notes.csv" not in archive.namelist(), shared
        assert all(b"SECRET" not in archive.read(name) for name in archive.namelist()), shared
        assert "Call Ann" in archive.read("action_items.csv").decode("utf-8-sig")


def test_a_clients_own_export_leaves_out_an_unshared_report(world, client_user):
    archive = _made(client_user, world.search)

    assert "weekly_status.csv" not in archive.namelist()
    assert "finding_decisions.json" not in archive.namelist()
    assert "your coach has not shared your report" in archive.read("README.txt").decode()


def test_once_shared_the_client_gets_the_report_too(world, coach, client_user):
    s.client_set_report_sharing(client=world.search, actor=coach, shared=True)

    archive = _made(client_user, world.search)

    assert "weekly_status.csv" in archive.namelist()


@pytest.mark.parametrize("who", ["client_user", "coach", "owner"])
def test_the_client_their_coach_and_the_owner_may_export_a_search(world, who, request):
    actor = request.getfixturevalue(who)
    _made(actor, world.search)


@pytest.mark.parametrize("who", ["other_coach", "other_client_user"])
def test_nobody_else_may_export_a_search(world, who, request):
    with pytest.raises(NotFound):
        export_request(actor=request.getfixturevalue(who), client=world.search)
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize("who", ["coach", "client_user"])
def test_only_the_owner_may_export_the_practice(who, request):
    with pytest.raises(NotFound):
        export_request(actor=request.getfixturevalue(who))


def test_asking_twice_while_it_is_made_gives_the_same_export(world, coach, client_user):
    first = export_request(actor=coach, client=world.search)
    assert export_request(actor=client_user, client=world.search) == first


def test_progress_and_audit(world, coach):
    job = export_request(actor=coach, client=world.search)
    assert (job.status, job.progress) == ("queued", 0.0)

    export_run(export_id=job.pk)

    job.refresh_from_db()
    assert (job.done_steps, job.total_steps, job.progress) == (
        len(SEARCH_TYPES),
        len(SEARCH_TYPES),
        1.0,
    )
    assert job.expires_at - job.finished_at == timedelta(hours=24)
    event = AuditEvent.objects.get(action="export.requested")
    assert (event.actor_id, event.object_label, event.details["export"]) == (
        coach.pk,
        "client@alpha.example.com",
        job.pk,
    )


def test_running_a_finished_export_again_changes_nothing(world, coach):
    job = export_request(actor=coach, client=world.search)
    export_run(export_id=job.pk)
    job.refresh_from_db()
    before = (job.file_name, job.finished_at, job.attempts)

    export_run(export_id=job.pk)

    job.refresh_from_db()
    assert (job.file_name, job.finished_at, job.attempts) == before


def test_an_export_that_keeps_losing_its_worker_ends_failed_in_words(world, coach):
    job = export_request(actor=coach, client=world.search)
    ExportJob.objects.filter(pk=job.pk).update(status="running", attempts=3)
    ExportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timedelta(hours=1))

    export_run(export_id=job.pk)

    job.refresh_from_db()
    assert job.status == "failed"
    assert "stopped before it finished 3 times" in job.error


def test_expired_exports_lose_their_file(world, coach):
    job = export_request(actor=coach, client=world.search)
    export_run(export_id=job.pk)
    job.refresh_from_db()
    name = job.file_name

    assert exports_expire(now=job.expires_at - timedelta(seconds=1)) == 0
    assert exports_expire(now=job.expires_at) == 1

    job.refresh_from_db()
    assert (job.status, job.file_name) == ("expired", "")
    assert not private_storage().exists(name)


def test_export_files_live_in_the_practices_private_folder_never_served(
    world, coach, practice, settings, http
):
    job = export_request(actor=coach, client=world.search)
    export_run(export_id=job.pk)
    job.refresh_from_db()
    assert job.file_name.startswith(f"exports/{practice.schema_name}/")
    assert private_storage().path(job.file_name).startswith(str(settings.MEDIA_ROOT / "private"))
    http.force_login(coach)
    for path in (f"/media/{job.file_name}", f"/media/private/{job.file_name}", f"/{job.file_name}"):
        assert http.get(path).status_code == 404, path


def test_contacts_added_meanwhile_do_not_break_json_and_csv_agreement(world, coach):
    """Both files of a type come from one pass over its rows."""
    archive = _made(coach, world.search)
    names_json = [r["name"] for r in json.loads(archive.read("contacts.json"))]
    names_csv = [
        r["name"]
        for r in csv.DictReader(io.StringIO(archive.read("contacts.csv").decode("utf-8-sig")))
    ]
    assert (
        names_json
        == names_csv
        == list(
            Contact.objects.filter(client=world.search)
            .order_by("pk")
            .values_list("name", flat=True)
        )
    )
