"""Reads for the coach's record pages: the choices a form offers and the applications board.

Each takes the acting user and goes through `coaching.access`, like `coaching.selectors`; the
board runs the same number of queries whatever the number of clients and applications.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet

from accounts.models import User
from coaching.access import client_queryset_for, scoped
from coaching.choices import ApplicationStatus
from coaching.models import Application, Client, Contact, Introduction

# The board's columns, in the order a search moves through them; `accepted` and `withdrawn`
# close an application and are listed under the board.
BOARD_STAGES: tuple[ApplicationStatus, ...] = (
    ApplicationStatus.APPLIED,
    ApplicationStatus.INTERVIEWING,
    ApplicationStatus.OFFER,
    ApplicationStatus.REJECTED,
    ApplicationStatus.SILENT,
)
CLOSED_STAGES: tuple[ApplicationStatus, ...] = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.WITHDRAWN,
)


def contacts_of(*, actor: User, client: Client) -> QuerySet[Contact]:
    """The client's contacts by name (a form's choices)."""
    return scoped(Contact.objects.filter(client=client), actor=actor).order_by("name", "pk")


def applications_of(*, actor: User, client: Client) -> QuerySet[Application]:
    """The client's applications, the latest first (a form's choices)."""
    return scoped(Application.objects.filter(client=client), actor=actor).order_by("-pk")


def offers_of(*, actor: User, client: Client) -> QuerySet[Application]:
    """The applications a landed client may have accepted: every one not turned down."""
    taken = (ApplicationStatus.REJECTED, ApplicationStatus.WITHDRAWN, ApplicationStatus.SILENT)
    return applications_of(actor=actor, client=client).exclude(status__in=taken)


def introductions_of(*, actor: User, client: Client) -> QuerySet[Introduction]:
    """The client's introductions with both people, the latest first."""
    return (
        scoped(Introduction.objects.filter(client=client), actor=actor)
        .select_related("introducer", "target", "application")
        .order_by("-pk")
    )


@dataclass
class BoardColumn:
    stage: ApplicationStatus
    cards: list[Application] = field(default_factory=list)


@dataclass
class Board:
    columns: list[BoardColumn]
    closed: list[Application]
    clients: int  # how many searches the board spans

    @property
    def total(self) -> int:
        return sum(len(c.cards) for c in self.columns) + len(self.closed)


def application_board(*, actor: User, client: Client | None = None) -> Board:
    """Applications by stage: one client's (`client`), or every client the actor may see (a
    coach's own, the owner's whole practice). One query."""
    clients = client_queryset_for(actor=actor)
    if client is not None:
        clients = clients.filter(pk=client.pk)
    else:  # the working board leaves archived searches out; each keeps its own board
        clients = clients.filter(archived_at__isnull=True)
    rows = (
        Application.objects.filter(client__in=clients)
        .select_related("client__user")
        .order_by("-updated_at", "-pk")
    )
    columns = {stage: BoardColumn(stage=stage) for stage in BOARD_STAGES}
    closed: list[Application] = []
    seen: set[int] = set()
    for application in rows:
        seen.add(application.client_id)
        column = columns.get(ApplicationStatus(application.status))
        (column.cards if column is not None else closed).append(application)
    return Board(columns=list(columns.values()), closed=closed, clients=len(seen))
