"""Deleting a contact, a client's search and account, or the whole practice.

- A contact goes at once, with everything that is only about them: their interactions,
  meetings, follow-ups and the introductions they were part of. The timeline keeps one entry per
  change, each now saying "a deleted contact" and nothing else; every copy of their name, email
  or LinkedIn address elsewhere is replaced (`redaction`). The diagnostics stop counting those
  interactions: see docs/data.md ("Deleting a contact") for why.
- A client's search and account are scheduled: for GRACE_DAYS the search stays visible to the
  coach and the owner, marked "scheduled for deletion" with the date and an Undo, and the client
  cannot sign in. Then the sweep deletes every record of the search, the client's account and
  everything of theirs, and erases them from the audit log (`audit_erase_person`).
- The practice is scheduled the same way by the owner (who types its name to confirm); when the
  grace period ends, `coaching.lifecycle.practice_drop` cancels the subscription and drops it.

Who may: a contact, anyone who may write to that search (the client, their coach, the owner); a
client, their coach or the owner (the client asks them; they see it but may not: 403); the
practice, the owner. Outside one's scope everything is "not found".
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Invitation, Role, User
from accounts.sessions import sessions_end_all
from audit.actions import AuditAction
from audit.services import audit_erase_person, audit_record
from coaching.access import NotFound, ensure_can_coach, ensure_can_write
from coaching.capture.models import CapturedEvent, CapturedInteraction, InboundAddress, InboundMail
from coaching.events import record_deleted_announce
from coaching.insights.models import FindingDisposition, WeeklySnapshot
from coaching.lifecycle import tombstones
from coaching.lifecycle.exports import export_files_remove
from coaching.lifecycle.models import (
    DeletionKind,
    DeletionReason,
    DeletionRequest,
    DeletionStatus,
    ExportJob,
)
from coaching.lifecycle.redaction import (
    CLIENT_LABEL,
    CONTACT_LABEL,
    needles_of,
    redact,
    unshared_name_parts,
)
from coaching.lifecycle.selectors import client_deletion_scheduled, practice_deletion_scheduled
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
from coaching.services.activity import activity_record
from integrations.models import IdempotencyRecord
from notifications.models import Notification
from tenants.context import active_practice

GRACE_DAYS = 30
PURGE_CHUNK = 1000

# A search's records, deleted in this order (what points at a record goes before it).
SEARCH_MODELS: tuple[type[models.Model], ...] = (
    CapturedInteraction,
    CapturedEvent,
    InboundMail,
    InboundAddress,
    FollowUp,
    Meeting,
    Interaction,
    Introduction,
    Feedback,
    Application,
    Contact,
    PresentationCheck,
    FindingDisposition,
    WeeklySnapshot,
    ImportJob,
    ExportJob,
    ActivityEvent,
)


def grace() -> timedelta:
    return timedelta(days=GRACE_DAYS)


def day(at: datetime) -> str:
    """A moment as the day it falls on in the practice's time zone, in words."""
    local = timezone.localtime(at, ZoneInfo(active_practice().time_zone))
    return f"{local:%B} {local.day}, {local.year}"


def _erase_history(*, client: Client, subjects: dict[str, Iterable[int]], label: str) -> None:
    """The timeline keeps its entries about these records, saying only `label`."""
    about = Q()
    for subject_type, ids in subjects.items():
        about |= Q(subject_type=subject_type, subject_id__in=list(ids))
    ActivityEvent.objects.filter(about, client=client).update(changes={"erased": label})


# --- contacts ----------------------------------------------------------------------------------


@transaction.atomic
def contact_delete(
    *, contact: Contact, actor: User, now: datetime | None = None
) -> DeletionRequest:
    """Delete a contact now, with everything only about them, leaving nothing readable of them."""
    now = now or timezone.now()
    client = (
        Client.objects.select_for_update().select_related("user", "coach").get(pk=contact.client_id)
    )
    ensure_can_write(actor=actor, client=client)
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    needles = needles_of(contact.name, contact.email, contact.linkedin_url)
    contact_name = contact.name
    introductions = Introduction.objects.filter(Q(introducer=contact) | Q(target=contact))
    subjects = {
        "contact": [contact.pk],
        "interaction": contact.interactions.values_list("pk", flat=True),
        "meeting": contact.meetings.values_list("pk", flat=True),
        "follow_up": contact.follow_ups.values_list("pk", flat=True),
        "introduction": introductions.values_list("pk", flat=True),
    }
    _erase_history(client=client, subjects=subjects, label=CONTACT_LABEL)
    activity_record(
        client=client,
        actor=actor,
        verb="contact.deleted",
        subject=contact,
        changes={"erased": CONTACT_LABEL},
        at=now,
    )
    contact_id = contact.pk
    with tombstones.batched(coach_id=client.coach_id):
        introductions.delete()
        contact.delete()  # its interactions, meetings and follow-ups go with it
    redact(needles=needles, label=CONTACT_LABEL, client_id=client.pk)
    # A note saying just "Jane" means this Jane, unless someone else in the search is a Jane.
    others = [*Contact.objects.filter(client=client).values_list("name", flat=True)]
    others += [client.user.name, client.coach.name]
    alone = unshared_name_parts(contact_name, others=others)
    redact(needles=alone, label=CONTACT_LABEL, client_id=client.pk, shared=False)
    request = DeletionRequest.objects.create(
        kind=DeletionKind.CONTACT,
        record_id=contact_id,
        client_id=client.pk,
        coach_id=client.coach_id,
        status=DeletionStatus.DONE,
        requested_by=actor,
        requested_at=now,
        due_at=now,
        done_at=now,
    )
    audit_record(
        action=AuditAction.DELETION_DONE,
        actor=actor,
        target=request,
        target_label=CONTACT_LABEL,
        details={"kind": DeletionKind.CONTACT, "contact": contact_id, "client": client.pk},
    )
    record_deleted_announce(
        record_type="contact", record_id=contact_id, client_id=client.pk, deleted_at=now
    )
    return request


# --- clients -----------------------------------------------------------------------------------


def client_deletion_start(
    *,
    client: Client,
    actor: User | None,
    now: datetime,
    reason: str = DeletionReason.REQUESTED,
    ended_on: date | None = None,
) -> DeletionRequest:
    """The grace period starts: the client is signed out and cannot sign in until it is undone.
    No scope check here: the caller has decided (a member, through `client_deletion_schedule`,
    or the retention rule)."""
    user = User.objects.select_for_update().get(pk=client.user_id)
    was_active = user.is_active
    if was_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    sessions_end_all(user=user)
    request = DeletionRequest.objects.create(
        kind=DeletionKind.CLIENT,
        record_id=client.pk,
        client_id=client.pk,
        coach_id=client.coach_id,
        reason=reason,
        status=DeletionStatus.SCHEDULED,
        requested_by=actor,
        requested_at=now,
        due_at=now + grace(),
        user_was_active=was_active,
        ended_on=ended_on,
    )
    activity_record(
        client=client,
        actor=actor,
        verb="client.deletion_scheduled",
        subject=client,
        changes={"due_at": request.due_at, "reason": reason},
        at=now,
    )
    audit_record(
        action=AuditAction.DELETION_REQUESTED,
        actor=actor,
        target=client,
        target_label=user.email,
        details={"kind": DeletionKind.CLIENT, "due_at": request.due_at.isoformat()},
    )
    return request


@transaction.atomic
def client_deletion_schedule(
    *, client: Client, actor: User, now: datetime | None = None
) -> DeletionRequest:
    """Schedule the client's search and account for deletion after the grace period."""
    now = now or timezone.now()
    ensure_can_coach(actor=actor, client=client)
    client = Client.objects.select_for_update().get(pk=client.pk)
    scheduled = client_deletion_scheduled(client=client)
    if scheduled is not None:
        raise ValidationError(
            {
                "client": [
                    f"This search is already scheduled for deletion on {day(scheduled.due_at)}."
                ]
            }
        )
    return client_deletion_start(client=client, actor=actor, now=now)


def _scheduled_request(request: DeletionRequest, kind: str) -> DeletionRequest:
    locked = DeletionRequest.objects.select_for_update().get(pk=request.pk)
    if locked.kind != kind:
        raise NotFound("No such deletion request.")
    if locked.status != DeletionStatus.SCHEDULED:
        words = "already done" if locked.status == DeletionStatus.DONE else "already undone"
        raise ValidationError({"status": [f"This deletion is {words}."]})
    return locked


@transaction.atomic
def client_deletion_cancel(
    *, request: DeletionRequest, actor: User, now: datetime | None = None
) -> DeletionRequest:
    """Undo within the grace period: the search is kept and the client can sign in again (if
    they could before). An undone retention deletion is not scheduled again for that landing."""
    now = now or timezone.now()
    client = Client.objects.filter(pk=request.record_id or 0).select_related("user").first()
    if client is None:
        raise NotFound("No such client.")
    ensure_can_coach(actor=actor, client=client)
    request = _scheduled_request(request, DeletionKind.CLIENT)
    if request.user_was_active:
        user = User.objects.select_for_update().get(pk=client.user_id)
        user.is_active = True
        user.save(update_fields=["is_active"])  # remembered API keys acting as them are dropped
    request.status = DeletionStatus.CANCELLED
    request.cancelled_at = now
    request.cancelled_by = actor
    request.save(update_fields=["status", "cancelled_at", "cancelled_by", "updated_at"])
    activity_record(
        client=client, actor=actor, verb="client.deletion_cancelled", subject=client, at=now
    )
    audit_record(
        action=AuditAction.DELETION_CANCELLED,
        actor=actor,
        target=client,
        target_label=client.user.email,
        details={"kind": DeletionKind.CLIENT},
    )
    return request


def _delete_in_chunks(rows: models.QuerySet[models.Model]) -> None:
    while pks := list(rows.values_list("pk", flat=True)[:PURGE_CHUNK]):
        rows.model._default_manager.filter(pk__in=pks).delete()


def _person_labels(user: User) -> list[str]:
    return [label for label in (user.email, user.name) if label]


def _forget_account(user: User) -> None:
    """The client's account and everything that is only theirs (emails sent to them,
    invitations that named them, remembered API answers, sessions)."""
    sessions_end_all(user=user)
    Notification.objects.filter(Q(user=user) | Q(to_email__iexact=user.email)).delete()
    Invitation.objects.filter(Q(accepted_user=user) | Q(email__iexact=user.email)).delete()
    IdempotencyRecord.objects.filter(actor=user).delete()
    user.delete()  # sign-in addresses, two-step devices, API keys and preferences go with it


def client_purge(*, request_id: int, now: datetime | None = None) -> bool:
    """Run one scheduled client deletion whose grace period is over: every record of the
    search, the client's account (a client-role account only), their traces in the audit log
    and every copy of their and their contacts' names elsewhere. Returns whether it ran."""
    now = now or timezone.now()
    with transaction.atomic():
        request = (
            DeletionRequest.objects.select_for_update(skip_locked=True)
            .filter(
                pk=request_id,
                kind=DeletionKind.CLIENT,
                status=DeletionStatus.SCHEDULED,
                due_at__lte=now,
            )
            .first()
        )
        if request is None:
            return False
        client = (
            Client.objects.select_for_update()
            .select_related("user")
            .filter(pk=request.record_id or 0)
            .first()
        )
        if client is not None:
            _purge_search(client=client, now=now)
        request.status = DeletionStatus.DONE
        request.done_at = now
        request.save(update_fields=["status", "done_at", "updated_at"])
        audit_record(
            action=AuditAction.DELETION_DONE,
            actor=None,
            target=request,
            target_label=CLIENT_LABEL,
            details={"kind": DeletionKind.CLIENT, "client": request.record_id},
        )
        record_deleted_announce(
            record_type="client",
            record_id=request.record_id or 0,
            client_id=request.record_id,
            deleted_at=now,
        )
    return True


def _purge_search(*, client: Client, now: datetime) -> None:
    user = client.user
    needles = needles_of(user.email, user.name)
    contacts = Contact.objects.filter(client=client).values_list("name", "email", "linkedin_url")
    contact_needles = needles_of(*(value for row in contacts for value in row))
    export_files_remove(client=client)
    with tombstones.batched(coach_id=client.coach_id):
        for model in SEARCH_MODELS:
            _delete_in_chunks(model._default_manager.filter(client=client))
        client.delete()
    if user.role == Role.CLIENT:
        audit_erase_person(user_id=user.pk, labels=_person_labels(user))
        _forget_account(user)
    # The search's own rows are gone; other searches keep what their people wrote.
    redact(needles=needles, label=CLIENT_LABEL, searches=False)
    redact(needles=contact_needles, label=CONTACT_LABEL, searches=False)


def client_deletions_due(*, now: datetime | None = None) -> list[int]:
    return list(
        DeletionRequest.objects.filter(
            kind=DeletionKind.CLIENT,
            status=DeletionStatus.SCHEDULED,
            due_at__lte=now or timezone.now(),
        )
        .order_by("due_at", "pk")
        .values_list("pk", flat=True)
    )


# --- the practice -----------------------------------------------------------------------------


def _owner_only(actor: User) -> None:
    if not (actor.is_active and actor.is_owner):
        raise NotFound("No such page.")


def _tell_owners(*, subject: str, message: str) -> None:
    owners = list(
        User.objects.filter(role=Role.OWNER, is_active=True).values_list("email", flat=True)
    )
    if owners:
        transaction.on_commit(
            lambda: send_mail(
                subject=subject, message=message, from_email=None, recipient_list=owners
            )
        )


@transaction.atomic
def practice_deletion_schedule(
    *, actor: User, confirm_name: str, now: datetime | None = None
) -> DeletionRequest:
    """The owner schedules the practice's deletion, typing its name to confirm."""
    now = now or timezone.now()
    _owner_only(actor)
    practice = active_practice()
    if confirm_name.strip() != practice.name.strip():
        raise ValidationError(
            {"confirm_name": [f"Type the practice's name exactly as shown: {practice.name}."]}
        )
    scheduled = practice_deletion_scheduled()
    if scheduled is not None:
        raise ValidationError(
            {
                "confirm_name": [
                    f"The practice is already scheduled for deletion on {day(scheduled.due_at)}."
                ]
            }
        )
    request = DeletionRequest.objects.create(
        kind=DeletionKind.PRACTICE,
        status=DeletionStatus.SCHEDULED,
        requested_by=actor,
        requested_at=now,
        due_at=now + grace(),
    )
    audit_record(
        action=AuditAction.DELETION_REQUESTED,
        actor=actor,
        target=request,
        target_label=practice.name,
        details={"kind": DeletionKind.PRACTICE, "due_at": request.due_at.isoformat()},
    )
    _tell_owners(
        subject=f"{practice.name} will be deleted on {day(request.due_at)}",
        message=(
            f"{actor} asked Warmpath to delete the practice {practice.name} and all its data.\n\n"
            f"It will be deleted on {day(request.due_at)}. Until then nothing changes, and "
            "an owner can undo this in Settings → Your data. Export the data there first if "
            "you want to keep a copy.\n\n"
            "If you did not expect this, undo it now."
        ),
    )
    return request


@transaction.atomic
def practice_deletion_cancel(
    *, request: DeletionRequest, actor: User, now: datetime | None = None
) -> DeletionRequest:
    _owner_only(actor)
    request = _scheduled_request(request, DeletionKind.PRACTICE)
    request.status = DeletionStatus.CANCELLED
    request.cancelled_at = now or timezone.now()
    request.cancelled_by = actor
    request.save(update_fields=["status", "cancelled_at", "cancelled_by", "updated_at"])
    practice = active_practice()
    audit_record(
        action=AuditAction.DELETION_CANCELLED,
        actor=actor,
        target=request,
        target_label=practice.name,
        details={"kind": DeletionKind.PRACTICE},
    )
    _tell_owners(
        subject=f"{practice.name} will not be deleted",
        message=f"{actor} undid the deletion of {practice.name}. Nothing was deleted.",
    )
    return request


def practice_deletion_due(*, now: datetime | None = None) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(
        kind=DeletionKind.PRACTICE,
        status=DeletionStatus.SCHEDULED,
        due_at__lte=now or timezone.now(),
    ).first()


def deletion_request_cancel(
    *, request: DeletionRequest, actor: User, now: datetime | None = None
) -> DeletionRequest:
    """Undo a scheduled deletion of either kind (a contact's is never scheduled)."""
    if request.kind == DeletionKind.PRACTICE:
        return practice_deletion_cancel(request=request, actor=actor, now=now)
    if request.kind == DeletionKind.CLIENT:
        return client_deletion_cancel(request=request, actor=actor, now=now)
    raise ValidationError({"status": ["A contact is deleted at once; there is nothing to undo."]})
