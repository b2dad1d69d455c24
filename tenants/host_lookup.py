"""Which practice answers on a host: one query, then remembered by each web process briefly.

Every request starts by resolving its host to a practice (tenants.middleware). The answer almost
never changes, so each process keeps it for `PRACTICE_LOOKUP_CACHE_SECONDS`. A change to any
practice or domain made in this process forgets everything at once (signals wired in
tenants.apps); other processes see it when their copy expires. Unknown hosts are not remembered,
so a practice created elsewhere answers as soon as its domain exists.

Each request gets its own `Practice` instance built from the remembered row, so nothing one
request does to `request.tenant` reaches another.
"""

import time
from typing import Any

from django.conf import settings
from django_tenants.utils import get_public_schema_name

from tenants.models import Domain, Practice

_FIELDS = tuple(field.attname for field in Practice._meta.concrete_fields)
_remembered: dict[str, tuple[float, tuple[Any, ...]]] = {}


def practice_for_host(*, hostname: str) -> Practice:
    """The practice serving `hostname` (the public site's row for the base domain).

    Raises `Domain.DoesNotExist` for a host no practice has."""
    now = time.monotonic()
    hit = _remembered.get(hostname)
    if hit is not None and hit[0] > now:
        return Practice.from_db("default", _FIELDS, hit[1])
    if hostname == settings.BASE_DOMAIN:
        practice = Practice.objects.get(schema_name=get_public_schema_name())
    else:
        practice = Domain.objects.select_related("tenant").get(domain=hostname).tenant
    seconds = settings.PRACTICE_LOOKUP_CACHE_SECONDS
    if seconds > 0:
        row = tuple(getattr(practice, name) for name in _FIELDS)
        _remembered[hostname] = (now + seconds, row)
    return practice


def forget_hosts(**_: Any) -> None:
    """Drop every remembered host (a practice or a domain changed)."""
    _remembered.clear()
