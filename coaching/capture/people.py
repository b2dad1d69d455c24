"""Who a captured exchange is with: a contact of the client (matched by email or LinkedIn
address), or a new person proposed, created only when the client confirms the exchange."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from coaching.choices import HowMet
from coaching.models import Contact
from coaching.normalize import clean_text, email_key, linkedin_key


@dataclass(slots=True)
class Party:
    """One side of an exchange as it was captured."""

    name: str = ""
    email: str = ""
    linkedin_url: str = ""

    @classmethod
    def of(cls, *, name: str = "", email: str = "", linkedin_url: str = "") -> Party:
        return cls(
            name=clean_text(name)[:200],
            email=email_key(email)[:254],
            linkedin_url=linkedin_key(linkedin_url)[:300],
        )

    @property
    def key(self) -> str:
        """What identifies the person across captures: their LinkedIn address or email."""
        return self.linkedin_url or self.email or f"name:{self.name.casefold()}"

    def label(self) -> str:
        return self.name or self.email or self.linkedin_url


class ContactFinder:
    """Looks a party up among the client's contacts (and contacts about to be written)."""

    def __init__(self, contacts: Iterable[Contact]) -> None:
        self.by_email: dict[str, Contact] = {}
        self.by_url: dict[str, Contact] = {}
        for contact in contacts:
            self.add(contact)

    def add(self, contact: Contact) -> None:
        if contact.email:
            self.by_email.setdefault(contact.email, contact)
        if contact.linkedin_url:
            self.by_url.setdefault(contact.linkedin_url, contact)

    def find(self, party: Party) -> Contact | None:
        return (self.by_url.get(party.linkedin_url) if party.linkedin_url else None) or (
            self.by_email.get(party.email) if party.email else None
        )


def proposed_fields(party: Party, *, how_met: str = HowMet.OTHER) -> dict[str, str]:
    """The `person_*` fields of a captured exchange with someone who is not a contact yet."""
    return {
        "person_name": party.name or party.email or party.linkedin_url.rsplit("/", 1)[-1],
        "person_email": party.email,
        "person_linkedin_url": party.linkedin_url,
        "person_how_met": how_met,
    }
