"""Finding the contact a person means by a typed name (a selector: reads only, in scope).

Exact matches ignore case and extra spaces; two contacts may share a name (Sam Lee at Acme and
Sam Lee at Stripe), so all of them come back and the page asks which. Near matches ("Priya
Patell" for "Priya Patel") come from PostgreSQL's `pg_trgm` trigram similarity
(`tenants/migrations/0004_pg_trgm.py`), so a typo is offered as "did you mean" instead of
silently becoming a second contact.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import TrigramSimilarity

from accounts.models import User
from coaching.access import client_get_for
from coaching.models import Contact

NEAR = 0.4
"""The trigram similarity from which a name is offered as "did you mean" (pg_trgm's own
default threshold for `%` is 0.3; 0.4 keeps "Sam Lee" from suggesting "Sam Leeds-Smith")."""
MAX_NEAR = 3


@dataclass(frozen=True, slots=True)
class NameMatches:
    exact: list[Contact]
    """Every contact with exactly this name (any case)."""
    near: list[Contact]
    """Contacts whose names are close (best first), when none has the exact name."""


def contacts_matching(*, actor: User, client_id: int, name: str) -> NameMatches:
    """The client's contacts that `name` may mean. Two queries at most."""
    client = client_get_for(actor=actor, client_id=client_id)
    name = " ".join(name.split())
    contacts = Contact.objects.filter(client=client)
    exact = list(contacts.filter(name__iexact=name).order_by("company", "pk"))
    if exact or not name:
        return NameMatches(exact=exact, near=[])
    near: list[Contact] = list(
        contacts.annotate(similarity=TrigramSimilarity("name", name))
        .filter(similarity__gte=NEAR)
        .order_by("-similarity", "name", "pk")[:MAX_NEAR]
    )
    return NameMatches(exact=[], near=near)


def contact_suggestions(*, actor: User, client_id: int, limit: int = 500) -> list[Contact]:
    """The client's contacts for a name field's suggestions, alphabetically, with their
    company (so two people with one name can be told apart)."""
    client = client_get_for(actor=actor, client_id=client_id)
    return list(
        Contact.objects.filter(client=client)
        .only("name", "company")
        .order_by("name", "company")[:limit]
    )
