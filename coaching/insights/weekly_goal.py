"""The one weekly outreach goal in force for a client, and where it comes from.

The practice's default (its threshold override, or Warmpath's 15) applies unless the client has
their own: a client-level threshold override, or a goal someone chose on the client's profile
(`loader.weekly_goal_chosen`). The engine folds it the same way (`diagnose`), so the dashboard,
the client page, the report and the portal show the same number, and say which it is.
"""

from dataclasses import dataclass

from accounts.models import User
from coaching.diagnostics.thresholds import CLIENT, Thresholds
from coaching.insights.selectors import client_thresholds
from coaching.models import Client


@dataclass(frozen=True, slots=True)
class WeeklyGoal:
    value: int
    own: bool  # set for this client; otherwise the practice's default
    client_name: str

    @property
    def label(self) -> str:
        """For the coach: "15 a week (practice default)", "20 a week (set for Dana)"."""
        whose = f"set for {self.client_name}" if self.own else "practice default"
        return f"{self.value} a week ({whose})"

    @property
    def label_for_client(self) -> str:
        """For the client: "15 a week (your practice's default)", "20 a week (set for you)"."""
        whose = "set for you" if self.own else "your practice's default"
        return f"{self.value} a week ({whose})"


def _first_name(client: Client) -> str:
    name = (client.user.name or "").strip()
    return name.split()[0] if name else "this client"


def weekly_goal_from(*, thresholds: Thresholds, client: Client) -> WeeklyGoal:
    """The goal in thresholds already resolved for `client` (a diagnosis's, say)."""
    return WeeklyGoal(
        value=int(thresholds.weekly_goal),
        own=thresholds.source_of("weekly_goal") == CLIENT,
        client_name=_first_name(client),
    )


def weekly_goal_in_force(*, actor: User, client: Client) -> WeeklyGoal:
    """The goal in force for `client` today, as the actor may see it. One query."""
    in_force = client_thresholds(actor=actor, client_id=client.pk)["in_force"]["weekly_goal"]
    return WeeklyGoal(
        value=int(in_force["value"]),
        own=in_force["source"] == CLIENT,
        client_name=_first_name(client),
    )
