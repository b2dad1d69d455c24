"""The practice's profile, the owner's to change: its name, time zone and logo."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from audit.actions import AuditAction
from audit.services import audit_record
from coaching.timezones import is_time_zone
from tenants.branding import logo_checked
from tenants.models import Practice, PracticeLogo

NAME_MAX_LENGTH = 120


@transaction.atomic
def practice_profile_update(
    *,
    actor: User,
    practice: Practice,
    name: str,
    time_zone: str,
    logo: bytes | None = None,
    remove_logo: bool = False,
) -> Practice:
    """Change the name and time zone; a new logo (checked: type and size) replaces the old one,
    `remove_logo` drops it. Everything is checked before anything changes."""
    if not actor.is_owner or not actor.is_active:
        raise PermissionDenied("Only the practice owner can change the practice's profile.")
    errors: dict[str, list[str]] = {}
    name = " ".join(name.split())
    if not name:
        errors["name"] = ["Give the practice a name."]
    elif len(name) > NAME_MAX_LENGTH:
        errors["name"] = [f"Use at most {NAME_MAX_LENGTH} characters."]
    if not is_time_zone(time_zone):
        errors["time_zone"] = [f"{time_zone!r} is not a time zone; choose one from the list."]
    content_type = ""
    if logo is not None:
        try:
            content_type = logo_checked(data=logo)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    practice = Practice.objects.select_for_update().get(pk=practice.pk)
    changes: dict[str, object] = {}
    if practice.name != name:
        changes["name"] = [practice.name, name]
        practice.name = name
    if practice.time_zone != time_zone:
        changes["time_zone"] = [practice.time_zone, time_zone]
        practice.time_zone = time_zone
    if logo is not None:
        PracticeLogo.objects.update_or_create(
            practice=practice, defaults={"image": logo, "content_type": content_type}
        )
        practice.logo_updated_at = timezone.now()
        changes["logo"] = "replaced"
    elif remove_logo and practice.logo_updated_at is not None:
        PracticeLogo.objects.filter(practice=practice).delete()
        practice.logo_updated_at = None
        changes["logo"] = "removed"
    if changes:
        practice.save(update_fields=["name", "time_zone", "logo_updated_at"])
        audit_record(
            action=AuditAction.PRACTICE_PROFILE_CHANGED,
            actor=actor,
            target_label=practice.name,
            details=changes,
        )
    return practice
