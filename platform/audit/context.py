"""Where the current action comes from: the request's address and face (web or API), or a job.

Services do not take the request, so the audit middleware puts these in context variables for
the length of a request; outside a request (jobs, commands) they are empty and the entry says
"job".
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Origin:
    ip: str | None
    via: str
    api_key: str = ""
    """The public prefix of the API key that made the request, if one did."""


_JOB = Origin(ip=None, via="job")
_origin: ContextVar[Origin] = ContextVar("audit_origin", default=_JOB)


def current_origin() -> Origin:
    return _origin.get()


@contextmanager
def origin(*, ip: str | None, via: str) -> Iterator[None]:
    token = _origin.set(Origin(ip=ip, via=via))
    try:
        yield
    finally:
        _origin.reset(token)


def note_api_key(*, prefix: str) -> None:
    """Called by API-key authentication: entries from this request name the key."""
    now = _origin.get()
    _origin.set(Origin(ip=now.ip, via="api", api_key=prefix))
