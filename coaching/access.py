"""Who may see and change which client's search: the one place scope is decided.

Inside a practice, a client user sees only their own search, a coach the clients assigned to them,
the owner every client. Every selector and service that takes an `actor` goes through here.

`NotFound` is the same for "does not exist" and "not yours", so ids outside one's scope reveal
nothing. It subclasses `Http404` so that Django views and DRF both answer 404 without any
per-view handling.
"""

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from accounts.models import Role, User
from coaching.models import Client

M = TypeVar("M", bound=Model)


class NotFound(Http404):
    """The record does not exist, or the actor may not see it; callers cannot tell which."""


def client_queryset_for(
    *, actor: User, clients: QuerySet[Client] | None = None
) -> QuerySet[Client]:
    """The clients `actor` may see, from `clients` (all of them unless a prepared queryset of
    every client, e.g. an annotated one, is given). Inactive or unknown users see nothing."""
    clients = Client.objects.all() if clients is None else clients
    assert clients.model is Client
    if not actor.is_active or actor.pk is None:
        return clients.none()
    if actor.role == Role.OWNER:
        return clients
    if actor.role == Role.COACH:
        return clients.filter(coach_id=actor.pk)
    if actor.role == Role.CLIENT:
        return clients.filter(user_id=actor.pk)
    return clients.none()


def client_get_for(*, actor: User, client_id: int) -> Client:
    try:
        return client_queryset_for(actor=actor).select_related("user", "coach").get(pk=client_id)
    except (Client.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound("No such client.") from exc


def scoped(queryset: QuerySet[M], *, actor: User) -> QuerySet[M]:
    """Any per-client record (it has a `client` foreign key), limited to `actor`'s clients."""
    return queryset.filter(client__in=client_queryset_for(actor=actor))


def record_get_for(queryset: QuerySet[M], *, actor: User, pk: int) -> M:
    """One per-client record by id, or `NotFound` (missing and out of scope look the same)."""
    try:
        return scoped(queryset, actor=actor).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(f"No such {queryset.model._meta.verbose_name}.") from exc


ARCHIVED_READ_ONLY = (
    "Your search is archived: it can be read, not changed. Ask your coach to restore it."
)


def ensure_can_write(*, actor: User, client: Client) -> None:
    """Anyone who can see a search may record its activity (a client logs their own outreach),
    except the client of an archived search, which is read-only for them (403)."""
    found = client_queryset_for(actor=actor).filter(pk=client.pk).values_list("archived_at")
    row = found.first()
    if row is None:
        raise NotFound("No such client.")
    if row[0] is not None and actor.role == Role.CLIENT:
        raise PermissionDenied(ARCHIVED_READ_ONLY)


def ensure_can_coach(*, actor: User, client: Client) -> None:
    """Judgements (verdicts, fit ratings, checklist, feedback, thresholds) are the coach's.

    The client may see their own search, so refusing them is a 403, not a 404.
    """
    ensure_can_write(actor=actor, client=client)
    if actor.role not in (Role.OWNER, Role.COACH):
        raise PermissionDenied("Only the client's coach can change this.")
