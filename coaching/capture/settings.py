"""The practice's capture settings (one row per practice)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction

from accounts.models import Role, User
from coaching.capture.models import CaptureSettings


def capture_settings_get() -> CaptureSettings:
    found = CaptureSettings.objects.filter(singleton=True).first()
    return found or CaptureSettings(store_message_content=False)


@transaction.atomic
def capture_settings_set(*, actor: User, store_message_content: bool) -> CaptureSettings:
    """Only the owner decides whether message text is kept; it applies to what is captured
    from now on (text captured earlier stays as it was captured)."""
    if actor.role != Role.OWNER or not actor.is_active:
        raise PermissionDenied("Only the practice owner changes this.")
    settings, _ = CaptureSettings.objects.select_for_update().get_or_create(singleton=True)
    settings.store_message_content = store_message_content
    settings.updated_by = actor
    settings.save()
    return settings
