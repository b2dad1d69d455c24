"""Two records of one person become one, keeping every record of both.

Everything that pointed at the duplicate (interactions, follow-ups, meetings, introductions,
feedback) now points at the contact kept; what the kept contact leaves empty is filled from the
duplicate, flags are kept if either had them, tags are joined and notes put one after the other.
The duplicate then goes: a tombstone for the deletions feed and `record.deleted` for the webhooks,
and one `contact.merged` on the timeline saying what came from where.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from coaching.access import ensure_can_write
from coaching.choices import HowMet, Willingness
from coaching.events import record_deleted_announce
from coaching.models import Contact, Feedback, FollowUp, Interaction, Introduction, Meeting
from coaching.services.activity import activity_record, apply_changes, save_changes
from coaching.validation import Errors

_FILLED = ("company", "company_key", "title", "email", "linkedin_url")


def _merged_fields(keep: Contact, duplicate: Contact) -> dict[str, Any]:
    """The kept contact's fields after taking in the duplicate."""
    fields: dict[str, Any] = {f: getattr(keep, f) or getattr(duplicate, f) for f in _FILLED}
    fields["is_hiring_authority"] = keep.is_hiring_authority or duplicate.is_hiring_authority
    fields["is_key_influencer"] = keep.is_key_influencer or duplicate.is_key_influencer
    fields["how_met"] = keep.how_met if keep.how_met != HowMet.OTHER else duplicate.how_met
    days = [d for d in (keep.first_met_on, duplicate.first_met_on) if d is not None]
    fields["first_met_on"] = min(days) if days else None
    fields["willingness"] = (
        keep.willingness if keep.willingness != Willingness.UNKNOWN else duplicate.willingness
    )
    fields["tags"] = sorted({*keep.tags, *duplicate.tags})
    extra = [duplicate.notes.strip()] if duplicate.notes.strip() else []
    for field in ("email", "linkedin_url"):
        theirs = getattr(duplicate, field)
        if theirs and theirs != fields[field]:
            extra.append(f"Also: {theirs}")  # a second address is kept, not lost
    fields["notes"] = "\n".join(filter(None, [keep.notes.strip(), *extra]))
    return fields


@transaction.atomic
def contact_merge(
    *, keep: Contact, duplicate: Contact, actor: User, now: datetime | None = None
) -> Contact:
    """Merge `duplicate` into `keep` (two contacts of the same search)."""
    now = now or timezone.now()
    client = keep.client
    ensure_can_write(actor=actor, client=client)
    errors = Errors()
    errors.belongs("duplicate", duplicate, client)
    if duplicate.pk == keep.pk:
        errors.add("duplicate", "Choose another contact: a contact cannot be merged with itself.")
    errors.raise_if_any()
    between = Introduction.objects.filter(
        Q(introducer=keep, target=duplicate) | Q(introducer=duplicate, target=keep)
    ).first()
    if between is not None:
        errors.add(
            "duplicate",
            f"{between.introducer.name} introduced the client to {between.target.name}: two "
            "people, not one. Remove that introduction first if it was recorded by mistake.",
        )
    errors.raise_if_any()
    moved = {
        "interactions": Interaction.objects.filter(contact=duplicate).update(contact=keep),
        "follow_ups": FollowUp.objects.filter(contact=duplicate).update(contact=keep),
        "meetings": Meeting.objects.filter(contact=duplicate).update(contact=keep),
        "feedback": Feedback.objects.filter(contact=duplicate).update(contact=keep),
        "introductions": Introduction.objects.filter(introducer=duplicate).update(introducer=keep)
        + Introduction.objects.filter(target=duplicate).update(target=keep),
    }
    fields = _merged_fields(keep, duplicate)
    duplicate_id, duplicate_name = duplicate.pk, duplicate.name
    duplicate.delete()  # first: its email and LinkedIn address may move to `keep`
    changed, diff = apply_changes(keep, fields)
    save_changes(keep, changed)
    diff.pop("company_key", None)
    activity_record(
        client=client,
        actor=actor,
        verb="contact.merged",
        subject=keep,
        changes={
            "merged": {"id": duplicate_id, "name": duplicate_name},
            "moved": moved,
            **diff,
        },
        at=now,
    )
    record_deleted_announce(
        record_type="contact", record_id=duplicate_id, client_id=client.pk, deleted_at=now
    )
    return keep
