"""Moving a coach's whole caseload to another coach in one action (the owner's, e.g. before a
coach is deactivated or leaves)."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts.models import Role, User
from coaching.models import Client
from coaching.services.clients import client_reassign


@transaction.atomic
def caseload_reassign(*, actor: User, from_coach: User, to_coach: User) -> int:
    """Give every client of `from_coach` (any status: paused and landed too) to `to_coach`,
    each with its own timeline entry, all or none. Returns how many moved."""
    if actor.role != Role.OWNER or not actor.is_active:
        raise PermissionDenied("Only the practice owner can reassign clients.")
    if to_coach.pk == from_coach.pk:
        raise ValidationError({"coach": ["Choose another coach than the one they have now."]})
    if to_coach.role not in (Role.OWNER, Role.COACH) or not to_coach.is_active:
        raise ValidationError({"coach": ["Clients can only go to an active coach or owner."]})
    clients = list(Client.objects.select_for_update().filter(coach=from_coach).order_by("pk"))
    for client in clients:
        client_reassign(client=client, actor=actor, coach=to_coach)
    return len(clients)
