"""An import's outcome in words a person reads: "200 contacts: 190 new, 10 merged", and each
problem as "Line 12, email address: …", never a stored field name or a count's key.

Pages, the client's review list and emails use these; the API keeps the machine-readable
`summary` and `errors`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.text import get_text_list

from coaching.choices import ImportKind, ImportMode, ImportStatus

# What each column or field is called on a page.
FIELD_WORDS = {
    "file": "",
    "name": "name",
    "first_name": "first name",
    "last_name": "last name",
    "email": "email address",
    "linkedin_url": "LinkedIn address",
    "company": "company",
    "title": "position",
    "how_met": "how you met",
    "first_met_on": "first met on",
    "connected_on": "connected on",
    "is_hiring_authority": "hiring authority",
    "is_key_influencer": "key influencer",
    "willingness": "willingness to help",
    "tags": "tags",
    "notes": "notes",
    "note": "note",
    "contact_email": "contact's email address",
    "contact_linkedin_url": "contact's LinkedIn address",
    "contact_name": "contact's name",
    "contact_company": "contact's company",
    "occurred_at": "date",
    "replied_at": "reply date",
    "channel": "channel",
    "direction": "direction",
    "kind": "kind of exchange",
    "scheduled_for": "start time",
    "contact": "person",
    "message": "message",
    "invitation": "invitation",
    "event": "event",
}


def field_words(field: str) -> str:
    return FIELD_WORDS.get(field, field.replace("_", " "))


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"Line {self.line}" if self.line else "The file"
        what = field_words(self.field)
        return f"{where}, {what}: {self.message}" if what else f"{where}: {self.message}"


def problems(rows: Iterable[Mapping[str, Any]]) -> list[Problem]:
    return [
        Problem(int(r.get("line", 0)), str(r.get("field", "")), str(r.get("message", "")))
        for r in rows
    ]


def outcome_sentences(
    *, kind: str, mode: str, status: str, summary: Mapping[str, int]
) -> list[str]:
    """What happened, in sentences. Empty while the import has not finished."""
    if status == ImportStatus.FAILED:
        return ["Nothing was imported."]
    if status != ImportStatus.SUCCEEDED:
        return []
    s = {k: int(v) for k, v in summary.items()}
    sentences: list[str] = []
    if kind in (ImportKind.LINKEDIN_CONNECTIONS, ImportKind.CONTACTS_CSV):
        rows = s.get("rows", 0) - s.get("skipped_rows", 0)
        parts = [f"{s.get('created', 0):,} new", f"{s.get('merged_rows', 0):,} merged"]
        sentences.append(f"{_n(rows, 'contact')}: {', '.join(parts)}.")
        if s.get("updated"):
            sentences.append(
                f"{_n(s['updated'], 'contact')} you already had gained details they lacked."
            )
    elif kind == ImportKind.INTERACTIONS_CSV:
        line = f"{_n(s.get('created', 0), 'new exchange')}"
        if s.get("contacts_created"):
            line += f" (with {_n(s['contacts_created'], 'new person', 'new people')})"
        sentences.append(line + ".")
        if s.get("duplicate_rows"):
            sentences.append(
                f"{_n(s['duplicate_rows'], 'row')} already recorded, so left as they were."
            )
    else:
        sentences.extend(_capture_sentences(s))
    if mode == ImportMode.GOOD_ROWS:
        if s.get("skipped_rows"):
            sentences.append(f"{_n(s['skipped_rows'], 'row')} could not be used; see below.")
        if s.get("dropped_values"):
            sentences.append(
                f"{_n(s['dropped_values'], 'value')} could not be used and "
                f"{'was' if s['dropped_values'] == 1 else 'were'} left out; the rest of "
                f"{'its row was' if s['dropped_values'] == 1 else 'their rows was'} imported."
            )
    return sentences


_CAPTURE_COUNTS = (
    ("contacts_created", "new contact"),
    ("contacts_merged", "contact already in your list", "contacts already in your list"),
    ("messages_created", "new message"),
    ("messages_known", "message already recorded", "messages already recorded"),
    ("invitations_created", "new invitation"),
    ("recommendations", "recommendation"),
    ("meetings_created", "new meeting"),
    ("meetings_moved", "meeting moved", "meetings moved"),
    ("meetings_cancelled", "meeting cancelled", "meetings cancelled"),
    ("meetings_known", "meeting already recorded", "meetings already recorded"),
)


def _capture_sentences(s: Mapping[str, int]) -> list[str]:
    parts = [_n(s[key], *words) for key, *words in _CAPTURE_COUNTS if s.get(key)]
    if not parts:
        return ["Nothing new: everything in the file was already recorded."]
    return [get_text_list(parts, "and") + "."]
