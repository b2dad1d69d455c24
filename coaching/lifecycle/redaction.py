"""Nothing readable of a deleted person is left behind.

A deletion removes the person's own rows; this module then finds the places where their name,
email or LinkedIn address was copied as text — notes on other records, the timeline's stored
values, the stored weekly findings, import files and their errors, emails Warmpath sent, webhook
deliveries, remembered API answers — and replaces each occurrence with a label ("a deleted
contact"). Matching ignores case and only takes whole words, so "Al" never eats into "Alpha".

The places are listed here on purpose (`TEXT_COLUMNS`, `JSON_COLUMNS`): a new column that can
hold copied text must be added, and tests/lifecycle/test_deletion.py looks through every text
column of the practice's schema for a deleted person after each kind of deletion.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db import connection, models

from coaching.choices import ImportStatus
from coaching.imports.reading import ImportFileError, decode
from coaching.insights.models import FindingDisposition, WeeklySnapshot
from coaching.models import (
    ActivityEvent,
    Application,
    Client,
    Contact,
    Feedback,
    FollowUp,
    ImportJob,
    Interaction,
    Introduction,
    Meeting,
    PresentationCheck,
)
from integrations.models import IdempotencyRecord, WebhookDelivery
from notifications.models import JobRun, Notification

CONTACT_LABEL = "a deleted contact"
CLIENT_LABEL = "a deleted client"

# (model, text columns, whether the rows belong to a client's search), so that a contact's name
# is only looked for in their own client's search, and a deleted client's in no other search.
TEXT_COLUMNS: tuple[tuple[type[models.Model], tuple[str, ...], bool], ...] = (
    (Client, ("headline", "leaving_story"), True),
    (Contact, ("name", "company", "title", "notes"), True),
    (Application, ("company", "role", "note"), True),
    (Interaction, ("note",), True),
    (Introduction, ("note",), True),
    (Meeting, ("note", "prep_company_research", "prep_questions", "prep_goal"), True),
    (FollowUp, ("note",), True),
    (Feedback, ("note",), True),
    (PresentationCheck, ("note",), True),
    (FindingDisposition, ("note",), True),
    (ImportJob, ("filename",), True),
    (Notification, ("subject", "body_text", "body_html", "last_error"), False),
    (WebhookDelivery, ("body", "error"), False),
    (JobRun, ("error",), False),
    (LogEntry, ("object_repr", "change_message"), False),
)
JSON_COLUMNS: tuple[tuple[type[models.Model], tuple[str, ...], bool], ...] = (
    (Client, ("target_roles",), True),
    (Contact, ("tags",), True),
    (ActivityEvent, ("changes",), True),
    (WeeklySnapshot, ("findings",), True),
    (ImportJob, ("errors",), True),
    (IdempotencyRecord, ("response_body",), False),
    (JobRun, ("result",), False),
    (WebhookDelivery, ("log",), False),
)

_WORD = "[[:alnum:]_]"
_CHUNK = 200  # needles per regular expression


def needles_of(*values: str) -> list[str]:
    """The strings that identify a person, longest first (so a longer one wins an overlap),
    without blanks or duplicates. A LinkedIn address also counts without its scheme and `www.`,
    as people paste it."""
    found: set[str] = set()
    for value in values:
        value = (value or "").strip()
        if not value:
            continue
        found.add(value)
        short = re.sub(r"^https?://(www\.)?", "", value, flags=re.IGNORECASE).rstrip("/")
        if short != value and "/" in short:
            found.add(short)
    return sorted(found, key=lambda s: (-len(s), s))


def name_parts(name: str) -> set[str]:
    """The words of a name that could stand for the person on their own ("Jane" of "Jane
    Doe"): three letters or more."""
    return {part for part in re.split(r"[\s,.]+", name) if len(part) >= 3}


def unshared_name_parts(name: str, *, others: Iterable[str]) -> list[str]:
    """The parts of `name` that no other name in `others` has (any case): within one search,
    "Jane" in a note means Jane Doe unless another Jane is there too."""
    taken = {part.casefold() for other in others for part in name_parts(other)}
    return sorted(p for p in name_parts(name) if p.casefold() not in taken)


def _pattern(needles: Sequence[str]) -> str:
    """A PostgreSQL regular expression (ARE) matching any needle as a whole word."""
    escaped = "|".join(re.sub(r"([\\.^$|?*+()\[\]{}])", r"\\\1", n) for n in needles)
    return f"(?<!{_WORD})({escaped})(?!{_WORD})"


def _json_inner(needle: str) -> str:
    """How a string appears inside JSON text (PostgreSQL prints jsonb without \\u escapes)."""
    return json.dumps(needle, ensure_ascii=False)[1:-1]


def _chunks(needles: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(needles), _CHUNK):
        yield needles[start : start + _CHUNK]


def _targets(
    listed: tuple[tuple[type[models.Model], tuple[str, ...], bool], ...],
    *,
    client_id: int | None,
    searches: bool,
    shared: bool,
) -> Iterable[tuple[str, str, str, list[Any]]]:
    """(table, column, extra condition, its parameters) for each listed column in play."""
    quote = connection.ops.quote_name
    for model, columns, in_search in listed:
        if (in_search and not searches) or (not in_search and not shared):
            continue
        extra, params = "", list[Any]()
        if in_search and client_id is not None:
            extra = f" AND {quote('id' if model is Client else 'client_id')} = %s"
            params = [client_id]
        for column in columns:
            yield quote(model._meta.db_table), quote(column), extra, params


def redact(
    *,
    needles: Sequence[str],
    label: str,
    client_id: int | None = None,
    searches: bool = True,
    shared: bool = True,
) -> int:
    """Replace every whole-word occurrence of `needles` (any case) with `label` in the listed
    columns: in one client's search only when `client_id` is given (a contact's name stays
    within its client's search), in no search when `searches` is false (the client's own rows
    are already gone), and in the practice-wide tables unless `shared` is false. Returns how
    many rows changed."""
    if not needles:
        return 0
    changed = 0
    with connection.cursor() as cursor:
        for chunk in _chunks(needles):
            text = _pattern(chunk)
            for table, col, extra, params in _targets(
                TEXT_COLUMNS, client_id=client_id, searches=searches, shared=shared
            ):
                cursor.execute(
                    f"UPDATE {table} SET {col} = regexp_replace({col}, %s, %s, 'gi') "
                    f"WHERE {col} ~* %s{extra}",
                    [text, label, text, *params],
                )
                changed += cursor.rowcount
            inner = _pattern([_json_inner(n) for n in chunk])
            for table, col, extra, params in _targets(
                JSON_COLUMNS, client_id=client_id, searches=searches, shared=shared
            ):
                cursor.execute(
                    f"UPDATE {table} SET {col} = regexp_replace({col}::text, %s, %s, 'gi')::jsonb "
                    f"WHERE {col}::text ~* %s{extra}",
                    [inner, label, inner, *params],
                )
                changed += cursor.rowcount
    if searches:
        changed += _forget_import_files(needles=needles, client_id=client_id)
    return changed


def _forget_import_files(*, needles: Sequence[str], client_id: int | None) -> int:
    """An uploaded file that names the person is emptied once its import has finished (the
    file is only needed while it is imported; its summary and errors stay)."""
    jobs = ImportJob.objects.filter(
        status__in=(ImportStatus.SUCCEEDED, ImportStatus.FAILED)
    ).exclude(payload=b"")
    if client_id is not None:
        jobs = jobs.filter(client_id=client_id)
    lowered = [n.casefold() for n in needles]
    emptied = []
    for pk, payload in jobs.values_list("pk", "payload").iterator(chunk_size=50):
        try:
            text: str | None = decode(bytes(payload))[0]
        except ImportFileError:  # a file that cannot be read as text cannot be searched: drop it
            text = None
        if text is None or any(n in text.casefold() for n in lowered):
            emptied.append(pk)
    return ImportJob.objects.filter(pk__in=emptied).update(payload=b"")
