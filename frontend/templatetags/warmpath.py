"""Small presentation helpers for Warmpath's templates."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.utils import timezone
from django.utils.html import format_html

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


def _clock(moment: datetime) -> str:
    return f"{moment:%H:%M}"


@register.simple_tag
def moment(value: datetime | None, client: Any = None) -> str:
    """An instant in the viewer's zone (the active one: `frontend.zones`), "Wed 15 Jan, 18:00";
    when `client`'s zone shows another time, it follows: "(10:00 client's time)". The element
    names both zones for anyone who hovers or reads it aloud."""
    if value is None:
        return ""
    here = timezone.localtime(value)
    text = f"{here:%a} {here.day} {here:%b}, {_clock(here)}"
    viewer = timezone.get_current_timezone_name()
    title = f"Times in {viewer}"
    client_zone = getattr(client, "time_zone", "") or ""
    if client_zone and client_zone != viewer:
        there = value.astimezone(ZoneInfo(client_zone))
        if there.replace(tzinfo=None) != here.replace(tzinfo=None):
            day = "" if there.date() == here.date() else f"{there:%a} "
            text += f" ({day}{_clock(there)} client's time)"
            title += f"; the client is in {client_zone}"
    return format_html(
        '<time datetime="{}" title="{}">{}</time>', value.isoformat(), title, text
    )


@register.simple_tag
def zone_name() -> str:
    """The viewer's zone, to name next to a date-time field ("Europe/London")."""
    return timezone.get_current_timezone_name()
