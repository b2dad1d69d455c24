"""Rate limits on the doors a person opens without being signed in (signup, invitations), and
on re-sending links. django-ratelimit counts in the cache; if the cache cannot be reached the
door stays open (a logged warning), because refusing every signup during a Redis blip is worse
than a few minutes without a limit."""

import logging

from django.http import HttpRequest
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)

TOO_MANY = "Too many attempts from your network. Wait a few minutes, then try again."


def over_limit(*, request: HttpRequest, group: str, rate: str, key: str = "ip") -> bool:
    """Count this request against `group`'s limit; True when it is over."""
    try:
        return bool(is_ratelimited(request, group=group, key=key, rate=rate, increment=True))
    except Exception:  # the cache is unreachable: fail open, say so
        logger.warning("rate limit %s not checked: the cache is unreachable", group, exc_info=True)
        return False
