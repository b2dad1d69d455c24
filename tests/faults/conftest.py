"""Fault-injection fixtures: the API's keys and clients (tests/api) and the coaching searches
(tests/coaching), shared so a bad input is thrown at the same setup the normal tests use."""

from tests.api.conftest import (
    api_for,
    client_api,
    coach_api,
    error_of,
    other_client_api,
    other_coach_api,
    owner_api,
)
from tests.coaching.conftest import make_contact, now, other_search, search, unchanged

__all__ = [
    "api_for",
    "client_api",
    "coach_api",
    "error_of",
    "make_contact",
    "now",
    "other_client_api",
    "other_coach_api",
    "other_search",
    "owner_api",
    "search",
    "unchanged",
]
