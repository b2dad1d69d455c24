"""Writes to a client's contacts. Email and LinkedIn URL identify a person: no two contacts of one
client share either, so a hand-typed contact and an imported one cannot double up."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.access import ensure_can_write
from coaching.choices import HowMet, Willingness
from coaching.models import Client, Contact
from coaching.normalize import clean_text, company_key, email_key, linkedin_key
from coaching.services.activity import activity_record, apply_changes, field_values, save_changes
from coaching.validation import Errors, unknown_fields

CONTACT_FIELDS = (
    "name",
    "company",
    "title",
    "email",
    "linkedin_url",
    "is_hiring_authority",
    "is_key_influencer",
    "how_met",
    "first_met_on",
    "willingness",
    "tags",
    "notes",
)
_LENGTHS = {"name": 200, "company": 200, "title": 200, "email": 254, "linkedin_url": 300}


def clean_contact_fields(
    errors: Errors, data: dict[str, Any], *, client: Client, now: datetime
) -> dict[str, Any]:
    """Validate and normalize the contact fields present in `data`. Pure: no queries, so the
    importer can run it on every row of a large file."""
    clean: dict[str, Any] = {}
    for field in ("name", "company", "title"):
        if field in data:
            clean[field] = clean_text(str(data[field] or ""))
    if "name" in clean and not clean["name"]:
        errors.add("name", "A contact needs a name.")
    if "company" in clean:
        clean["company_key"] = company_key(clean["company"])
    if "email" in data:
        clean["email"] = email_key(str(data["email"] or ""))
        if clean["email"]:
            try:
                validate_email(clean["email"])
            except ValidationError:
                errors.add("email", f"{clean['email']!r} is not a valid email address.")
    if "linkedin_url" in data:
        clean["linkedin_url"] = linkedin_key(str(data["linkedin_url"] or ""))
        if clean["linkedin_url"] and not clean["linkedin_url"].startswith(
            "https://www.linkedin.com/"
        ):
            errors.add("linkedin_url", "Expected a linkedin.com profile address.")
    for field, limit in _LENGTHS.items():
        if field in clean:
            errors.max_length(field, clean[field], limit)
    for flag in ("is_hiring_authority", "is_key_influencer"):
        if flag in data:
            if not isinstance(data[flag], bool):
                errors.add(flag, "Expected true or false.")
            clean[flag] = data[flag]
    if "how_met" in data:
        errors.choice("how_met", data["how_met"], HowMet)
        clean["how_met"] = data["how_met"]
    if "willingness" in data:
        errors.choice("willingness", data["willingness"], Willingness)
        clean["willingness"] = data["willingness"]
    if "first_met_on" in data:
        errors.day_not_future("first_met_on", data["first_met_on"], client=client, now=now)
        clean["first_met_on"] = data["first_met_on"]
    if "tags" in data:
        clean["tags"] = sorted(set(errors.strings("tags", data["tags"])))
    if "notes" in data:
        clean["notes"] = str(data["notes"] or "").strip()
    return clean


def _check_unique(
    errors: Errors, *, client: Client, clean: dict[str, Any], exclude_pk: int | None = None
) -> None:
    others = Contact.objects.filter(client=client)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    for field in ("email", "linkedin_url"):
        value = clean.get(field)
        if value and field not in errors:
            existing = others.filter(**{field: value}).only("name").first()
            if existing is not None:
                errors.add(field, f"{existing.name} already has this {field.replace('_', ' ')}.")


@transaction.atomic
def contact_create(
    *,
    client: Client,
    actor: User,
    name: str,
    company: str = "",
    title: str = "",
    email: str = "",
    linkedin_url: str = "",
    is_hiring_authority: bool = False,
    is_key_influencer: bool = False,
    how_met: str = HowMet.OTHER,
    first_met_on: date | None = None,
    willingness: str = Willingness.UNKNOWN,
    tags: Sequence[str] = (),
    notes: str = "",
    now: datetime | None = None,
) -> Contact:
    now = now or timezone.now()
    ensure_can_write(actor=actor, client=client)
    data = {
        "name": name,
        "company": company,
        "title": title,
        "email": email,
        "linkedin_url": linkedin_url,
        "is_hiring_authority": is_hiring_authority,
        "is_key_influencer": is_key_influencer,
        "how_met": how_met,
        "first_met_on": first_met_on,
        "willingness": willingness,
        "tags": list(tags),
        "notes": notes,
    }
    errors = Errors()
    clean = clean_contact_fields(errors, data, client=client, now=now)
    _check_unique(errors, client=client, clean=clean)
    errors.raise_if_any()
    contact = Contact.objects.create(client=client, **clean)
    activity_record(
        client=client,
        actor=actor,
        verb="contact.created",
        subject=contact,
        changes=field_values(contact, CONTACT_FIELDS),
    )
    return contact


@transaction.atomic
def contact_update(
    *, contact: Contact, actor: User, data: dict[str, Any], now: datetime | None = None
) -> Contact:
    """Change any of `CONTACT_FIELDS`; only what really changed reaches the timeline."""
    now = now or timezone.now()
    client = contact.client
    ensure_can_write(actor=actor, client=client)
    errors = unknown_fields(data, CONTACT_FIELDS)
    clean = clean_contact_fields(errors, data, client=client, now=now)
    _check_unique(errors, client=client, clean=clean, exclude_pk=contact.pk)
    errors.raise_if_any()
    changed, diff = apply_changes(contact, clean)
    save_changes(contact, changed)
    diff.pop("company_key", None)
    if diff:
        activity_record(
            client=client, actor=actor, verb="contact.updated", subject=contact, changes=diff
        )
    return contact
