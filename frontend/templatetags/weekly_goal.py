"""`{% weekly_goal client as goal %}`: the one weekly goal in force for a client
(`coaching.insights.weekly_goal`), with `goal.value`, `goal.label` ("15 a week (practice
default)") and `goal.label_for_client`."""

from typing import Any

from django import template

from coaching.insights.weekly_goal import WeeklyGoal, weekly_goal_in_force

register = template.Library()


@register.simple_tag(takes_context=True)
def weekly_goal(context: dict[str, Any], client: Any) -> WeeklyGoal | None:
    request = context.get("request")
    user = getattr(request, "user", None)
    if client is None or user is None or not user.is_authenticated:
        return None
    return weekly_goal_in_force(actor=user, client=client)
