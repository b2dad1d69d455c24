"""Canonical forms of the values that decide whether two records are the same person or company.

Used by the services (so a contact typed by hand and one imported from LinkedIn collide) and by
the importer (so duplicates inside one file merge).
"""

import re
import unicodedata
from urllib.parse import urlsplit

_WHITESPACE = re.compile(r"\s+")
_JOINERS = re.compile("[.'\u2019`]")  # A.C.M.E. is ACME, O'Reilly is OReilly
_NOT_WORD = re.compile(r"[\W_]+")
# Legal forms that say nothing about which company it is; dropped from the end of the key.
LEGAL_SUFFIXES = frozenset(
    {
        "ab", "ag", "as", "bv", "co", "company", "corp", "corporation", "gmbh", "inc",
        "incorporated", "kg", "kk", "limited", "llc", "llp", "lp", "ltd", "nv", "oy", "plc",
        "pllc", "pty", "sa", "sarl", "sas", "spa", "srl",
    }
)  # fmt: skip


def company_key(company: str) -> str:
    """One spelling per company, for matching: case, accents, punctuation, spacing, a leading
    "The" and trailing legal forms do not count. `"Acme, Inc."`, `"ACME"` and `" acme  corp "`
    are all `"acme"`; `"AT&T"` is `"at and t"`. A name that is nothing but a legal form keeps it."""
    text = unicodedata.normalize("NFKD", company.casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).replace("&", " and ")
    words = _NOT_WORD.sub(" ", _JOINERS.sub("", text)).split()
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words = words[:-1]
    return " ".join(words)


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
