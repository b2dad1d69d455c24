"""Small presentation helpers for Warmpath's templates."""

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.forms import BoundField
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


# --- humane relative dates (the portal) ---------------------------------------------------------


def _viewer_day(value: date | datetime, zone: str) -> tuple[date, date]:
    """`value` as a day and today, both in the viewer's zone (`zone`, else the active zone)."""
    tz = ZoneInfo(zone) if zone else timezone.get_current_timezone()
    today = timezone.now().astimezone(tz).date()
    if isinstance(value, datetime):
        aware = value if timezone.is_aware(value) else timezone.make_aware(value, tz)
        return aware.astimezone(tz).date(), today
    return value, today


def day_label(day: date, *, today: date) -> str:
    """ "Tue 1 Dec"; the year is added when it is not this year ("Tue 1 Dec 2025")."""
    label = f"{day:%a} {day.day} {day:%b}"
    return label if day.year == today.year else f"{label} {day.year}"


def relative_day_text(day: date, *, today: date) -> str:
    """ "today", "yesterday", "tomorrow", "in 3 days", "3 days ago" within a week; beyond it
    the weekday and the date ("Tue 1 Dec")."""
    delta = (day - today).days
    if delta == 0:
        return "today"
    if delta == -1:
        return "yesterday"
    if delta == 1:
        return "tomorrow"
    if 1 < delta < 7:
        return f"in {delta} days"
    if -7 < delta < -1:
        return f"{-delta} days ago"
    return day_label(day, today=today)


@register.filter
def relative_day(value: date | datetime | None, zone: str = "") -> str:
    """A day (or the day of an instant) told humanely, in the viewer's zone:
    `{{ follow_up.due_on|relative_day:client.time_zone }}`."""
    if value is None or value == "":
        return ""
    day, today = _viewer_day(value, zone)
    return relative_day_text(day, today=today)


@register.filter
def since_day(value: date | datetime | None, zone: str = "") -> str:
    """ "since today", "since yesterday", "for 3 days" (waiting), beyond a week "since Tue 1
    Dec": the phrase after "has been waiting"."""
    if value is None or value == "":
        return ""
    day, today = _viewer_day(value, zone)
    delta = (today - day).days
    if delta <= 0:
        return "since today"
    if delta == 1:
        return "since yesterday"
    if delta < 7:
        return f"for {delta} days"
    return f"since {day_label(day, today=today)}"


@register.filter
def days_phrase(days: int | None) -> str:
    """A number of days said humanely: 0 → "less than a day", 1 → "1 day", 9 → "9 days"."""
    if days is None:
        return ""
    if days <= 0:
        return "less than a day"
    return f"{days} day" if days == 1 else f"{days} days"


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
    return format_html('<time datetime="{}" title="{}">{}</time>', value.isoformat(), title, text)


@register.simple_tag
def zone_name() -> str:
    """The viewer's zone, to name next to a date-time field ("Europe/London")."""
    return timezone.get_current_timezone_name()


@register.filter
def described(field: BoundField) -> str:
    """The field's widget linked to its help text and its errors (`aria-describedby`, the ids
    frontend/form_fields.html gives them), and marked invalid when it has errors."""
    ident = field.id_for_label
    ids = [f"{ident}-help"] if ident and field.help_text else []
    attrs: dict[str, str | bool] = {}
    if ident and field.errors:
        ids.append(f"{ident}-error")
        attrs["aria-invalid"] = "true"
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    return field.as_widget(attrs=attrs)
