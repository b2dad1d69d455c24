"""The three importable files and their columns (documented for people in docs/import.md)."""

from coaching.choices import ImportKind
from coaching.imports.reading import FileSpec

LINKEDIN_CONNECTIONS = FileSpec(
    columns={
        "first_name": "First Name",
        "last_name": "Last Name",
        "linkedin_url": "URL",
        "email": "Email Address",
        "company": "Company",
        "title": "Position",
        "connected_on": "Connected On",
    },
    required=frozenset({"first_name", "last_name", "linkedin_url"}),
    header_min_matches=3,  # skips LinkedIn's "Notes:" preamble
)

CONTACTS_CSV = FileSpec(
    columns={
        name: name
        for name in (
            "name",
            "email",
            "linkedin_url",
            "company",
            "title",
            "how_met",
            "first_met_on",
            "is_hiring_authority",
            "is_key_influencer",
            "willingness",
            "tags",
            "notes",
        )
    },
    required=frozenset({"name"}),
)

INTERACTIONS_CSV = FileSpec(
    columns={
        name: name
        for name in (
            "contact_email",
            "contact_linkedin_url",
            "contact_name",
            "contact_company",
            "occurred_at",
            "channel",
            "direction",
            "kind",
            "replied_at",
            "note",
        )
    },
    required=frozenset({"occurred_at", "channel", "direction", "kind"}),
)

SPECS = {
    ImportKind.LINKEDIN_CONNECTIONS: LINKEDIN_CONNECTIONS,
    ImportKind.CONTACTS_CSV: CONTACTS_CSV,
    ImportKind.INTERACTIONS_CSV: INTERACTIONS_CSV,
}
