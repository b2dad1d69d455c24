"""Reads about the people of a practice (the owner's pages ask; the owner gate is the page's)."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import COACHING_ROLES, Invitation, User


def coaches_active() -> QuerySet[User]:
    """Who may coach a client: active owners and coaches."""
    return User.objects.filter(role__in=COACHING_ROLES, is_active=True)


def members_list() -> QuerySet[User]:
    """Everyone in the practice, the active first, by role and name."""
    return User.objects.order_by("-is_active", "role", "name")


def invitations_pending() -> QuerySet[Invitation]:
    return Invitation.objects.filter(accepted_at=None, revoked_at=None)


def member_get(*, member_id: int) -> User:
    member = User.objects.filter(pk=member_id).first()
    if member is None:
        raise Http404("No such member.")
    return member


def invitation_get(*, invitation_id: int) -> Invitation:
    invitation = Invitation.objects.select_related("invited_by").filter(pk=invitation_id).first()
    if invitation is None:
        raise Http404("No such invitation.")
    return invitation
