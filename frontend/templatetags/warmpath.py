"""Small presentation helpers for Warmpath's templates."""

from typing import Any

from django import template

register = template.Library()


@register.filter
def percent(value: float | None) -> str:
    return "\u2013" if value is None else f"{round(value * 100)}%"


@register.filter
def share(numerator: int, denominator: int) -> str:
    return "\u2013" if not denominator else f"{round(100 * numerator / denominator)}%"


@register.filter
def firing(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The practice report's reasons that fire now or fired a month before, or are marked."""
    return [r for r in reasons if r["clients"] or r["clients_last_month"] or r["disposed"]]


@register.filter
def humanize_code(value: str) -> str:
    return value.replace(".", " ").replace("_", " ").capitalize()


@register.filter
def get(mapping: dict[Any, Any], key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.simple_tag(takes_context=True)
def query(context: template.Context, **changes: Any) -> str:
    """The current query string with some parameters replaced (for sort and filter links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"
