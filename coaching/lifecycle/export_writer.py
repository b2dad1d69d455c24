"""Writing an export: a zip with `<type>.json` and `<type>.csv` per record type and a README.txt
that describes every column in plain words. Rows stream from the database a chunk at a time, so
a large practice never sits in memory."""

from __future__ import annotations

import csv
import io
import json
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import IO, Any
from uuid import UUID

from django.db import models

from coaching.lifecycle.export_spec import NOT_EXPORTED, Column, RecordType

CHUNK = 2000
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def json_value(value: Any) -> Any:
    """A column's value as it appears in the JSON file (and, text-formatted, in the CSV)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | UUID):
        return str(value)
    return value


def csv_value(value: Any) -> str:
    value = json_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return str(value)


def _kind(field: models.Field[Any, Any] | None) -> str:
    if field is None:
        return "Text."
    if isinstance(field, models.DateTimeField):
        return "A time in UTC (ISO 8601, e.g. 2024-04-15T09:30:00+00:00)."
    if isinstance(field, models.DateField):
        return "A day (YYYY-MM-DD)."
    if isinstance(field, models.BooleanField):
        return "true or false."
    if isinstance(field, models.JSONField):
        return "JSON."
    if isinstance(field, models.FloatField | models.DecimalField):
        return "A number."
    if isinstance(field, models.IntegerField | models.AutoField | models.ForeignKey):
        return "A whole number."
    return "Text."


def column_text(column: Column) -> str:
    """One column's line in the README: what it holds, its kind, its values, whether it can be
    empty."""
    parts = [column.description, _kind(column.field)]
    field = column.field
    if field is not None and field.choices:
        choices = ", ".join(f"{value} ({label})" for value, label in field.flatchoices)
        parts.append(f"One of: {choices}.")
    if field is not None and field.null:
        parts.append("Empty when not set.")
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Heading:
    what: str  # "the search of Cleo Client" / "the whole practice Alpha Coaching"
    made_at: str  # already in the practice's time zone, in words
    made_for: str
    time_zone: str


def _write_record(
    archive: zipfile.ZipFile, record: RecordType, client_id: int | None, spool_dir: str | None
) -> int:
    """Both files of one record type from one pass over its rows (so they always agree): the
    JSON straight into the zip, the CSV into a temporary file copied in afterwards (a zip
    takes one file at a time)."""
    count = 0
    with tempfile.TemporaryFile(dir=spool_dir) as spool:
        csv_out = io.TextIOWrapper(spool, encoding="utf-8-sig", newline="")
        writer = csv.writer(csv_out)
        writer.writerow([c.name for c in record.columns])
        with (
            archive.open(f"{record.name}.json", "w", force_zip64=True) as raw,
            io.TextIOWrapper(raw, encoding="utf-8", newline="\n") as json_out,
        ):
            json_out.write("[")
            for row in record.rows(client_id).iterator(CHUNK):
                json_out.write(",\n" if count else "\n")
                plain = {c.name: json_value(row[c.name]) for c in record.columns}
                json_out.write(json.dumps(plain, ensure_ascii=False))
                writer.writerow([csv_value(row[c.name]) for c in record.columns])
                count += 1
            json_out.write("\n]\n" if count else "]\n")
        csv_out.flush()
        csv_out.detach()  # the spool stays open for the copy
        spool.seek(0)
        with archive.open(f"{record.name}.csv", "w", force_zip64=True) as target:
            shutil.copyfileobj(spool, target)
    return count


def readme_text(
    *,
    heading: Heading,
    written: Sequence[tuple[RecordType, int]],
    left_out: Sequence[tuple[str, str]],
) -> str:
    lines = [
        "Warmpath data export",
        "====================",
        "",
        f"What: {heading.what}.",
        f"Made: {heading.made_at} ({heading.time_zone}), for {heading.made_for}.",
        "",
        "How the files work",
        "------------------",
        "- Each kind of record is in two files with the same rows and columns: <name>.csv for",
        "  spreadsheets and <name>.json (a list of objects, one per row) for programs.",
        "- The columns are always in the order listed below; rows are in the order they were",
        "  created (by id).",
        "- CSV files are UTF-8 with a byte-order mark, so spreadsheet programs read accents",
        "  correctly. An empty cell means 'not set' (null in the JSON file); yes/no is written",
        "  true/false; a JSON column is written as JSON text in its cell.",
        "- A CSV cell whose text starts with =, +, -, @, a tab or a line break has a ' put in",
        "  front, so a spreadsheet shows it as text instead of running it as a formula. The",
        "  JSON file holds the text exactly as stored.",
        "- Times are in UTC (ISO 8601); days (YYYY-MM-DD) are calendar days in the client's",
        f"  time zone. The practice's time zone is {heading.time_zone}.",
        "- Columns ending in _id hold the id of a record in another file: client_id points",
        "  into clients, contact_id into contacts, and so on; member ids (user_id, coach_id,",
        "  actor_id, ...) point into members in a practice export.",
        "",
        "Files",
        "-----",
    ]
    for record, count in written:
        rows = f"{count} row" if count == 1 else f"{count} rows"
        lines += ["", f"{record.name}.csv / {record.name}.json ({rows})", record.description]
        lines += [f"  {c.name}: {column_text(c)}" for c in record.columns]
    lines += ["", "Not included", "------------"]
    lines += [f"- {what}: {why}" for what, why in left_out]
    return "\n".join(lines) + "\n"


def not_exported_notes(records: Sequence[RecordType]) -> list[tuple[str, str]]:
    notes = []
    for record in records:
        for column, why in NOT_EXPORTED.get(record.model, {}).items():
            notes.append((f"{record.name}: {column}", why))
    return notes


def write_export(
    *,
    out: IO[bytes],
    records: Sequence[RecordType],
    client_id: int | None,
    heading: Heading,
    left_out: Sequence[tuple[str, str]],
    on_step: Callable[[int], None],
    spool_dir: str | None = None,
) -> None:
    """Write the zip to `out`: each record type in turn (`on_step(done)` after each), then the
    README. Each CSV is spooled in `spool_dir` (the system's temporary folder if None)."""
    written: list[tuple[RecordType, int]] = []
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for done, record in enumerate(records, start=1):
            written.append((record, _write_record(archive, record, client_id, spool_dir)))
            on_step(done)
        notes = [*not_exported_notes(records), *left_out]
        text = readme_text(heading=heading, written=written, left_out=notes)
        archive.writestr("README.txt", text.encode("utf-8"))
