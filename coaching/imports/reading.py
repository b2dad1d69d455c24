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


_WORKBOOKS = {
    b"PK\x03\x04": "an Excel workbook (.xlsx) or another zip file",
    b"\xd0\xcf\x11\xe0": "an old Excel workbook (.xls)",
}
_SAVE_AS_CSV = "In the spreadsheet, use Save As → CSV UTF-8 and upload that file."


def decode(payload: bytes) -> tuple[str, str]:
    """The text and the encoding it was read with. UTF-8 is tried first because a Latin-1 reading
    of UTF-8 never fails but garbles every accent; Windows-1252 then Latin-1 are the fallbacks.
    A file that says what it is (a byte-order mark) must be exactly that: a damaged or cut-off
    one is refused rather than read with replacement characters, and so is anything that is not
    text at all (a workbook, NUL bytes). Raises `ImportFileError` saying what to do."""
    if payload.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16's BOM
        text, encoding = _exactly(payload, "utf-32", "UTF-32"), "utf-32"
    elif payload.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, encoding = _exactly(payload, "utf-16", "UTF-16"), "utf-16"
    elif payload.startswith(codecs.BOM_UTF8):
        text, encoding = _exactly(payload[len(codecs.BOM_UTF8) :], "utf-8", "UTF-8"), "utf-8-sig"
    elif guessed := _utf16_without_bom(payload):
        text, encoding = _exactly(payload, guessed, "UTF-16"), guessed
    else:
        _refuse_binary(payload)
        text, encoding = _first_that_reads(payload)
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise ImportFileError(
            f"Line {line} contains a NUL character (U+0000), which is not text. " + _SAVE_AS_CSV,
            line=line,
        )
    return text, encoding


def _first_that_reads(payload: bytes) -> tuple[str, str]:
    for encoding in ("utf-8", "cp1252"):
        try:
            return payload.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return payload.decode("latin-1"), "latin-1"


def _exactly(payload: bytes, encoding: str, label: str) -> str:
    try:
        return payload.decode(encoding)
    except UnicodeDecodeError as exc:
        line = payload[: exc.start].decode(encoding, errors="replace").count("\n") + 1
        what = (
            "is cut off in the middle of a character"
            if exc.end >= len(payload) and "truncated" in exc.reason
            else "has bytes that are not valid " + label
        )
        raise ImportFileError(
            f"The file is {label} text but line {line} {what}: export it again. " + _SAVE_AS_CSV,
            line=line,
        ) from exc


def _utf16_without_bom(payload: bytes) -> str | None:
    """UTF-16 saved without a byte-order mark: plain text then has a NUL byte beside nearly
    every character, on the same side."""
    sample = payload[:4096]
    if len(sample) < 4 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


def _refuse_binary(payload: bytes) -> None:
    for magic, what in _WORKBOOKS.items():
        if payload.startswith(magic):
            raise ImportFileError(f"This is {what}, not a CSV file. {_SAVE_AS_CSV}")
    if b"\x00" in payload:
        line = payload.count(b"\n", 0, payload.index(b"\x00")) + 1
        raise ImportFileError(
            f"Line {line} contains NUL bytes, so this is not a text CSV file. {_SAVE_AS_CSV}",
            line=line,
        )


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


_DELIMITERS = ",;\t|"
_SNIFF_CHARACTERS = 64 * 1024
_HEADER_SEARCH_LINES = 20


def sniff_delimiter(text: str, *, by_label: dict[str, str]) -> str:
    """The delimiter the file uses: a comma, or what `csv.Sniffer` finds (a semicolon from a
    European Excel, a tab, a bar) when that splits the header into more of the expected
    columns than a comma does. The header decides, so a comma file whose values hold
    semicolons (tags "a;b", a formula) is never read as semicolon-separated. When the sniffer
    cannot tell (short or ragged samples), each candidate is tried on the header."""
    sample = text[:_SNIFF_CHARACTERS]
    lines = sample.splitlines()[:_HEADER_SEARCH_LINES]

    def recognised(delimiter: str) -> int:
        return max(
            (sum(_label(c.strip().strip('"')) in by_label for c in line.split(delimiter))
             for line in lines),
            default=0,
        )  # fmt: skip

    try:
        candidates = [csv.Sniffer().sniff(sample, delimiters=_DELIMITERS).delimiter]
    except csv.Error:
        candidates = list(_DELIMITERS)
    best = ","
    for candidate in candidates:
        if recognised(candidate) > recognised(best):
            best = candidate
    return best


def read_table(text: str, *, spec: FileSpec) -> Table:
    """Rows keyed by canonical column. Raises `ImportFileError` for an empty file or a header
    that lacks required columns; rows with the wrong number of cells go to `Table.errors`."""
    by_label = {_label(label): name for name, label in spec.columns.items()}
    by_label.update({_label(name): name for name in spec.columns})
    delimiter = sniff_delimiter(text, by_label=by_label)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
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
        if "field larger than field limit" in str(exc):
            raise ImportFileError(
                f"A value starting on line {line} is longer than {csv.field_size_limit():,} "
                "characters, more than any field holds (is a closing quote missing?).",
                line=line,
            ) from exc
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
