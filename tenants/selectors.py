"""Reads about practices on the public site."""

from tenants.models import Practice


def practice_is_live(*, slug: str) -> bool:
    """A practice answers at this slug (not deleted, not being deleted)."""
    return Practice.objects.live().filter(slug=slug).exists()
