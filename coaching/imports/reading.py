"""From uploaded bytes to rows of named cells, with the line number of each row.

Files come from spreadsheets and from LinkedIn, in whatever encoding they were saved: UTF-8 (with
or without the BOM Excel adds), UTF-16 (Excel's "Unicode text"), or a Windows/Latin-1 code page.
"""

import codecs
import csv
import io
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RowError:
    line: int  # 1-based line of the file where the row starts; 0 for the whole file
    field: str  # the column (or "file") the problem is in
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "field": self.field, "message": self.message}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (empty, unreadable, wrong header)."""

    def __init__(self, message: str, *, line: int = 0) -> None:
        super().__init__(message)
        self.error = RowError(line=line, field="file", message=message)


def decode(payload: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with. UTF-8 is tried first because a Latin-1 reading
    of UTF-8 never fails but garbles every accent; Windows-1252 then Latin-1 are the fallbacks."""
    if payload.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return payload.decode("utf-16"), "utf-16"
    if payload.startswith(codecs.BOM_UTF8):
        return payload[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8-sig"
    for encoding in ("utf-8", "cp1252"):
        try:
            return payload.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return payload.decode("latin-1"), "latin-1"


@dataclass(frozen=True, slots=True)
class FileSpec:
    """The columns of one kind of file: canonical name -> the header label people see."""

    columns: dict[str, str]
    required: frozenset[str]
    # A preamble (LinkedIn's "Notes:" lines) may come first: the header is the first line that
    # has at least this many of the expected labels. 0: the first non-blank line is the header.
    header_min_matches: int = 0


@dataclass(slots=True)
class Table:
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line, {column: cell})
    errors: list[RowError] = field(default_factory=list)


def _label(cell: str) -> str:
    return " ".join(cell.replace("_", " ").split()).casefold()


def read_table(text: str, *, spec: FileSpec) -> Table:
    """Rows keyed by canonical column. Raises `ImportFileError` for an empty file or a header
    that lacks required columns; rows with the wrong number of cells go to `Table.errors`."""
    reader = csv.reader(io.StringIO(text, newline=""))
    by_label = {_label(label): name for name, label in spec.columns.items()}
    by_label.update({_label(name): name for name in spec.columns})
    header: list[str | None] | None = None
    first_nonblank: list[str] | None = None
    table = Table()
    line = 1
    try:
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                first_nonblank = first_nonblank or record
                names = [by_label.get(_label(cell)) for cell in record]
                matches = sum(n is not None for n in names)
                if not spec.header_min_matches or matches >= spec.header_min_matches:
                    header = names
                    _check_header(header, spec=spec, line=start)
                continue
            if len(record) > len(header):
                table.errors.append(
                    RowError(
                        start,
                        "file",
                        f"This row has {len(record)} values but the header has {len(header)} "
                        "columns (a comma inside a value needs quotes).",
                    )
                )
                continue
            cells = {
                name: record[i].strip() if i < len(record) else ""
                for i, name in enumerate(header)
                if name is not None
            }
            table.rows.append((start, cells))
    except csv.Error as exc:
        raise ImportFileError(f"The file is not valid CSV: {exc}.", line=line) from exc
    if header is None:
        if first_nonblank is None:
            raise ImportFileError("The file is empty: there is no header and no row to import.")
        _check_header([by_label.get(_label(c)) for c in first_nonblank], spec=spec, line=0)
    if not table.rows and not table.errors:
        raise ImportFileError("The file has a header but no rows to import.")
    return table


def _check_header(header: list[str | None], *, spec: FileSpec, line: int) -> None:
    missing = [
        label
        for name, label in spec.columns.items()
        if name in spec.required and name not in header
    ]
    if missing:
        expected = ", ".join(spec.columns.values())
        raise ImportFileError(
            f"The header is missing the column(s): {', '.join(missing)}. Expected: {expected}.",
            line=line,
        )
