"""The client's open action items, for the partial on their Today
(`frontend/notes/today_actions.html`), read through `coaching.notes.selectors`."""

from typing import Any

from django import template

from coaching.notes.models import ActionItem
from coaching.notes.selectors import action_items_of

register = template.Library()


@register.simple_tag(takes_context=True)
def open_action_items(context: dict[str, Any], client: Any) -> list[ActionItem]:
    request = context.get("request")
    user = getattr(request, "user", None)
    if client is None or user is None or not user.is_authenticated:
        return []
    return action_items_of(actor=user, client=client, open_only=True)
