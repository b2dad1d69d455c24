"""Finding people: a client's contacts searched and paged, and "who do I know at X?" for one
client or, for the owner, across the practice.

Companies match on `Contact.company_key` (`coaching.normalize.company_key`: case, punctuation,
accents and legal forms do not count) by trigram similarity (PostgreSQL's pg_trgm, through its
GIN index), so "Acme, Inc.", "ACME" and "acme corp" find each other and "Acme Robotics" comes
close behind. Every read takes the acting user and goes through `coaching.access`: a coach finds
the contacts of the clients assigned to them, the owner every client's, a client their own.
"""

from dataclasses import dataclass
from enum import IntEnum

from django.contrib.postgres.search import TrigramSimilarity
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet, Value
from django.db.models.fields import FloatField

from accounts.models import User
from coaching.access import client_queryset_for
from coaching.choices import Direction, MeetingStatus, Willingness
from coaching.models import Client, Contact
from coaching.normalize import company_key
from coaching.selectors import contact_freshness

CONTACTS_PER_PAGE = 50
SIMILAR_ENOUGH = 0.3
"""pg_trgm's own default threshold: below it, two names share too little to be the same company."""
WHO_KNOWS_LIMIT = 200
"""The most contacts one "who do I know at" answer lists (ranked: the best are never cut)."""


class Tie(IntEnum):
    """How well the client knows a contact, from the record: a held meeting or several exchanges
    with a reply is close; a reply is warm; messages without a reply are cold."""

    NONE = 0
    COLD = 1
    WARM = 2
    CLOSE = 3

    @property
    def label(self) -> str:
        return {
            Tie.NONE: "Not contacted yet",
            Tie.COLD: "Cold: no reply yet",
            Tie.WARM: "Warm: has replied",
            Tie.CLOSE: "Close: met, or talked several times",
        }[self]


CLOSE_EXCHANGES = 3
_WILLINGNESS_RANK = {Willingness.WILLING: 2, Willingness.UNKNOWN: 1, Willingness.UNWILLING: 0}


def tie_of(contact: Contact) -> Tie:
    """The tie of a contact loaded with `with_ties`."""
    total = getattr(contact, "exchange_count", 0)
    replies = getattr(contact, "reply_count", 0)
    met = getattr(contact, "meetings_held", 0)
    if met or (replies and total >= CLOSE_EXCHANGES):
        return Tie.CLOSE
    if replies:
        return Tie.WARM
    return Tie.COLD if total else Tie.NONE


def with_ties(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """`contacts` with what `tie_of` reads, counted in the same query."""
    return contacts.annotate(
        exchange_count=Count("interactions", distinct=True),
        reply_count=Count(
            "interactions",
            filter=Q(interactions__direction=Direction.INBOUND),
            distinct=True,
        ),
        meetings_held=Count(
            "meetings", filter=Q(meetings__status=MeetingStatus.HELD), distinct=True
        ),
    )


SIMILARITY = "similarity"
"""The annotation `company_similar` adds: how close each contact's company is (0 to 1)."""


def _company_matches(contacts: QuerySet[Contact], *, key: str) -> QuerySet[Contact]:
    """Contacts whose company is `key` or close to it, with their `similarity` (0 to 1)."""
    return contacts.annotate(**{SIMILARITY: TrigramSimilarity("company_key", key)}).filter(
        Q(company_key=key) | Q(company_key__trigram_similar=key)
    )


def company_similar(contacts: QuerySet[Contact], *, company: str) -> QuerySet[Contact]:
    """`contacts` (already scoped by the caller) at `company` or a company close to it, each
    with its `similarity`; none when `company` has nothing to match on (only punctuation)."""
    key = company_key(company)
    if not key:
        return contacts.none().annotate(**{SIMILARITY: Value(0.0, FloatField())})
    return _company_matches(contacts, key=key)


def _contacts_of(*, actor: User, client: Client) -> QuerySet[Contact]:
    """`client`'s contacts if the actor may see them (scope as a subquery), else none."""
    return Contact.objects.filter(client__in=client_queryset_for(actor=actor).filter(pk=client.pk))


# --- a client's contacts, searched and paged ----------------------------------------------------


def contacts_page(
    *, actor: User, client: Client, query: str = "", page: str | int | None = 1
) -> Page:
    """One page of `client`'s contacts: all of them by name, or those whose name, company, title
    or email contains `query` (or whose company is close to it), the closest companies first.
    Each row carries its tie (`tie_of`). Two queries (count, page): scope is a subquery, and a
    client out of scope has no contacts."""
    contacts = with_ties(_contacts_of(actor=actor, client=client))
    query = query.strip()
    key = company_key(query)
    if query:
        text = (
            Q(name__icontains=query)
            | Q(company__icontains=query)
            | Q(title__icontains=query)
            | Q(email__icontains=query)
        )
        if key:
            text |= Q(company_key=key) | Q(company_key__trigram_similar=key)
        similarity = TrigramSimilarity("company_key", key) if key else Value(0.0, FloatField())
        ordered = (
            contacts.annotate(**{SIMILARITY: similarity})
            .filter(text)
            .order_by(f"-{SIMILARITY}", "name", "pk")
        )
    else:
        ordered = contacts.order_by("name", "pk")
    return Paginator(ordered, CONTACTS_PER_PAGE).get_page(page)


def freshness_page(
    *, actor: User, client: Client, query: str = "", page: str | int | None = 1
) -> Page:
    """The client's own list: every contact with how long they have been quiet, the quietest
    first within a tier (`coaching.selectors.contact_freshness`), 50 a page; with `query`, only
    the contacts `contacts_page` finds for it, in its order (closest companies first)."""
    rows = contact_freshness(actor=actor, client_id=client.pk)
    if query.strip():
        by_pk = {row.contact.pk: row for row in rows}
        found = contacts_page(actor=actor, client=client, query=query, page=page)
        found.object_list = [by_pk[contact.pk] for contact in found if contact.pk in by_pk]
        return found
    return Paginator(rows, CONTACTS_PER_PAGE).get_page(page)


# --- who do I know at X? --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Acquaintance:
    """A contact at (or close to) the company asked about, and why they rank where they do."""

    contact: Contact
    client: Client
    similarity: float
    exact: bool  # the same company once case, punctuation and legal forms are set aside
    tie: Tie

    @property
    def rank_key(self) -> tuple[int, int, int, int, float, str]:
        """Smaller first: the same company, then a willing contact, then the closer tie, then
        someone who can hire or sways hiring, then the closer company name."""
        contact = self.contact
        return (
            0 if self.exact else 1,
            -_WILLINGNESS_RANK.get(Willingness(contact.willingness), 1),
            -int(self.tie),
            0 if (contact.is_hiring_authority or contact.is_key_influencer) else 1,
            -self.similarity,
            contact.name.casefold(),
        )


def _acquaintances(*, contacts: QuerySet[Contact], company: str) -> list[Acquaintance]:
    key = company_key(company)
    if not key:
        return []
    matches = (
        with_ties(_company_matches(contacts, key=key))
        .select_related("client__user", "client__coach")
        .order_by(f"-{SIMILARITY}", "pk")[:WHO_KNOWS_LIMIT]
    )
    found = [
        Acquaintance(
            contact=contact,
            client=contact.client,
            similarity=float(contact.similarity),  # type: ignore[attr-defined]
            exact=contact.company_key == key,
            tie=tie_of(contact),
        )
        for contact in matches
    ]
    return sorted(found, key=lambda a: a.rank_key)


def who_do_i_know_at(*, actor: User, client: Client, company: str) -> list[Acquaintance]:
    """ "Who do I know at X?" for one client: their contacts at `company` or a company close to
    it, best first (`Acquaintance.rank_key`). One query; none for a client out of scope."""
    return _acquaintances(contacts=_contacts_of(actor=actor, client=client), company=company)


@dataclass(frozen=True, slots=True)
class ClientWhoKnows:
    """One client of the practice and the people they know at the company asked about."""

    client: Client
    acquaintances: list[Acquaintance]

    @property
    def best(self) -> Acquaintance:
        return self.acquaintances[0]


def who_in_practice_knows(*, actor: User, company: str) -> list[ClientWhoKnows]:
    """ "Which of our clients knows someone at X?": every client the actor may see (the owner:
    the whole practice) with their contacts at `company`, clients ranked by their best contact.
    One query."""
    clients = client_queryset_for(actor=actor)
    found = _acquaintances(contacts=Contact.objects.filter(client__in=clients), company=company)
    by_client: dict[int, list[Acquaintance]] = {}
    for acquaintance in found:  # already best first, so each client's list is too
        by_client.setdefault(acquaintance.client.pk, []).append(acquaintance)
    rows = [ClientWhoKnows(client=a[0].client, acquaintances=a) for a in by_client.values()]
    return sorted(rows, key=lambda row: row.best.rank_key)
