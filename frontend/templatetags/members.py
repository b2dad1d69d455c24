"""Small lookups for the owner's members page."""

from django import template

register = template.Library()


@register.filter
def caseload_of(caseloads: dict[int, int], member_id: int) -> int:
    """How many clients the member coaches (0 when none)."""
    return caseloads.get(member_id, 0)
