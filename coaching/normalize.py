"""Canonical forms of the values that decide whether two records are the same person or company.

Used by the services (so a contact typed by hand and one imported from LinkedIn collide) and by
the importer (so duplicates inside one file merge).
"""

import re
from urllib.parse import urlsplit

_WHITESPACE = re.compile(r"\s+")


def company_key(company: str) -> str:
    """`"  ACME   Corp "` and `"acme corp"` are the same company."""
    return _WHITESPACE.sub(" ", company).strip().casefold()


def email_key(email: str) -> str:
    return email.strip().lower()


def linkedin_key(url: str) -> str:
    """One spelling per profile: https, www.linkedin.com, no query, no trailing slash, lower case.

    `linkedin.com/in/Jane-Doe/?trk=x` and `https://www.linkedin.com/in/jane-doe` are the same
    person. Anything that is not a linkedin.com URL is returned trimmed, so it still compares.
    """
    url = url.strip()
    if not url:
        return ""
    parts = urlsplit(url if "://" in url else f"https://{url}")
    host = parts.netloc.lower().split(":")[0]
    if not (host == "linkedin.com" or host.endswith(".linkedin.com")):
        return url
    path = parts.path.rstrip("/").lower()
    return f"https://www.linkedin.com{path}"


def clean_text(value: str) -> str:
    """Collapse runs of whitespace in a one-line field (names, titles, companies)."""
    return _WHITESPACE.sub(" ", value).strip()
