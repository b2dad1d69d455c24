"""Interactions from the generic interactions CSV.

Each row names its contact by email or LinkedIn URL (or, failing both, by name and company); a
contact that does not exist yet is created from `contact_name`. A row identical to an interaction
already recorded (same contact, time, channel, direction and kind), in the search or earlier in
the file, is skipped, so importing the same file twice changes nothing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from coaching.choices import Channel, Direction, HowMet, InteractionKind
from coaching.imports.cells import CellError, parse_choice, parse_moment
from coaching.imports.contacts import PeopleIndex, Person, row_errors
from coaching.imports.reading import RowError, Table
from coaching.models import Client, Contact, Interaction
from coaching.normalize import clean_text, email_key, linkedin_key
from coaching.services.contacts import clean_contact_fields
from coaching.services.interactions import check_interaction
from coaching.timezones import zone
from coaching.validation import Errors


@dataclass(slots=True)
class InteractionPlan:
    new_contacts: list[Contact] = field(default_factory=list)
    interactions: list[Interaction] = field(default_factory=list)
    duplicate_rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    dropped: list[RowError] = field(default_factory=list)  # values left out of kept rows

    def summary(self) -> dict[str, int]:
        return {
            "created": len(self.interactions),
            "contacts_created": len(self.new_contacts),
            "duplicate_rows": self.duplicate_rows,
        }


def _typed(cells: dict[str, str], *, client: Client, errors: Errors) -> dict[str, Any]:
    tz = zone(client.time_zone)
    data: dict[str, Any] = {"note": cells.get("note", "")}
    parsers: dict[str, Callable[[str], Any]] = {
        "occurred_at": lambda v: parse_moment(v, tz=tz),
        "replied_at": lambda v: parse_moment(v, tz=tz),
        "channel": lambda v: parse_choice(v, Channel),
        "direction": lambda v: parse_choice(v, Direction),
        "kind": lambda v: parse_choice(v, InteractionKind),
    }
    for column, parse in parsers.items():
        try:
            data[column] = parse(cells.get(column, ""))
        except CellError as exc:
            errors.add(column, str(exc))
    if "occurred_at" not in errors and data["occurred_at"] is None:
        errors.add("occurred_at", "Say when it happened.")
    return data


# A contact created from an interactions row obeys the contact rules, reported per column.
_NEW_CONTACT_COLUMNS = {
    "name": "contact_name",
    "company": "contact_company",
    "email": "contact_email",
    "linkedin_url": "contact_linkedin_url",
}


def _contact_for(
    cells: dict[str, str],
    *,
    client: Client,
    index: PeopleIndex,
    plan: InteractionPlan,
    errors: Errors,
    now: datetime,
) -> Contact | None:
    email = email_key(cells.get("contact_email", ""))
    url = linkedin_key(cells.get("contact_linkedin_url", ""))
    name = clean_text(cells.get("contact_name", ""))
    company = clean_text(cells.get("contact_company", ""))
    person, conflict = index.find(email=email, url=url, name=name, company=company)
    if conflict:
        errors.add("contact_email", conflict)
        return None
    if person is not None:
        return person.contact
    if not name:
        errors.add(
            "contact_name",
            "No contact has this email or LinkedIn URL; give contact_name to create one.",
        )
        return None
    problems = Errors()
    data = {"name": name, "company": company, "email": email, "linkedin_url": url}
    clean = clean_contact_fields(problems, data, client=client, now=now)
    for name_in_contact, messages in problems.by_field.items():
        for message in messages:
            errors.add(_NEW_CONTACT_COLUMNS[name_in_contact], message)
    if problems.by_field:
        return None
    contact = Contact(client=client, how_met=HowMet.OTHER, **clean)
    index.add(Person(contact, is_new=True))
    plan.new_contacts.append(contact)
    return contact


def _check(
    errors: Errors, data: dict[str, Any], *, client: Client, contact: Contact, now: datetime
) -> None:
    check_interaction(
        errors,
        client=client,
        contact=contact,
        occurred_at=data["occurred_at"],
        channel=data["channel"],
        direction=data["direction"],
        kind=data["kind"],
        replied_at=data.get("replied_at"),
        now=now,
    )


def plan_interactions(
    table: Table,
    *,
    client: Client,
    now: datetime,
    progress: Callable[[int], None] = lambda done: None,
    forgiving: bool = False,
) -> InteractionPlan:
    """Validate every row, resolve contacts and drop duplicates, without writing anything.
    `forgiving` keeps a row whose only problem is its reply date, without it (`dropped`)."""
    plan = InteractionPlan(errors=list(table.errors))
    index = PeopleIndex(Contact.objects.filter(client=client))
    seen: set[tuple[Any, ...]] = {
        (contact_id, occurred_at, channel, direction, kind)
        for contact_id, occurred_at, channel, direction, kind in Interaction.objects.filter(
            client=client
        ).values_list("contact_id", "occurred_at", "channel", "direction", "kind")
    }
    for done, (line, cells) in enumerate(table.rows, start=1):
        errors = Errors()
        data = _typed(cells, client=client, errors=errors)
        contact = _contact_for(cells, client=client, index=index, plan=plan, errors=errors, now=now)
        if contact is not None and not errors.by_field:
            _check(errors, data, client=client, contact=contact, now=now)
        if forgiving and contact is not None and set(errors.by_field) == {"replied_at"}:
            retry = Errors()
            data["replied_at"] = None
            _check(retry, data, client=client, contact=contact, now=now)
            if not retry.by_field:
                plan.dropped.extend(row_errors(line, errors))
                errors = retry
            else:  # skipped after all: list every problem of the row
                for name, messages in retry.by_field.items():
                    for message in messages:
                        errors.add(name, message)
        if not errors.by_field and contact is not None:
            key = (
                contact.pk or id(contact),
                data["occurred_at"],
                data["channel"],
                data["direction"],
                data["kind"],
            )
            if key in seen:
                plan.duplicate_rows += 1
            else:
                seen.add(key)
                plan.interactions.append(Interaction(client=client, contact=contact, **data))
        plan.errors.extend(row_errors(line, errors))
        if done % 2000 == 0:
            progress(done)
    return plan
