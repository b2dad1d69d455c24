"""Contacts from LinkedIn Connections.csv or the generic contacts CSV, merged not doubled.

A row is the same person as an existing contact, or as an earlier row of the file, when it has
the same email or the same LinkedIn URL (normalized); a row with neither matches on name and
company among contacts that have neither. Merging fills what the contact lacks and never
overwrites what the coach already recorded.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coaching.choices import HowMet, ImportKind, Willingness
from coaching.imports.cells import CellError, parse_bool, parse_choice, parse_day, parse_tags
from coaching.imports.reading import RowError, Table
from coaching.models import Client, Contact
from coaching.normalize import company_key
from coaching.services.contacts import clean_contact_fields
from coaching.validation import Errors

# LinkedIn's "Connected On" becomes first_met_on: its problems are reported on the column.
_COLUMNS: dict[str, dict[str, str]] = {
    ImportKind.LINKEDIN_CONNECTIONS: {"first_met_on": "connected_on"}
}
# The column a problem is reported on, for a typed value whose column has another name.
_FIELD_OF = {"first_met_on": "connected_on"}
_FILLABLE = ("company", "company_key", "title", "email", "linkedin_url", "first_met_on", "notes")


def row_errors(
    line: int, errors: Errors, *, columns: dict[str, str] | None = None
) -> list[RowError]:
    """One `RowError` per problem; `columns` renames a field to the column it came from."""
    named = columns or {}
    return [
        RowError(line, named.get(name, name), message)
        for name, messages in errors.by_field.items()
        for message in messages
    ]


def _typed(kind: str, cells: dict[str, str], errors: Errors) -> dict[str, Any]:
    """The raw cells of one row as the arguments `clean_contact_fields` expects."""
    if kind == ImportKind.LINKEDIN_CONNECTIONS:
        data: dict[str, Any] = {
            "name": f"{cells.get('first_name', '')} {cells.get('last_name', '')}",
            "how_met": HowMet.LINKEDIN_ONLY,
            **{k: cells.get(k, "") for k in ("email", "linkedin_url", "company", "title")},
        }
        parsers: dict[str, Callable[[str], Any]] = {"connected_on": parse_day}
    else:
        data = {
            k: v
            for k, v in cells.items()
            if k in ("name", "email", "linkedin_url", "company", "title", "notes")
        }
        parsers = {
            "first_met_on": parse_day,
            "is_hiring_authority": parse_bool,
            "is_key_influencer": parse_bool,
            "how_met": lambda v: parse_choice(v, HowMet) if v else HowMet.OTHER,
            "willingness": lambda v: parse_choice(v, Willingness) if v else Willingness.UNKNOWN,
            "tags": parse_tags,
        }
    for column, parse in parsers.items():
        if column in cells:
            try:
                data["first_met_on" if column == "connected_on" else column] = parse(cells[column])
            except CellError as exc:
                errors.add(column, str(exc))
    return data


@dataclass(slots=True)
class Person:
    contact: Contact
    is_new: bool
    changed: set[str] = field(default_factory=set)


@dataclass(slots=True)
class ContactPlan:
    """What the import will write: new contacts, and existing ones it fills in."""

    new: list[Contact] = field(default_factory=list)
    updated: list[Contact] = field(default_factory=list)
    updated_fields: set[str] = field(default_factory=set)
    merged_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    dropped: list[RowError] = field(default_factory=list)  # values left out of kept rows

    def summary(self) -> dict[str, int]:
        return {
            "created": len(self.new),
            "updated": len(self.updated),
            "merged_rows": self.merged_rows,
        }


class PeopleIndex:
    """Finds the person a row is about among existing contacts and rows already read."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        self.by_email: dict[str, Person] = {}
        self.by_url: dict[str, Person] = {}
        self.by_name: dict[tuple[str, str], list[Person]] = {}
        for contact in contacts:
            self.add(Person(contact, is_new=False))

    def add(self, person: Person) -> None:
        c = person.contact
        if c.email:
            self.by_email[c.email] = person
        if c.linkedin_url:
            self.by_url[c.linkedin_url] = person
        if not c.email and not c.linkedin_url:
            same = self.by_name.setdefault((c.name.casefold(), c.company_key), [])
            if not any(p is person for p in same):  # a merge re-adds the same person
                same.append(person)

    def find(self, *, email: str, url: str, name: str, company: str) -> tuple[Person | None, str]:
        """The matching person, or an explanation when email and URL point at two people."""
        by_email = self.by_email.get(email) if email else None
        by_url = self.by_url.get(url) if url else None
        if by_email and by_url and by_email is not by_url:
            return None, (
                f"The email belongs to {by_email.contact.name} but the LinkedIn URL to "
                f"{by_url.contact.name}; fix one of them."
            )
        if by_email or by_url:
            return by_email or by_url, ""
        if not email and not url:
            same = self.by_name.get((name.casefold(), company_key(company)), [])
            if len(same) == 1:
                return same[0], ""
        return None, ""


def _merge(person: Person, clean: dict[str, Any], index: PeopleIndex) -> None:
    """Fill what the contact lacks; the first value recorded wins."""
    c = person.contact
    for name in _FILLABLE:
        value = clean.get(name)
        if value and not getattr(c, name):
            setattr(c, name, value)
            person.changed.add(name)
    if clean.get("tags") and set(clean["tags"]) - set(c.tags):
        c.tags = sorted(set(c.tags) | set(clean["tags"]))
        person.changed.add("tags")
    for flag in ("is_hiring_authority", "is_key_influencer"):
        if clean.get(flag) and not getattr(c, flag):
            setattr(c, flag, True)
            person.changed.add(flag)
    if person.is_new:  # a person first seen in this file takes the first specific value
        for name, unset in (("how_met", HowMet.OTHER), ("willingness", Willingness.UNKNOWN)):
            if clean.get(name, unset) != unset and getattr(c, name) == unset:
                setattr(c, name, clean[name])
    index.add(person)


def plan_contacts(
    table: Table,
    *,
    kind: str,
    client: Client,
    now: datetime,
    progress: Callable[[int], None] = lambda done: None,
    forgiving: bool = False,
) -> ContactPlan:
    """Validate every row and work out the merge, without writing anything. `forgiving` keeps a
    row whose only problems are in values it can do without (everything but the name): those
    values are left out and listed in `dropped`."""
    plan = ContactPlan(errors=list(table.errors))
    index = PeopleIndex(Contact.objects.filter(client=client))
    columns = _COLUMNS.get(kind)
    for done, (line, cells) in enumerate(table.rows, start=1):
        errors = Errors()
        typed = _typed(kind, cells, errors)
        clean = clean_contact_fields(errors, typed, client=client, now=now)
        if forgiving and errors.by_field and "name" not in errors:
            kept = {
                k: v
                for k, v in typed.items()
                if k not in errors and _FIELD_OF.get(k, k) not in errors
            }
            retry = Errors()
            clean = clean_contact_fields(retry, kept, client=client, now=now)
            if not retry.by_field:
                plan.dropped.extend(row_errors(line, errors, columns=columns))
                errors = retry
        if not errors.by_field:
            person, conflict = index.find(
                email=clean.get("email", ""),
                url=clean.get("linkedin_url", ""),
                name=clean["name"],
                company=clean.get("company", ""),
            )
            if conflict:
                errors.add("email", conflict)
            elif person is None:
                person = Person(Contact(client=client, **clean), is_new=True)
                plan.new.append(person.contact)
                index.add(person)
            else:
                plan.merged_rows += 1
                already_queued = bool(person.changed)
                _merge(person, clean, index)
                if not person.is_new and person.changed:
                    plan.updated_fields |= person.changed
                    if not already_queued:
                        plan.updated.append(person.contact)
        plan.errors.extend(row_errors(line, errors, columns=columns))
        if done % 2000 == 0:
            progress(done)
    return plan
